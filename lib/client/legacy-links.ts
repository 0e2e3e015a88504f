/**
 * Links to the activity list made before its URL used the API's own query names keep working:
 * the proxy rewrites them once (308) into the current vocabulary.
 */
const RENAMED: Record<string, string> = { cs: "connectedSystemId", q: "search", initiator: "initiatorName" };

export const LEGACY_LIST_KEYS = [...Object.keys(RENAMED), "errors", "topLevel"];

export function translateLegacyListQuery(old: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams();
  for (const [k, v] of old) {
    if (k in RENAMED) next.set(RENAMED[k], v);
    else if (k === "errors") {
      if (v === "1" || v === "true") next.set("hasErrors", "true");
    } else if (k === "topLevel") {
      if (v === "0" || v === "false") next.set("topLevelOnly", "false");
    } else next.append(k, v);
  }
  return next;
}
