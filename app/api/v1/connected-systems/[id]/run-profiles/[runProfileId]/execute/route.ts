import { RunProfileParams, TriggerBody } from "@/lib/api/schemas";
import { json, parseBody, route } from "@/lib/http/handler";
import { initiatorOf } from "@/lib/http/initiator";
import { triggerRunProfile } from "@/lib/services/triggers";

export const dynamic = "force-dynamic";

export const POST = route({ access: "admin", params: RunProfileParams }, async ({ req, params, principal }) => {
  await parseBody(TriggerBody, req, { allowEmpty: true });
  const r = await triggerRunProfile(params.id, params.runProfileId, initiatorOf(principal));
  return json(r, { status: 202, headers: { Location: r.location } });
});
