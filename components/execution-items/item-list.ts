"use client";
/**
 * The item grid's state in the URL (nuqs): the items endpoint's query names, prefixed "i." so
 * they do not clash with other lists, plus "i.item" for the open drawer.
 */
import { parseAsArrayOf, parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs";
import { useMemo } from "react";
import { ITEM_SORT_FIELDS, PAGE_SIZES } from "@/lib/api/limits";
import { ERROR_TYPES, FAILURE_RECURRENCES, OBJECT_CHANGE_TYPES } from "@/lib/domain/enums";
import type { QueryInput } from "@/lib/client/http";
import { defineList, keysExcept, type ListPatch, type ListState } from "@/lib/client/lists/define-list";

export const MAX_SEARCH = 200;
const ERROR_FILTERS = [...ERROR_TYPES, "any", "none"] as const;

export const itemParsers = {
  page: parseAsInteger.withDefault(1),
  pageSize: parseAsInteger.withDefault(25),
  errorType: parseAsArrayOf(parseAsStringLiteral(ERROR_FILTERS)).withDefault([]),
  changeType: parseAsArrayOf(parseAsStringLiteral(OBJECT_CHANGE_TYPES)).withDefault([]),
  objectType: parseAsArrayOf(parseAsString).withDefault([]),
  recurrence: parseAsArrayOf(parseAsStringLiteral(FAILURE_RECURRENCES)).withDefault([]),
  search: parseAsString.withDefault(""),
  sort: parseAsStringLiteral(ITEM_SORT_FIELDS).withDefault("sequence"),
  order: parseAsStringLiteral(["asc", "desc"] as const).withDefault("asc"),
  item: parseAsString,
};
export type ItemState = ListState<typeof itemParsers>;
export type ItemStatePatch = ListPatch<typeof itemParsers>;

/** The grid's definition: every key but the paging, the sort and the open item is a filter. */
export const itemList = defineList({
  parsers: itemParsers,
  urlKeys: Object.fromEntries(Object.keys(itemParsers).map((k) => [k, `i.${k}`])) as {
    [K in keyof typeof itemParsers]: string;
  },
  filters: keysExcept(itemParsers, ["page", "pageSize", "sort", "order", "item"]),
  resets: ["page"],
  trimText: true,
});

/** The filters as the items (and items.csv) query: search over the limit is left out (the form says why). */
export function itemFilterQuery(s: ItemState): QueryInput {
  const search = s.search.trim();
  return {
    errorType: s.errorType,
    changeType: s.changeType,
    objectType: s.objectType,
    recurrence: s.recurrence,
    search: search && search.length <= MAX_SEARCH ? search : undefined,
    sort: s.sort === "sequence" ? undefined : s.sort,
    order: s.order === "asc" ? undefined : s.order,
  };
}

/** The page query: the filters plus a valid page and page size. */
export function useItemListQuery(s: ItemState): QueryInput {
  const filters = itemFilterQuery(s);
  const pageSize = (PAGE_SIZES as readonly number[]).includes(s.pageSize) ? s.pageSize : 25;
  const page = Math.max(1, s.page);
  const text = JSON.stringify(filters);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the filters' JSON so the object is stable
  return useMemo(() => ({ ...filters, page, pageSize }), [text, page, pageSize]);
}
