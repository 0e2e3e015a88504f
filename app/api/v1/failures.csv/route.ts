import { endpoints } from "@/lib/api/endpoints";
import { csv, route } from "@/lib/http/route";
import { exportFailuresCsv } from "@/lib/services/failures";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.exportFailures, async ({ query }) =>
  csv(await exportFailuresCsv(query), `failures-${new Date().toISOString().slice(0, 10)}.csv`),
);
