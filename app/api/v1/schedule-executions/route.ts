import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/http/route";
import { liveViews } from "@/lib/services/live-views";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.listScheduleExecutions, { live: liveViews.listScheduleExecutions });
