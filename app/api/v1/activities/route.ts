import { endpoints } from "@/lib/api/endpoints";
import { currentEtag, epochNow, rememberEtag } from "@/lib/http/memo";
import { json, route, weakEtag } from "@/lib/http/route";
import { ANY_ACTIVITY } from "@/lib/repo/changes";
import { getActivity, listActivities } from "@/lib/services/activities";
import { activityRecorder } from "@/lib/services/recorder";

export const dynamic = "force-dynamic";

const listKey = (search: string) => `activities?${search}`;

export const GET = route(endpoints.listActivities, {
  etagFromMemory: ({ url }) => currentEtag(listKey(url.search)),
  waitOn: () => [ANY_ACTIVITY],
  handler: async ({ url, query }) => {
    const epoch = epochNow();
    const r = await listActivities(query);
    const etag = weakEtag("activities", url.search, r.fingerprint);
    rememberEtag(listKey(url.search), epoch, etag);
    return { etag, build: () => r.body };
  },
});

export const POST = route(endpoints.createActivity, async ({ body, principal }) => {
  const { initiatedBy, ...input } = body;
  const by = initiatedBy ?? { type: "ApiKey" as const, id: principal.keyId, name: principal.keyName };
  const { id } = await activityRecorder.create(input, by);
  return json(await getActivity(id), { status: 201, headers: { Location: `/api/v1/activities/${id}` } });
});
