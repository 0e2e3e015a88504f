import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { getActivity } from "@/lib/services/activities";
import { liveViews } from "@/lib/services/live-views";
import { activityRecorder } from "@/lib/services/recorder";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.listActivities, { live: liveViews.listActivities });

export const POST = route(endpoints.createActivity, async ({ body, principal }) => {
  const { initiatedBy, ...input } = body;
  const by = initiatedBy ?? { type: "ApiKey" as const, id: principal.keyId, name: principal.keyName };
  const { id } = await activityRecorder.create(input, by);
  return json(await getActivity(id), { status: 201, headers: { Location: `/api/v1/activities/${id}` } });
});
