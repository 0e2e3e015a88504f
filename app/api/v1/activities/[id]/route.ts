import { IdParam } from "@/lib/api/schemas";
import { conditionalJson, route, weakEtag } from "@/lib/http/handler";
import { getActivityRow } from "@/lib/services/activities";
import { toDetail } from "@/lib/services/mappers";

export const dynamic = "force-dynamic";

export const GET = route({ access: "read", params: IdParam }, async ({ req, params }) => {
  const row = await getActivityRow(params.id);
  return conditionalJson(req, weakEtag("detail", row.id, row.version, row.updatedAt.toISOString()), () => toDetail(row));
});
