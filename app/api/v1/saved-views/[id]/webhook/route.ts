import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { createWebhook, deleteWebhook, getWebhook, updateWebhook } from "@/lib/services/webhooks";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.getWebhook, async ({ params, principal }) =>
  json(await getWebhook(principal.keyId, params.id)),
);

export const POST = route(endpoints.createWebhook, async ({ params, body, principal }) => {
  const webhook = await createWebhook(principal.keyId, params.id, body);
  return json(webhook, { status: 201, headers: { Location: `/api/v1/saved-views/${params.id}/webhook` } });
});

export const PATCH = route(endpoints.updateWebhook, async ({ params, body, principal }) =>
  json(await updateWebhook(principal.keyId, params.id, body)),
);

export const DELETE = route(endpoints.deleteWebhook, async ({ params, principal }) => {
  await deleteWebhook(principal.keyId, params.id);
  return new Response(null, { status: 204 });
});
