import { IdParam } from "@/lib/api/schemas";
import { json, route } from "@/lib/http/handler";
import { revokeApiKey } from "@/lib/services/api-keys";

export const dynamic = "force-dynamic";

/** Revokes the key (idempotent); its sessions end at once. */
export const DELETE = route({ access: "admin", params: IdParam }, async ({ params }) =>
  json(await revokeApiKey(params.id)),
);
