import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { listActiveScheduleExecutions } from "@/lib/services/schedule-executions";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.listActiveScheduleExecutions, async () =>
  json(await listActiveScheduleExecutions()),
);
