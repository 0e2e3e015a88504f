import { endpoints } from "@/lib/api/endpoints";
import { activityEtag, knownActivityEtag } from "@/lib/http/memo";
import { json, route } from "@/lib/http/route";
import { getActivity, getProgress, requireActivity } from "@/lib/services/activities";
import { activityRecorder } from "@/lib/services/recorder";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.getActivityProgress, {
  etagFromMemory: ({ params }) => knownActivityEtag("progress", params.id),
  waitOn: ({ params }) => [params.id],
  handler: async ({ params }) => {
    const a = await requireActivity(params.id);
    return { etag: activityEtag("progress", a.id, a.version), build: () => getProgress(a.id) };
  },
});

export const POST = route(endpoints.reportActivityProgress, async ({ params, body }) => {
  await activityRecorder.reportProgress(params.id, body);
  return json(await getActivity(params.id));
});
