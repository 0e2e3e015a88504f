"use client";
/**
 * The item grid's state in the URL (nuqs): the items endpoint's query names, prefixed "i." so
 * they do not clash with other lists, plus "i.item" for the open drawer.
 */
import { parseAsArrayOf, parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs";
import { useMemo } from "react";
import { ITEM_SORT_FIELDS, PAGE_SIZES } from "@/lib/api/limits";
import type { ExecutionItemList } from "@/lib/api/items";
import { ERROR_TYPE_INFO, ERROR_TYPES, FAILURE_RECURRENCES, OBJECT_CHANGE_TYPES } from "@/lib/domain/enums";
import { changeTypeLabel, errorTypeLabel } from "@/lib/client/error-types";
import type { QueryInput } from "@/lib/client/http";
import { choiceQuery, defineChoices } from "@/lib/client/lists/choices";
import { defineList, keysExcept, type ListPatch, type ListState } from "@/lib/client/lists/define-list";
import { searchable } from "@/lib/client/lists/search";

const ERROR_FILTERS = [...ERROR_TYPES, "any", "none"] as const;

/**
 * The multi-valued filters, as chip groups with the run's counts ("any of"), each under its URL key
 * (prefixed "i.") and API name; ITEM_FACETS names the counts the items answer carries for each (a
 * filter without counts offers all its values).
 */
export const ITEM_CHOICES = defineChoices({
  errorType: {
    legend: "Errors",
    values: ERROR_TYPES,
    label: errorTypeLabel,
    title: (t) => ERROR_TYPE_INFO[t as (typeof ERROR_TYPES)[number]].meaning,
    tone: "danger",
    testId: (t) => `chip-${t}`,
  },
  recurrence: {
    legend: "Failure",
    values: FAILURE_RECURRENCES,
    title: (r) =>
      r === "New"
        ? "Failed in this run but not in the previous run of the run profile"
        : "Failed in the previous run of the run profile too",
    testId: (r) => `chip-recurrence-${r}`,
  },
  changeType: {
    legend: "Change",
    values: OBJECT_CHANGE_TYPES,
    label: changeTypeLabel,
    testId: (c) => `chip-change-${c}`,
  },
  objectType: { legend: "Object type", values: [], open: true, testId: (o) => `chip-object-${o}` },
});
export const ITEM_FACETS: Partial<Record<keyof typeof ITEM_CHOICES, keyof ExecutionItemList["facets"]>> = {
  errorType: "errorTypes",
  recurrence: "recurrence",
  changeType: "changeTypes",
  objectType: "objectTypes",
};

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
    ...choiceQuery(ITEM_CHOICES, s),
    search: search && searchable(search) ? search : undefined,
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
