import { endpoints } from "@/lib/api/endpoints";
import { activityEtag } from "@/lib/http/memo";
import { route } from "@/lib/http/route";
import { getItem, itemsHeader } from "@/lib/services/items";
import { FINISHED_ITEMS_CACHE } from "../route";

export const dynamic = "force-dynamic";

export const GET = route(endpoints.getExecutionItem, async ({ params }) => {
  const a = await itemsHeader(params.id);
  return {
    // A finished run's item changes only when retention purges it.
    etag: activityEtag("item", params.itemId, a.status === "InProgress" ? a.version : 0, a.itemsKept),
    cacheControl: a.status === "InProgress" ? undefined : FINISHED_ITEMS_CACHE,
    build: () => getItem(a, params.itemId),
  };
});
