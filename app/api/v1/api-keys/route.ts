import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { createApiKey, listApiKeys } from "@/lib/services/api-keys";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.listApiKeys, async () => json(await listApiKeys()));

export const POST = route(endpoints.createApiKey, async ({ body }) => {
  const created = await createApiKey(body.name, body.role);
  return json(created, { status: 201, headers: { Location: `/api/v1/api-keys/${created.id}` } });
});
