"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endpoints } from "@/lib/client/endpoints";
import type { SavedView } from "@/lib/api/saved-views";
import { request } from "@/lib/client/http";
import { keys, queries } from "@/lib/client/resources";

export type SavedViewScope = SavedView["scope"];

/** The saved views of one list, and the writes on them (each refreshes the list of views). */
export function useSavedViews(scope: SavedViewScope) {
  const qc = useQueryClient();
  const list = useQuery(queries.savedViews(scope));
  const onSuccess = () => qc.invalidateQueries({ queryKey: keys.savedViews(scope) });
  const create = useMutation({
    mutationFn: (v: { name: string; query: string; isDefault: boolean }) =>
      request(endpoints.createSavedView, { body: { scope, ...v } }),
    onSuccess,
  });
  const update = useMutation({
    mutationFn: ({ id, ...body }: { id: string; name?: string; query?: string; isDefault?: boolean }) =>
      request(endpoints.updateSavedView, { params: { id }, body }),
    onSuccess,
  });
  const remove = useMutation({
    mutationFn: (id: string) => request(endpoints.deleteSavedView, { params: { id } }),
    onSuccess,
  });
  return { list, create, update, remove };
}

/** The list's query string worth saving: its filters and order, not the page it was on. */
export function viewQueryOf(search: string): string {
  const sp = new URLSearchParams(search);
  sp.delete("page");
  sp.sort();
  return sp.toString();
}
