"use client";
import { useQueryStates } from "nuqs";
import { useCallback, useMemo } from "react";
import { checkRange, failureParsers, filterQuery, FILTER_KEYS, type FailureUrlState } from "./failure-params";

type Patch = { [K in keyof FailureUrlState]?: FailureUrlState[K] | null };

/** The Failures page's URL state: filters, paging and sort, and the API query of the filters. */
export function useFailureUrl() {
  // a filter change is a new history entry, so Back returns to the previous view
  const [url, setUrl] = useQueryStates(failureParsers, { history: "push", scroll: false });
  const check = useMemo(() => checkRange(url), [url]);
  const filters = useMemo(() => filterQuery(url, check), [url, check]);

  /** Sets filters; both tables go back to their first page. */
  const setFilters = useCallback(
    (patch: Patch, history: "push" | "replace" = "push") =>
      setUrl({ ...patch, page: null, "g.page": null }, { history }),
    [setUrl],
  );
  /** Clears every filter (paging and sort too). */
  const clearFilters = useCallback(
    () =>
      setUrl(Object.fromEntries([...FILTER_KEYS, "page", "g.page"].map((k) => [k, null])) as Patch, {
        history: "push",
      }),
    [setUrl],
  );
  const hasFilters =
    url.errorType.length > 0 ||
    url.connectedSystemId.length > 0 ||
    url.objectType.length > 0 ||
    url.search !== "" ||
    url.state.join(",") !== "Open";
  return { url, setUrl, check, filters, setFilters, clearFilters, hasFilters };
}
export type FailureUrl = ReturnType<typeof useFailureUrl>;
