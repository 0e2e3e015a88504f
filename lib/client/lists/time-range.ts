/**
 * The time range of a list, as its URL holds it: `range` (a preset, resolved against now when the
 * request runs), or `range=custom` with `from` and `to`. One set of rules for every list's time
 * field: which choice a state shows, and what choosing one writes.
 */
export interface RangeState {
  range: string | null;
  from: string | null;
  to: string | null;
}

/** The choices besides a list's own presets. */
export const ANY_TIME = "";
export const CUSTOM = "custom";
/** Last night: a custom range written at once (so a link to it shows the same night tomorrow). */
export const LAST_NIGHT = "night";
export const LAST_NIGHT_LABEL = "Last night (18:00–06:00)";

/**
 * The night that ended (or is ending) this morning, in the viewer's zone: yesterday 18:00 to today
 * 06:00, whatever the hour now, which is what "what failed last night?" asks the morning after.
 */
export function lastNight(now = new Date()): { from: string; to: string } {
  const to = new Date(now);
  to.setHours(6, 0, 0, 0);
  const from = new Date(to);
  from.setDate(from.getDate() - 1);
  from.setHours(18, 0, 0, 0);
  return { from: from.toISOString(), to: to.toISOString() };
}

const isLastNight = (s: RangeState, now: Date) => {
  const night = lastNight(now);
  return s.from === night.from && s.to === night.to;
};

/**
 * The choice a state shows: a preset; custom (last night when its dates are tonight's); with no
 * range, a custom range when dates are given, else the list's default (any time, or a preset).
 */
export function rangeChoice(s: RangeState, fallback: string = ANY_TIME, now = new Date()): string {
  const custom = s.range === CUSTOM || (!s.range && !!(s.from || s.to));
  if (custom) return isLastNight(s, now) ? LAST_NIGHT : CUSTOM;
  return s.range ?? fallback;
}

/**
 * What choosing writes. A preset clears the dates (the fallback preset is left unsaid); last night
 * writes its dates; a custom range starts as the preset it replaces, so the rows stay the same.
 */
export function chooseRange(
  s: RangeState,
  choice: string,
  presets: Record<string, number>,
  fallback: string = ANY_TIME,
  now = new Date(),
): RangeState {
  if (choice === LAST_NIGHT) return { range: CUSTOM, ...lastNight(now) };
  if (choice === CUSTOM) {
    const span = presets[rangeChoice(s, fallback, now)];
    if (span === undefined) return { range: CUSTOM, from: s.from || null, to: s.to || null };
    return { range: CUSTOM, from: new Date(now.getTime() - span).toISOString(), to: now.toISOString() };
  }
  return { range: choice === fallback || choice === ANY_TIME ? null : choice, from: null, to: null };
}
