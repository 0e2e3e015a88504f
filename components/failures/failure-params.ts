/**
 * The Failures page's URL: one nuqs parser object whose keys are the API's query names (state,
 * errorType, connectedSystemId, objectType, search, activityId, template, from, to, page, pageSize, sort, order), plus
 * `range` (the relative preset, resolved to from/to when a request runs) and `g.page`, `g.pageSize`
 * (the groups table's paging). How that state becomes /api/v1/failures queries lives here too.
 */
import { parseAsArrayOf, parseAsInteger, parseAsNumberLiteral, parseAsString, parseAsStringLiteral } from "nuqs";
import { FAILURE_SORT_FIELDS, PAGE_SIZES } from "@/lib/api/limits";
import { errorTypeHelp, errorTypeLabel } from "@/lib/client/error-types";
import type { QueryInput } from "@/lib/client/http";
import { choiceQuery, defineChoices } from "@/lib/client/lists/choices";
import { defineList, keysExcept, type ListPatch, type ListState } from "@/lib/client/lists/define-list";
import { ERROR_TYPES, OBJECT_FAILURE_STATES, type ErrorType } from "@/lib/domain/enums";
import { NO_TEMPLATE } from "@/lib/domain/messages";

type FailureGroupKeys = { errorType: ErrorType; connectedSystemId: number; objectType: string | null };

export const RANGE_PRESETS = ["24h", "7d", "30d", "90d", "custom"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const RANGE_MS: Record<Exclude<RangePreset, "custom">, number> = {
  "24h": DAY,
  "7d": 7 * DAY,
  "30d": 30 * DAY,
  "90d": 90 * DAY,
};
export const RANGE_LABELS: Record<RangePreset, string> = {
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  custom: "Custom range",
};
/** "in the last 7 days": for sentences. */
export const RANGE_PHRASES: Record<Exclude<RangePreset, "custom">, string> = {
  "24h": "in the last 24 hours",
  "7d": "in the last 7 days",
  "30d": "in the last 30 days",
  "90d": "in the last 90 days",
};
/** The next wider preset, offered when a range is empty. */
export const WIDER_RANGE: Partial<Record<RangePreset, RangePreset>> = { "24h": "7d", "7d": "30d", "30d": "90d" };

/** The multi-valued filters shown as chip groups ("any of"), each under its URL key and API name. */
export const FAILURE_CHOICES = defineChoices({
  errorType: {
    legend: "Error type",
    values: ERROR_TYPES,
    label: errorTypeLabel,
    title: (t) => errorTypeHelp(t).meaning,
    tone: "danger",
    testId: (t) => `error-type-${t}`,
  },
});

export const failureParsers = {
  state: parseAsArrayOf(parseAsStringLiteral(OBJECT_FAILURE_STATES)).withDefault(["Open"]),
  errorType: parseAsArrayOf(parseAsStringLiteral(ERROR_TYPES)).withDefault([]),
  connectedSystemId: parseAsArrayOf(parseAsInteger).withDefault([]),
  objectType: parseAsArrayOf(parseAsString).withDefault([]),
  search: parseAsString.withDefault(""),
  activityId: parseAsArrayOf(parseAsString).withDefault([]),
  template: parseAsString.withDefault(""),
  range: parseAsStringLiteral(RANGE_PRESETS),
  from: parseAsString.withDefault(""),
  to: parseAsString.withDefault(""),
  page: parseAsInteger.withDefault(1),
  pageSize: parseAsNumberLiteral(PAGE_SIZES).withDefault(25),
  sort: parseAsStringLiteral(FAILURE_SORT_FIELDS).withDefault("lastSeen"),
  order: parseAsStringLiteral(["asc", "desc"] as const).withDefault("desc"),
  "g.page": parseAsInteger.withDefault(1),
  "g.pageSize": parseAsNumberLiteral(PAGE_SIZES).withDefault(25),
};
export type FailureUrlState = ListState<typeof failureParsers>;
export type FailureUrlPatch = ListPatch<typeof failureParsers>;

/**
 * The page's definition. Filters are what the summary, both tables and the export share (not the
 * paging or sort); the time range is one, but only the others make the page "filtered"; a filter
 * change sends both tables back to their first page.
 */
export const failureList = defineList({
  parsers: failureParsers,
  filters: keysExcept(failureParsers, ["page", "pageSize", "sort", "order", "g.page", "g.pageSize"]),
  counted: ["state", "errorType", "connectedSystemId", "objectType", "search", "activityId", "template"],
  resets: ["page", "g.page"],
});

/**
 * The URL of the page drilled into one group: its three keys become the filters; with a template
 * (null: the objects without one), the objects whose latest message has it (without, the template
 * filter stays as it was).
 */
export function groupHref(url: FailureUrlState, g: FailureGroupKeys, template?: string | null): string {
  return (
    failureList.serialize("/failures", {
      ...url,
      errorType: [g.errorType],
      connectedSystemId: [g.connectedSystemId],
      objectType: g.objectType === null ? null : [g.objectType],
      template: template === undefined ? url.template || null : (template ?? NO_TEMPLATE),
      page: null,
      "g.page": null,
    }) + "#failed-objects"
  );
}

/**
 * The Failures page of the objects that failed in a run, recovered since or not: a custom range from
 * the run's creation, so a run older than any preset is covered too.
 */
export function failuresOfRunHref(run: { id: string; created: string }): string {
  const q = new URLSearchParams({ activityId: run.id, state: "Open,Recovered", range: "custom", from: run.created });
  return `/failures?${q.toString()}`;
}

/** The preset in effect: a link with only from/to is a custom range; no range at all is the last 7 days. */
export function effectiveRange(s: Pick<FailureUrlState, "range" | "from" | "to">): RangePreset {
  if (s.range) return s.range;
  return s.from || s.to ? "custom" : "7d";
}

const MIN_DATE = Date.parse("1970-01-01T00:00:00Z");
const MAX_DATE = Date.parse("9999-12-31T23:59:59.999Z");
function parseDate(v: string): number | null {
  // the API takes ISO 8601 with an offset; a local date-time from the picker is read in the viewer's zone
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(v)) return null;
  const t = Date.parse(v);
  return Number.isFinite(t) && t >= MIN_DATE && t <= MAX_DATE ? t : null;
}

export type RangeCheck =
  { ok: true; preset: RangePreset; from?: string; to?: string } | { ok: false; preset: RangePreset; problem: string };

/** Checks a custom range from the URL; presets are always fine. */
export function checkRange(s: Pick<FailureUrlState, "range" | "from" | "to">): RangeCheck {
  const preset = effectiveRange(s);
  if (preset !== "custom") return { ok: true, preset };
  const from = s.from ? parseDate(s.from) : undefined;
  const to = s.to ? parseDate(s.to) : undefined;
  if (from === null)
    return { ok: false, preset, problem: `The start of the range, “${clip(s.from)}”, is not a date and time.` };
  if (to === null)
    return { ok: false, preset, problem: `The end of the range, “${clip(s.to)}”, is not a date and time.` };
  if (from === undefined && to === undefined) return { ok: false, preset, problem: "Choose when the range starts." };
  if (from !== undefined && to !== undefined && from > to)
    return { ok: false, preset, problem: "The range starts after it ends: choose a start before the end." };
  return {
    ok: true,
    preset,
    from: from === undefined ? undefined : new Date(from).toISOString(),
    to: to === undefined ? undefined : new Date(to).toISOString(),
  };
}
const clip = (v: string) => (v.length > 40 ? `${v.slice(0, 40)}…` : v);

/**
 * The filters as API query values, stable across renders: a relative range stays a preset (kept
 * under `range` so a change refetches) and becomes dates in resolveRange, when the request runs.
 */
export function filterQuery(s: FailureUrlState, check: RangeCheck): QueryInput {
  return {
    state: s.state.length ? s.state : ["Open"],
    ...choiceQuery(FAILURE_CHOICES, s),
    connectedSystemId: s.connectedSystemId,
    objectType: s.objectType,
    search: s.search.trim() || undefined,
    activityId: s.activityId,
    template: s.template || undefined,
    range: check.preset === "custom" ? undefined : check.preset,
    from: check.ok && check.preset === "custom" ? check.from : undefined,
    to: check.ok && check.preset === "custom" ? check.to : undefined,
  };
}

/** Replaces the preset of a query by the API's from (and no to: up to now), at the time of the call. */
export function resolveRange(q: QueryInput, now = Date.now()): QueryInput {
  const { range, ...rest } = q;
  if (typeof range === "string" && range in RANGE_MS)
    return { ...rest, from: new Date(now - RANGE_MS[range as keyof typeof RANGE_MS]).toISOString() };
  return rest;
}

/** The range for sentences: "in the last 7 days", or "between 1 Nov 09:00 and 3 Nov 18:00". */
export function rangePhrase(check: RangeCheck, fmt: (iso: string) => string): string {
  if (check.preset !== "custom") return RANGE_PHRASES[check.preset];
  if (!check.ok) return "in the chosen range";
  if (check.from && check.to) return `between ${fmt(check.from)} and ${fmt(check.to)}`;
  if (check.from) return `since ${fmt(check.from)}`;
  return `up to ${fmt(check.to!)}`;
}
