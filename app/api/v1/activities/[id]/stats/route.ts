import { IdParam } from "@/lib/api/schemas";
import { conditionalJson, route, weakEtag } from "@/lib/http/handler";
import { getStats } from "@/lib/services/activities";

export const dynamic = "force-dynamic";

export const GET = route({ access: "admin", params: IdParam }, async ({ req, params }) => {
  const { stats, row } = await getStats(params.id);
  return conditionalJson(req, weakEtag("stats", row.id, row.version, row.updatedAt.toISOString()), () => stats);
});
