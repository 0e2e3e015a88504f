import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { deleteSavedView, updateSavedView } from "@/lib/services/saved-views";

export const dynamic = "force-dynamic";

export const PATCH = route(endpoints.updateSavedView, async ({ params, body, principal }) =>
  json(await updateSavedView(principal.keyId, params.id, body)),
);

export const DELETE = route(endpoints.deleteSavedView, async ({ params, principal }) => {
  await deleteSavedView(principal.keyId, params.id);
  return new Response(null, { status: 204 });
});
