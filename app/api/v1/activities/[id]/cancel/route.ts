import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { getActivity } from "@/lib/services/activities";
import { activityRecorder } from "@/lib/services/recorder";

export const dynamic = "force-dynamic";

export const POST = route(endpoints.cancelActivity, async ({ params, body }) => {
  await activityRecorder.cancel(params.id, body.reason);
  return json(await getActivity(params.id));
});
