import { endpoints } from "@/lib/api/endpoints";
import { activityEtag } from "@/lib/http/memo";
import { route } from "@/lib/http/route";
import { getComparison, requireActivity } from "@/lib/services/activities";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.getActivityComparison, async ({ params }) => {
  const a = await requireActivity(params.id, { runProfile: true });
  return { etag: activityEtag("comparison", a.id, a.version), build: () => getComparison(a.id) };
});
