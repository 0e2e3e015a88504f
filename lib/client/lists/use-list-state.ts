"use client";
import { useQueryStates } from "nuqs";
import { useCallback } from "react";
import type { ListDefinition, ListPatch } from "./define-list";
import type { ParserMap } from "nuqs";

/**
 * A list's state, read from and written to the URL by its definition. Filter changes push a history
 * entry (Back returns to the previous view) and go back to the first page; typing in a text field
 * replaces the entry instead.
 */
export function useListState<P extends ParserMap, F extends keyof P & string>(list: ListDefinition<P, F>) {
  const [state, setState] = useQueryStates(list.parsers, { urlKeys: list.urlKeys, history: "push", scroll: false });
  /** Changes filters: back to the first page. */
  const setFilters = useCallback(
    (patch: ListPatch<P>, history: "push" | "replace" = "push") =>
      setState({ ...list.reset, ...patch } as Parameters<typeof setState>[0], { history }),
    [setState, list],
  );
  /** Clears every filter: back to the first page, sort and page size kept. */
  const clearFilters = useCallback(
    () => setState(list.clear as Parameters<typeof setState>[0], { history: "push" }),
    [setState, list],
  );
  return { state, setState, setFilters, clearFilters, hasFilters: list.hasFilters(state) };
}
