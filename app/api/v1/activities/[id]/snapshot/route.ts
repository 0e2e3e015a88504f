import { endpoints } from "@/lib/api/endpoints";
import { activityEtag, knownActivityEtag } from "@/lib/http/memo";
import { route } from "@/lib/http/route";
import { getSnapshot, requireActivity } from "@/lib/services/activities";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.getActivitySnapshot, {
  etagFromMemory: ({ params, query }) => knownActivityEtag("snapshot", params.id, query.samplesAfter ?? null),
  waitOn: ({ params }) => [params.id],
  handler: async ({ params, query }) => {
    const a = await requireActivity(params.id);
    return {
      etag: activityEtag("snapshot", a.id, a.version, query.samplesAfter ?? null),
      build: () => getSnapshot(a.id, query.samplesAfter),
    };
  },
});
