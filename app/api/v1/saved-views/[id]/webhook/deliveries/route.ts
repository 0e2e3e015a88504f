import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { listWebhookDeliveries } from "@/lib/services/webhooks";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.listWebhookDeliveries, async ({ params, query, principal }) =>
  json(await listWebhookDeliveries(principal.keyId, params.id, query)),
);
