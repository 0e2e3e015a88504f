import { IdParam } from "@/lib/api/schemas";
import { conditionalJson, route, weakEtag } from "@/lib/http/handler";
import { getActivity, getActivityVersion } from "@/lib/services/activities";

export const dynamic = "force-dynamic";

export const GET = route({ access: "read", params: IdParam }, async ({ req, params }) => {
  const v = await getActivityVersion(params.id);
  return conditionalJson(req, weakEtag("detail", v.id, v.version, v.updatedAt.toISOString()), () =>
    getActivity(params.id),
  );
});
