import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { redeliverWebhookDelivery } from "@/lib/services/webhooks";

export const dynamic = "force-dynamic";

export const POST = route(endpoints.redeliverWebhookDelivery, async ({ params, principal }) =>
  json(await redeliverWebhookDelivery(principal.keyId, params.id, params.deliveryId)),
);
