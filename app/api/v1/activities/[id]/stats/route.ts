import { endpoints } from "@/lib/api/endpoints";
import { activityEtag, knownActivityEtag } from "@/lib/http/memo";
import { route } from "@/lib/http/route";
import { getStats, requireActivity } from "@/lib/services/activities";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.getActivityStats, {
  etagFromMemory: ({ params }) => knownActivityEtag("stats", params.id),
  handler: async ({ params }) => {
    const a = await requireActivity(params.id, { runProfile: true });
    return { etag: activityEtag("stats", a.id, a.version), build: () => getStats(a.id) };
  },
});
