"use client";
import { useMemo } from "react";
import { useListState } from "@/lib/client/lists/use-list-state";
import { checkRange, failureList, filterQuery } from "./failure-params";

/** The Failures page's URL state: filters, paging and sort, and the API query of the filters. */
export function useFailureUrl() {
  const { state: url, setState: setUrl, setFilters, clearFilters, hasFilters } = useListState(failureList);
  const check = useMemo(() => checkRange(url), [url]);
  const filters = useMemo(() => filterQuery(url, check), [url, check]);
  return { url, setUrl, check, filters, setFilters, clearFilters, hasFilters };
}
export type FailureUrl = ReturnType<typeof useFailureUrl>;
