import { endpoints } from "@/lib/api/endpoints";
import { route, weakEtag } from "@/lib/http/route";
import { getTree } from "@/lib/services/activities";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.getActivityTree, async ({ params }) => {
  const r = await getTree(params.id);
  return { etag: weakEtag("tree", params.id, r.fingerprint), build: () => r.tree };
});
