import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { createSavedView, listSavedViews } from "@/lib/services/saved-views";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.listSavedViews, async ({ query, principal }) =>
  json(await listSavedViews(principal.keyId, query.scope)),
);

export const POST = route(endpoints.createSavedView, async ({ body, principal }) => {
  const view = await createSavedView(principal.keyId, body);
  return json(view, { status: 201, headers: { Location: `/api/v1/saved-views/${view.id}` } });
});
