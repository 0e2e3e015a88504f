import { endpoints } from "@/lib/api/endpoints";
import { activityEtag } from "@/lib/http/memo";
import { route } from "@/lib/http/route";
import { listSamples, requireActivity } from "@/lib/services/activities";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.listProgressSamples, async ({ url, params, query }) => {
  const a = await requireActivity(params.id);
  return { etag: activityEtag("samples", a.id, a.version, url.search), build: () => listSamples(a.id, query) };
});
