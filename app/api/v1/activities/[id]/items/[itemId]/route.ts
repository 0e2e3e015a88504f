import { ItemIdParams } from "@/lib/api/schemas";
import { json, route } from "@/lib/http/handler";
import { getItem } from "@/lib/services/items";

export const dynamic = "force-dynamic";

export const GET = route({ access: "admin", params: ItemIdParams }, async ({ params }) => {
  return json(await getItem(params.id, params.itemId), { headers: { "Cache-Control": "private, no-cache" } });
});
