import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { getActivity } from "@/lib/services/activities";
import { liveViews } from "@/lib/services/live-views";
import { activityRecorder } from "@/lib/services/recorder";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.getActivityProgress, { live: liveViews.getActivityProgress });

export const POST = route(endpoints.reportActivityProgress, async ({ params, body }) => {
  await activityRecorder.reportProgress(params.id, body);
  return json(await getActivity(params.id));
});
