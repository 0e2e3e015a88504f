/**
 * Links made before the list and the item grid used the API's own query names keep working:
 * the proxy (proxy.ts) rewrites them once, at the edge, with a 308 into the current vocabulary
 * (lib/client/list-params.ts). The list itself only knows the new names.
 */
const RENAMED: Record<string, string> = { cs: "connectedSystemId", q: "search", initiator: "initiatorName" };
const BOOLEAN_FLAGS: Record<string, string> = { errors: "hasErrors", topLevel: "topLevelOnly" };

export const LEGACY_LIST_KEYS = [...Object.keys(RENAMED), ...Object.keys(BOOLEAN_FLAGS)];

const truthy = (v: string) => v === "1" || v === "true";

export function translateLegacyListQuery(old: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams();
  for (const [k, v] of old) {
    if (k in RENAMED) {
      if (!old.has(RENAMED[k])) next.set(RENAMED[k], v);
    } else if (k === "errors") {
      if (truthy(v)) next.set("hasErrors", "true");
    } else if (k === "topLevel") {
      if (!truthy(v)) next.set("topLevelOnly", "false");
    } else next.append(k, v);
  }
  // `page=1` was written by old links; it is the default now.
  if (next.get("page") === "1") next.delete("page");
  return next;
}

/** The detail page's item grid once kept its state under "item…" keys; it uses "i.<API name>" now. */
const ITEM_KEYS: Record<string, string> = {
  item: "i.item",
  itemPage: "i.page",
  itemPageSize: "i.pageSize",
  itemSort: "i.sort",
  itemOrder: "i.order",
  itemErrorType: "i.errorType",
  itemChangeType: "i.changeType",
  itemObjectType: "i.objectType",
  itemSearch: "i.search",
};

export const LEGACY_ITEM_KEYS = Object.keys(ITEM_KEYS);

export function translateLegacyItemQuery(old: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams();
  for (const [k, v] of old) {
    const renamed = ITEM_KEYS[k];
    if (!renamed) next.append(k, v);
    else if (!old.has(renamed)) next.set(renamed, v);
  }
  return next;
}
