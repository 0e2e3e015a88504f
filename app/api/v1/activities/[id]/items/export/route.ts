import { endpoints } from "@/lib/api/endpoints";
import { csv, route } from "@/lib/http/route";
import { exportItemsCsv } from "@/lib/services/items";

export const dynamic = "force-dynamic";

// The first release's address, kept until its sunset (see docs/api/CHANGELOG.md).
export const GET = route(endpoints.exportExecutionItemsLegacy, async ({ params, query }) => {
  const { stream, filename } = await exportItemsCsv(params.id, query);
  return csv(stream, filename);
});
