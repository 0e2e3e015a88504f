import { IdParam, ProgressBody, ProgressQuery } from "@/lib/api/schemas";
import { conditionalJson, json, parseBody, parseQuery, route, weakEtag } from "@/lib/http/handler";
import { getActivity, getActivityVersion, getProgress } from "@/lib/services/activities";
import { activityRecorder } from "@/lib/services/activity-recorder";

export const dynamic = "force-dynamic";

export const GET = route({ access: "read", params: IdParam }, async ({ req, url, params }) => {
  const q = parseQuery(ProgressQuery, url);
  const v = await getActivityVersion(params.id);
  return conditionalJson(req, weakEtag("progress", v.id, v.version, v.updatedAt.toISOString(), q.since ?? null), () =>
    getProgress(v, q.since),
  );
});

export const POST = route({ access: "admin", params: IdParam }, async ({ req, params }) => {
  const body = await parseBody(ProgressBody, req);
  await activityRecorder.reportProgress(params.id, body);
  return json(await getActivity(params.id));
});
