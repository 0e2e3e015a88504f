import { IdParam } from "@/lib/api/schemas";
import { conditionalJson, route, weakEtag } from "@/lib/http/handler";
import { getTree } from "@/lib/services/activities";

export const dynamic = "force-dynamic";

export const GET = route({ access: "read", params: IdParam }, async ({ req, params }) => {
  const r = await getTree(params.id);
  return conditionalJson(req, weakEtag("tree", params.id, r.fingerprint), () => r.tree);
});
