import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { triggerRunProfile } from "@/lib/services/triggers";

export const dynamic = "force-dynamic";

export const POST = route(endpoints.executeRunProfile, async ({ params, principal }) => {
  const r = await triggerRunProfile(params.id, params.runProfileId, {
    type: "ApiKey",
    id: principal.keyId,
    name: principal.keyName,
  });
  return json(r, { status: r.deduplicated ? 200 : 202, headers: { Location: r.location } });
});
