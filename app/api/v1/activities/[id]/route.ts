import { endpoints } from "@/lib/api/endpoints";
import { activityEtag, knownActivityEtag } from "@/lib/http/memo";
import { route } from "@/lib/http/route";
import { getActivity, requireActivity } from "@/lib/services/activities";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.getActivity, {
  etagFromMemory: ({ params }) => knownActivityEtag("activity", params.id),
  handler: async ({ params }) => {
    const a = await requireActivity(params.id);
    return { etag: activityEtag("activity", a.id, a.version), build: () => getActivity(a.id) };
  },
});
