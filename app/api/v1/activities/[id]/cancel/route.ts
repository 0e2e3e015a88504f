import { CancelActivityBody, IdParam } from "@/lib/api/schemas";
import { json, parseBody, route } from "@/lib/http/handler";
import { getActivity } from "@/lib/services/activities";
import { activityRecorder } from "@/lib/services/activity-recorder";

export const dynamic = "force-dynamic";

export const POST = route({ access: "admin", params: IdParam }, async ({ req, params }) => {
  const body = await parseBody(CancelActivityBody, req, { allowEmpty: true });
  await activityRecorder.cancel(params.id, body.reason);
  return json(await getActivity(params.id));
});
