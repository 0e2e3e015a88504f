import { endpoints } from "@/lib/api/endpoints";
import { activityEtag } from "@/lib/http/memo";
import { json, route } from "@/lib/http/route";
import { itemsHeader, listItems } from "@/lib/services/items";
import { activityRecorder } from "@/lib/services/recorder";

export const dynamic = "force-dynamic";

/** Items of a finished run never change: a private cache may keep them for five minutes. */
export const FINISHED_ITEMS_CACHE = "private, max-age=300";

export const GET = route(endpoints.listExecutionItems, async ({ url, params, query }) => {
  const a = await itemsHeader(params.id);
  return {
    etag: activityEtag("items", a.id, a.version, url.search),
    cacheControl: a.status === "InProgress" ? undefined : FINISHED_ITEMS_CACHE,
    build: () => listItems(a, query),
  };
});

export const POST = route(endpoints.appendExecutionItems, async ({ params, body }) => {
  const r = await activityRecorder.appendItems(params.id, body.items);
  return json({ received: body.items.length, inserted: r.inserted, duplicates: r.duplicates });
});
