"use client";
import { useQueryStates } from "nuqs";
import { useCallback } from "react";
import { activityListParsers, type ActivityListPatch } from "@/lib/client/list-params";

/**
 * The list's state, read from and written to the URL (the one parser object). Filter changes push a
 * history entry, so Back returns to the previous view; typing in a text field replaces it.
 */
export function useActivityListState() {
  const [state, setState] = useQueryStates(activityListParsers, { history: "push", scroll: false });
  /** Changes filters: back to page 1. */
  const setFilters = useCallback(
    (patch: ActivityListPatch, history: "push" | "replace" = "push") => setState({ page: null, ...patch }, { history }),
    [setState],
  );
  /** Changes sort or paging: keeps the filters. */
  const setView = useCallback((patch: ActivityListPatch) => setState(patch), [setState]);
  return { state, setFilters, setView };
}
