/**
 * One list's URL state, defined once: nuqs parsers keyed by the API's own query names (the list's
 * query schema in lib/api), which of those keys are filters, and which paging a filter change sends
 * back to the start. What "clear filters" clears and whether any filter is active follow from the
 * parsers' defaults, so adding a filter to a list is adding its parser (and naming it a filter).
 * A filter may be implied: left unset, it takes the value the other filters imply (the page's
 * behaviour; the URL names it only once the person chose a value).
 */
import { createSerializer, type ParserMap, type UrlKeys, type Values } from "nuqs";

export type ListState<P extends ParserMap> = Values<P>;
/** A change to the URL: null puts a key back to its default (off the URL). */
export type ListPatch<P extends ParserMap> = Partial<{ [K in keyof P]: ListState<P>[K] | null }>;

export interface ListSpec<P extends ParserMap, F extends keyof P & string> {
  parsers: P;
  /** URL names that differ from the API's (a prefix where two lists share a page). */
  urlKeys?: UrlKeys<P>;
  /** The filters: what "clear filters" clears. */
  filters: readonly F[];
  /** The filters whose value makes the list "filtered" (all of them unless named). */
  counted?: readonly F[];
  /** The paging keys a filter change (and clearing) resets. */
  resets: readonly (keyof P & string)[];
  /** Text of only spaces filters nothing (the list's query trims it). */
  trimText?: boolean;
  /**
   * Filters whose parser has no default: unset (null), each takes the value its function derives
   * from the other filters; a value the person chose always wins.
   */
  implied?: { [K in F]?: (state: ListState<P>) => NonNullable<ListState<P>[K]> };
}

export interface ListDefinition<P extends ParserMap, F extends keyof P & string> extends ListSpec<P, F> {
  /** The patch that clears every filter and goes back to the first page; sort and page size stay. */
  clear: ListPatch<P>;
  /** The patch a filter change adds: back to the first page. */
  reset: ListPatch<P>;
  /** True when a counted filter differs from its default. */
  hasFilters: (state: ListState<P>) => boolean;
  /** How many of these filters differ from their defaults (a collapsed group's badge). */
  countSet: (state: ListState<P>, keys: readonly F[]) => number;
  /** A state (defaults left out) as the list's query string. */
  serialize: ReturnType<typeof createSerializer<P>>;
  /** The state the list shows: each unset implied filter at the value the other filters imply. */
  effective: (state: ListState<P>) => ListState<P>;
  /** True when the filter is implied (unset, so derived from the others) rather than chosen. */
  isImplied: (state: ListState<P>, key: F) => boolean;
  /**
   * The patch that sets a filter to a value: an implied filter goes off the URL when the value is
   * what the others imply anyway (so it keeps following them), and is written when it differs.
   */
  choose: <K extends F>(state: ListState<P>, key: K, value: NonNullable<ListState<P>[K]>) => ListPatch<P>;
  /** True when every key of a preset (a quick filter) has the preset's value. */
  hasPreset: (state: ListState<P>, preset: ListPatch<P>) => boolean;
  /**
   * A preset pressed: on, it sets its own keys; off, it clears only its own keys. Every other
   * filter stays, so presets add up with what is already set.
   */
  togglePreset: (state: ListState<P>, preset: ListPatch<P>) => ListPatch<P>;
}

const nulls = <P extends ParserMap>(keys: readonly (keyof P)[]) =>
  Object.fromEntries(keys.map((k) => [k, null])) as ListPatch<P>;

/** Two URL values are the same filter (lists by their items, in order). */
const same = (a: unknown, b: unknown) =>
  Array.isArray(a) || Array.isArray(b)
    ? Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i])
    : a === b;

export function defineList<P extends ParserMap, F extends keyof P & string>(
  spec: ListSpec<P, F>,
): ListDefinition<P, F> {
  const isDefault = (key: F, value: unknown) => {
    const parser = spec.parsers[key] as { defaultValue?: unknown };
    const fallback = parser.defaultValue;
    if (Array.isArray(value))
      return Array.isArray(fallback) && fallback.length ? value.join(",") === fallback.join(",") : !value.length;
    const v = spec.trimText && typeof value === "string" ? value.trim() : value;
    return "defaultValue" in parser ? v === fallback : v === null || v === undefined;
  };
  const counted = spec.counted ?? spec.filters;
  const implied = (spec.implied ?? {}) as Partial<Record<F, (state: ListState<P>) => unknown>>;
  const isImplied = (state: ListState<P>, key: F) => !!implied[key] && state[key] === null;
  const effective = (state: ListState<P>) => {
    const out = { ...state } as Record<string, unknown>;
    for (const key of Object.keys(implied) as F[]) if (isImplied(state, key)) out[key] = implied[key]!(state);
    return out as ListState<P>;
  };
  const hasPreset = (state: ListState<P>, preset: ListPatch<P>) =>
    Object.entries(preset).every(([k, v]) => same(state[k], v));
  return {
    ...spec,
    clear: nulls<P>([...spec.filters, ...spec.resets]),
    reset: nulls<P>(spec.resets),
    hasFilters: (state) => counted.some((k) => !isDefault(k, state[k])),
    countSet: (state, keys) => keys.filter((k) => !isDefault(k, state[k])).length,
    serialize: createSerializer(spec.parsers, { urlKeys: spec.urlKeys }),
    effective,
    isImplied,
    choose: (state, key, value) => {
      const derive = implied[key];
      const follows = derive && same(derive({ ...state, [key]: null }), value);
      return { [key]: follows ? null : value } as ListPatch<P>;
    },
    hasPreset,
    togglePreset: (state, preset) => (hasPreset(state, preset) ? nulls<P>(Object.keys(preset)) : preset),
  };
}

/** Every key of the parsers but the named ones (sort and paging): a list's filters, in URL order. */
export const keysExcept = <P extends ParserMap, X extends keyof P & string>(parsers: P, except: readonly X[]) =>
  Object.keys(parsers).filter((k) => !(except as readonly string[]).includes(k)) as Exclude<keyof P & string, X>[];
