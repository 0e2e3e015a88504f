import { endpoints } from "@/lib/api/endpoints";
import { csv, route } from "@/lib/http/route";
import { exportItemsCsv } from "@/lib/services/items";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.exportExecutionItems, async ({ params, query }) => {
  const { stream, filename } = await exportItemsCsv(params.id, query);
  return csv(stream, filename);
});
