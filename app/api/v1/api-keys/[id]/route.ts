import { endpoints } from "@/lib/api/endpoints";
import { json, route } from "@/lib/http/route";
import { revokeApiKey } from "@/lib/services/api-keys";

export const dynamic = "force-dynamic";

export const DELETE = route(endpoints.revokeApiKey, async ({ params }) => json(await revokeApiKey(params.id)));
