import { IdParam } from "@/lib/api/schemas";
import { conditionalJson, route, weakEtag } from "@/lib/http/handler";
import { assertRunProfileActivity, getActivityVersion, getStats } from "@/lib/services/activities";

export const dynamic = "force-dynamic";

export const GET = route({ access: "admin", params: IdParam }, async ({ req, params }) => {
  const v = await getActivityVersion(params.id);
  assertRunProfileActivity(v);
  return conditionalJson(req, weakEtag("stats", v.id, v.version, v.updatedAt.toISOString()), () => getStats(params.id));
});
