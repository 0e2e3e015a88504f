/**
 * The activity list's URL state: ONE nuqs parser object whose keys are the API's own query names
 * (ActivityListQuery in lib/api/activities.ts), plus `range`, a relative time range resolved into
 * `from` at fetch time (never stored resolved). Its definition (lib/client/lists) derives what
 * "clear filters" clears and whether filters are active; the API query and the inline validation
 * are derived here.
 */
import { parseAsArrayOf, parseAsBoolean, parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs";
import { ACTIVITY_SORT_FIELDS, DEFAULT_PAGE_SIZE, PAGE_SIZES, TIME_RANGES } from "@/lib/api/limits";
import {
  ACTIVITY_STATUSES,
  ACTIVITY_TARGET_TYPES,
  INITIATOR_TYPES,
  RUN_TYPES,
  type ActivityStatus,
  type ActivityTargetType,
  type RunType,
} from "@/lib/domain/enums";
import { stepsImplied } from "@/lib/domain/filters";
import type { QueryInput } from "./http";
import { choiceQuery, defineChoices } from "./lists/choices";
import { defineList, keysExcept, type ListPatch, type ListState } from "./lists/define-list";
import { searchProblem } from "./lists/search";
import { RUN_TYPE_LABELS, STATUS_LABELS, TARGET_TYPE_LABELS } from "./labels";

/**
 * The multi-valued filters the filter bar shows as chip groups under "More filters" ("any of"). An
 * entry here is the filter's URL key, its API query parameter (same name) and its chips.
 */
export const CHOICE_FILTERS = defineChoices({
  status: { legend: "Status", values: ACTIVITY_STATUSES, label: (v) => STATUS_LABELS[v as ActivityStatus] },
  runType: { legend: "Run type", values: RUN_TYPES, label: (v) => RUN_TYPE_LABELS[v as RunType] },
});
/** Target type: multi-valued in the API, one select on the page (a link may hold several). */
export const TARGET_TYPE_FILTER = defineChoices({
  targetType: {
    legend: "Target type",
    values: ACTIVITY_TARGET_TYPES,
    label: (v) => TARGET_TYPE_LABELS[v as ActivityTargetType],
  },
});
const anyOf = <T extends string>(values: readonly T[]) => parseAsArrayOf(parseAsStringLiteral(values)).withDefault([]);

// Relative ranges: one table for the list and the server (saved views' webhooks resolve them too).
export { TIME_RANGES };
export type RelativeRange = keyof typeof TIME_RANGES;
export const RANGE_LABELS: Record<RelativeRange, string> = {
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
};
const RANGE_KEYS = [...(Object.keys(TIME_RANGES) as RelativeRange[]), "custom"] as const;

/** The API serves page numbers up to this many rows deep (deeper needs its cursor). */
export const MAX_OFFSET_ROWS = 1_000_000;
/** True when the URL's page lies deeper than the API serves by page number. */
export const isTooDeep = (s: ActivityListState) => Math.max(1, s.page) * pageSizeOf(s) > MAX_OFFSET_ROWS;

export { PAGE_SIZES, DEFAULT_PAGE_SIZE };

export const activityListParsers = {
  status: anyOf(ACTIVITY_STATUSES),
  runType: anyOf(RUN_TYPES),
  targetType: anyOf(ACTIVITY_TARGET_TYPES),
  connectedSystemId: parseAsInteger,
  runProfileId: parseAsInteger,
  scheduleId: parseAsInteger,
  initiatorType: parseAsStringLiteral(INITIATOR_TYPES),
  initiatorName: parseAsString,
  search: parseAsString.withDefault(""),
  range: parseAsStringLiteral(RANGE_KEYS),
  from: parseAsString,
  to: parseAsString,
  // unset: implied by the other filters (activityList.implied); the API's own default is true
  topLevelOnly: parseAsBoolean,
  hasErrors: parseAsBoolean,
  sort: parseAsStringLiteral(ACTIVITY_SORT_FIELDS).withDefault("created"),
  order: parseAsStringLiteral(["asc", "desc"] as const).withDefault("desc"),
  page: parseAsInteger.withDefault(1),
  pageSize: parseAsInteger.withDefault(DEFAULT_PAGE_SIZE),
};
export type ActivityListState = ListState<typeof activityListParsers>;
export type ActivityListPatch = ListPatch<typeof activityListParsers>;

/**
 * The list's definition: every key but the sort and the paging is a filter. Steps inside schedules
 * are left out unless the person chose to see them (topLevelOnly=false) or the filters imply them
 * (a run profile, run type or connected system, or a look for failures: see stepsImplied).
 */
export const activityList = defineList({
  parsers: activityListParsers,
  filters: keysExcept(activityListParsers, ["sort", "order", "page", "pageSize"]),
  resets: ["page"],
  implied: { topLevelOnly: (s) => !stepsImplied(s) },
});

/** True when the list shows steps inside schedules (chosen, or implied by the filters). */
export const includesSteps = (s: ActivityListState) => activityList.effective(s).topLevelOnly === false;

/** A page size the API accepts (the URL may say anything). */
export const pageSizeOf = (s: ActivityListState) =>
  (PAGE_SIZES as readonly number[]).includes(s.pageSize) ? s.pageSize : DEFAULT_PAGE_SIZE;

const validIso = (v: string | null) => (v && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : undefined);

/** What is wrong with the filters, in words, before anything is asked of the server; null when nothing. */
export function listProblems(s: ActivityListState): { field: "search" | "range"; message: string }[] {
  const out: { field: "search" | "range"; message: string }[] = [];
  const search = searchProblem(s.search);
  if (search) out.push({ field: "search", message: search });
  if (s.from && !validIso(s.from)) out.push({ field: "range", message: "“From” is not a valid date and time." });
  if (s.to && !validIso(s.to)) out.push({ field: "range", message: "“To” is not a valid date and time." });
  const from = validIso(s.from);
  const to = validIso(s.to);
  if (from && to && from > to)
    out.push({ field: "range", message: "“From” is after “To”: no activity can match. Swap them or change one." });
  return out;
}

/**
 * The API query of a state, stable (the relative range stays a name; see resolveListQuery).
 * Used as the query key, so every filter change refetches.
 */
export function listApiQuery(s: ActivityListState): QueryInput {
  const custom = !s.range || s.range === "custom";
  return {
    // a page deeper than the API serves: ask for page 1 to learn the count (the page says where the end is)
    page: isTooDeep(s) ? 1 : Math.max(1, s.page),
    pageSize: pageSizeOf(s),
    sort: s.sort,
    order: s.order,
    ...choiceQuery({ ...CHOICE_FILTERS, ...TARGET_TYPE_FILTER }, s),
    connectedSystemId: s.connectedSystemId ?? undefined,
    runProfileId: s.runProfileId ?? undefined,
    scheduleId: s.scheduleId ?? undefined,
    initiatorType: s.initiatorType ?? undefined,
    initiatorName: s.initiatorName?.trim() || undefined,
    search: s.search.trim() || undefined,
    from: custom ? validIso(s.from) : undefined,
    to: custom ? validIso(s.to) : undefined,
    topLevelOnly: includesSteps(s) ? "false" : undefined,
    hasErrors: s.hasErrors === null ? undefined : String(s.hasErrors),
    range: custom ? undefined : s.range,
  };
}

/**
 * Resolves a relative range into `from` at fetch time. The moment is rounded down to the minute, so
 * polls within the same minute send the same query (and get 304 Not Modified while nothing changed).
 */
export function resolveListQuery(q: QueryInput, now = Date.now()): QueryInput {
  const { range, ...rest } = q;
  if (typeof range !== "string" || !(range in TIME_RANGES)) return rest;
  const minute = Math.floor(now / 60_000) * 60_000;
  return { ...rest, from: new Date(minute - TIME_RANGES[range as RelativeRange]).toISOString() };
}
