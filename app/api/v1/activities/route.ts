import { ActivityListQuery, CreateActivityBody } from "@/lib/api/schemas";
import { conditionalJson, json, parseBody, parseQuery, route, weakEtag } from "@/lib/http/handler";
import { initiatorOf } from "@/lib/http/initiator";
import { getActivity, listActivities } from "@/lib/services/activities";
import { activityRecorder } from "@/lib/services/activity-recorder";

export const dynamic = "force-dynamic";

export const GET = route({ access: "read" }, async ({ req, url }) => {
  const q = parseQuery(ActivityListQuery, url);
  const r = await listActivities(q);
  const headers = r.capped ? { "X-Total-Count-Capped": "true" } : undefined;
  return conditionalJson(req, weakEtag("list", url.search, r.fingerprint), () => r.body, headers);
});

export const POST = route({ access: "admin" }, async ({ req, principal }) => {
  const body = await parseBody(CreateActivityBody, req);
  const initiatedBy = body.initiatedBy ?? initiatorOf(principal);
  const { id } = await activityRecorder.create(body, initiatedBy);
  return json(await getActivity(id), { status: 201, headers: { Location: `/api/v1/activities/${id}` } });
});
