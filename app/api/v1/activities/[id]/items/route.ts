import { AppendItemsBody, IdParam, ItemListQuery } from "@/lib/api/schemas";
import { json, parseBody, parseQuery, route } from "@/lib/http/handler";
import { activityRecorder } from "@/lib/services/activity-recorder";
import { listItems } from "@/lib/services/items";

export const dynamic = "force-dynamic";

export const GET = route({ access: "admin", params: IdParam }, async ({ url, params }) => {
  const q = parseQuery(ItemListQuery, url);
  return json(await listItems(params.id, q), { headers: { "Cache-Control": "private, no-cache" } });
});

export const POST = route({ access: "admin", params: IdParam }, async ({ req, params }) => {
  const body = await parseBody(AppendItemsBody, req);
  const r = await activityRecorder.appendItems(params.id, body.items);
  return json({ received: body.items.length, inserted: r.inserted, duplicates: r.duplicates });
});
