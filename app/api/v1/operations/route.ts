import { endpoints } from "@/lib/api/endpoints";
import { currentEtag, epochNow, rememberEtag } from "@/lib/http/memo";
import { route, weakEtag } from "@/lib/http/route";
import { ANY_ACTIVITY } from "@/lib/repo/changes";
import { getOperations } from "@/lib/services/operations";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.getOperations, {
  etagFromMemory: () => currentEtag("operations"),
  waitOn: () => [ANY_ACTIVITY],
  handler: async () => {
    const epoch = epochNow();
    const r = await getOperations();
    const etag = weakEtag("operations", r.fingerprint);
    rememberEtag("operations", epoch, etag);
    return { etag, build: () => r.body };
  },
});
