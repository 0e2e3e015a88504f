import { IdParam, ItemExportQuery } from "@/lib/api/schemas";
import { parseQuery, route } from "@/lib/http/handler";
import { exportItemsCsv } from "@/lib/services/items";

export const dynamic = "force-dynamic";

/** Every item matching the list's filters, as a streamed CSV download. */
export const GET = route({ access: "admin", params: IdParam }, async ({ url, params }) => {
  const q = parseQuery(ItemExportQuery, url);
  const { stream, filename } = await exportItemsCsv(params.id, q);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
