import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/http/route";
import { exportFailuresCsv } from "@/lib/services/failures";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.exportFailures, async ({ query }) => {
  const stream = await exportFailuresCsv(query);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="failures-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
});
