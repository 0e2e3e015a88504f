import { endpoints } from "@/lib/api/endpoints";
import { route, weakEtag } from "@/lib/http/route";
import { listChildren } from "@/lib/services/activities";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.listActivityChildren, async ({ url, params, query }) => {
  const r = await listChildren(params.id, query);
  return { etag: weakEtag("children", params.id, url.search, r.fingerprint), build: () => r.body };
});
