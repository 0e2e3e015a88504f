import { CompleteActivityBody, IdParam } from "@/lib/api/schemas";
import { json, parseBody, route } from "@/lib/http/handler";
import { getActivity } from "@/lib/services/activities";
import { activityRecorder } from "@/lib/services/activity-recorder";

export const dynamic = "force-dynamic";

export const POST = route({ access: "admin", params: IdParam }, async ({ req, params }) => {
  const body = await parseBody(CompleteActivityBody, req, { allowEmpty: true });
  await activityRecorder.complete(params.id, body);
  return json(await getActivity(params.id));
});
