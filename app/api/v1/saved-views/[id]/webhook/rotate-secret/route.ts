import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { rotateWebhookSecret } from "@/lib/services/webhooks";

export const dynamic = "force-dynamic";

export const POST = route(endpoints.rotateWebhookSecret, async ({ params, principal }) =>
  json(await rotateWebhookSecret(principal.keyId, params.id)),
);
