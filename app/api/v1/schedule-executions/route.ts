import { endpoints } from "@/lib/api/endpoints";
import { route, weakEtag } from "@/lib/http/route";
import { listScheduleExecutions } from "@/lib/services/schedule-executions";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.listScheduleExecutions, async ({ url, query }) => {
  const r = await listScheduleExecutions(query);
  return { etag: weakEtag("schedule-executions", url.search, r.fingerprint), build: () => r.body };
});
