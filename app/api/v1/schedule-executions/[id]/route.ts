import { endpoints } from "@/lib/api/endpoints";
import { activityEtag, knownActivityEtag } from "@/lib/http/memo";
import { route } from "@/lib/http/route";
import { getScheduleExecution, requireExecution } from "@/lib/services/schedule-executions";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.getScheduleExecution, {
  etagFromMemory: ({ params }) => knownActivityEtag("schedule-execution", params.id),
  waitOn: ({ params }) => [params.id],
  handler: async ({ params }) => {
    const a = await requireExecution(params.id);
    return { etag: activityEtag("schedule-execution", a.id, a.version), build: () => getScheduleExecution(a.id) };
  },
});
