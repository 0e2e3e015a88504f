import { endpoints } from "@/lib/api/endpoints";
import { route, weakEtag } from "@/lib/http/route";
import { getRunHistory } from "@/lib/services/run-history";

export const dynamic = "force-dynamic";

// The answer depends on other runs of the profile too (newer ones, the usual ones): its ETag is its content's.
export const GET = route(endpoints.getActivityHistory, async ({ params, query }) => {
  const body = await getRunHistory(params.id, query.limit);
  return { etag: weakEtag("history", body), build: () => body };
});
