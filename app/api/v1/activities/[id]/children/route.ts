import { ChildrenQuery, IdParam } from "@/lib/api/schemas";
import { conditionalJson, parseQuery, route, weakEtag } from "@/lib/http/handler";
import { listChildren } from "@/lib/services/activities";

export const dynamic = "force-dynamic";

export const GET = route({ access: "read", params: IdParam }, async ({ req, url, params }) => {
  const q = parseQuery(ChildrenQuery, url);
  const r = await listChildren(params.id, q);
  return conditionalJson(req, weakEtag("children", params.id, url.search, r.fingerprint), () => r.body);
});
