import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { cancelScheduleExecution } from "@/lib/services/schedule-executions";

export const dynamic = "force-dynamic";

export const POST = route(endpoints.cancelScheduleExecution, async ({ params, body }) =>
  json(await cancelScheduleExecution(params.id, body.reason)),
);
