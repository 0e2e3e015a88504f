import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/http/route";
import { exportItemsCsv } from "@/lib/services/items";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.exportExecutionItems, async ({ params, query }) => {
  const { stream, filename } = await exportItemsCsv(params.id, query);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
