import { CreateApiKeyBody } from "@/lib/api/schemas";
import { json, parseBody, route } from "@/lib/http/handler";
import { createApiKey, listApiKeys } from "@/lib/services/api-keys";

export const dynamic = "force-dynamic";

export const GET = route({ access: "admin" }, async () => json(await listApiKeys()));

export const POST = route({ access: "admin" }, async ({ req }) => {
  const body = await parseBody(CreateApiKeyBody, req);
  const created = await createApiKey(body.name, body.role);
  return json(created, { status: 201, headers: { Location: `/api/v1/api-keys/${created.id}` } });
});
