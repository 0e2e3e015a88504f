/**
 * Rate, percentage and time remaining of a running activity, computed on the server from its
 * progress samples and, before there is a rate, from earlier runs of the same run profile.
 */
export interface SamplePoint {
  /** Epoch milliseconds. */
  at: number;
  processed: number;
}

/**
 * What earlier runs of the same run profile took (medians); null fields when unknown. A run
 * connects first (lead), then processes its objects, then finishes (tail): the rate is the
 * processing rate where the runs' samples show when processing began and ended.
 */
export interface RunHistory {
  objectsPerSecond: number | null;
  durationMs: number | null;
  /** From the start to the first object processed. */
  leadMs?: number | null;
  /** From the last object processed to the end. */
  tailMs?: number | null;
  /** Runs the figures come from. */
  runs: number;
}

/** The window the "recent" rate is measured over, and the least span that makes it meaningful. */
export const RATE_WINDOW_MS = 20_000;
export const MIN_RATE_SPAN_MS = 2_000;

/**
 * Objects per second over the last RATE_WINDOW_MS of samples (from the sample just before the
 * window, so a rate exists as soon as two samples are MIN_RATE_SPAN_MS apart). Null before that.
 * The time before the first object (connecting) is not processing time: the span starts no
 * earlier than the last sample with nothing processed.
 */
export function recentRate(points: SamplePoint[], now?: number): { rate: number; spanMs: number } | null {
  let start = 0;
  for (let i = points.length - 1; i > 0; i--)
    if (points[i].processed === 0) {
      start = i;
      break;
    }
  if (points.length - start < 2) return null;
  const last = points[points.length - 1];
  const from = (now ?? last.at) - RATE_WINDOW_MS;
  let first = points[start];
  for (let i = points.length - 2; i >= start; i--) {
    first = points[i];
    if (points[i].at <= from) break;
  }
  const spanMs = last.at - first.at;
  if (spanMs < MIN_RATE_SPAN_MS) return null;
  return { rate: Math.max(0, ((last.processed - first.processed) * 1000) / spanMs), spanMs };
}

/** What the time remaining of a running run is estimated from. */
export interface EstimateInput {
  processed: number;
  total: number | null;
  recent: { rate: number; spanMs: number } | null;
  history: RunHistory | null;
  /** Milliseconds since processing started. */
  elapsedMs: number;
}

/**
 * Seconds until the activity ends: remaining objects at the recent rate, blended with the rate of
 * earlier runs while the recent window is short, plus what earlier runs took after their last
 * object (and, before the first object, what is left of their connecting time); from earlier runs'
 * duration when nothing else is known. Null when there is nothing to go on.
 */
export function estimateSecondsRemaining(input: EstimateInput): number | null {
  const { processed, total, recent, history } = input;
  if (total !== null && processed >= total) return 0;
  let rate: number | null = null;
  if (recent && recent.rate > 0) {
    const weight = Math.min(1, recent.spanMs / RATE_WINDOW_MS);
    rate = history?.objectsPerSecond ? weight * recent.rate + (1 - weight) * history.objectsPerSecond : recent.rate;
  } else if (history?.objectsPerSecond) {
    rate = history.objectsPerSecond;
  }
  if (total !== null && rate) {
    const lead = processed === 0 && !recent ? Math.max(0, (history?.leadMs ?? 0) - input.elapsedMs) : 0;
    return Math.max(0, (total - processed) / rate + (lead + (history?.tailMs ?? 0)) / 1000);
  }
  if (history?.durationMs) return Math.max(0, (history.durationMs - input.elapsedMs) / 1000);
  return null;
}

/** Seconds the time remaining likely lies between; low = high when the estimate is confident. */
export interface RemainingRange {
  low: number;
  high: number;
}

/** Below this share of its objects, a run's own rate is still settling. */
export const EARLY_SHARE = 0.1;
/** A recent rate further than this from the earlier runs' (either way) makes the estimate unsure... */
export const RATE_DISAGREEMENT = 0.25;
/** ...until this share of the objects is done: from then on the run's own rate is the better guide. */
export const OWN_RATE_SHARE = 0.5;
/** How far an unsure estimate is widened either way. */
export const UNSURE_MARGIN = 0.25;
/** How far an estimate from earlier runs alone (nothing measured of this run) is widened either way. */
export const HISTORY_ONLY_MARGIN = 0.3;

const widened = (seconds: number[], margin: number): RemainingRange => ({
  low: Math.max(0, Math.min(...seconds) * (1 - margin)),
  high: Math.max(...seconds) * (1 + margin),
});

/** What earlier runs alone say a run, or a schedule step not started yet, still takes. */
export const rangeFromHistory = (seconds: number): RemainingRange => widened([seconds], HISTORY_ONLY_MARGIN);

/**
 * The range the time remaining lies in, around estimateSecondsRemaining. The estimate is unsure
 * early in the run (no rate of its own yet, a rate measured over less than RATE_WINDOW_MS, fewer
 * than EARLY_SHARE of the objects done, or no total to measure the share by), and, before
 * OWN_RATE_SHARE of the objects are done, while its rate differs from the earlier runs' by more than
 * RATE_DISAGREEMENT: then the range spans the time left at either rate. An unsure range is widened
 * by UNSURE_MARGIN when early (HISTORY_ONLY_MARGIN on earlier runs alone); a confident one is the
 * estimate itself. Null when there is no estimate.
 */
export function remainingRange(input: EstimateInput): RemainingRange | null {
  const point = estimateSecondsRemaining(input);
  if (point === null) return null;
  const { processed, total, recent, history } = input;
  if (total !== null && processed >= total) return { low: point, high: point };
  if (!recent || recent.rate <= 0) return rangeFromHistory(point);
  const share = total ? processed / total : null;
  const early = share === null || share < EARLY_SHARE || recent.spanMs < RATE_WINDOW_MS;
  const historyRate = history?.objectsPerSecond ?? null;
  const disagrees =
    historyRate !== null &&
    (share === null || share < OWN_RATE_SHARE) &&
    Math.abs(recent.rate / historyRate - 1) > RATE_DISAGREEMENT;
  if (!early && !disagrees) return { low: point, high: point };
  const atEitherRate = disagrees
    ? [
        estimateSecondsRemaining({ ...input, history: { ...history!, objectsPerSecond: null } }),
        estimateSecondsRemaining({ ...input, recent: null }),
      ].filter((s): s is number => s !== null)
    : [];
  return widened([point, ...atEitherRate], early ? UNSURE_MARGIN : 0);
}

/** Steps of the units a time remaining is said in: 5 s under a minute, whole minutes under an hour, then half hours. */
const UNITS = [
  { unit: "s", seconds: 1, step: 5, below: 57.5 },
  { unit: "min", seconds: 60, step: 1, below: 59.5 * 60 },
  { unit: "h", seconds: 3600, step: 0.5, below: Infinity },
] as const;

/**
 * A time remaining in human units, in the unit of its upper end: "about 40 s" when both ends say
 * the same, "1–2 min" or "5–8 min" when they do not, "under 2 min" when the lower end rounds to
 * nothing, "about 1 h", and "a few seconds" at the very end.
 */
export function describeRemaining(range: RemainingRange): string {
  const u = UNITS.find((x) => range.high < x.below)!;
  const inUnit = (seconds: number) => {
    const n = Math.round(seconds / u.seconds / u.step) * u.step;
    return Number.isInteger(n) ? String(n) : n.toFixed(1);
  };
  const high = inUnit(range.high);
  const low = inUnit(range.low);
  if (high === "0") return "a few seconds";
  if (low === high) return `about ${high} ${u.unit}`;
  if (low === "0") return `under ${high} ${u.unit}`;
  return `${low}–${high} ${u.unit}`;
}

export function percentComplete(processed: number, total: number | null): number | null {
  if (total === null) return null;
  if (total <= 0) return 100;
  return Math.min(100, Math.round((processed / total) * 1000) / 10);
}

/** Median of the finite values; null for none. */
export function median(values: number[]): number | null {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** An earlier run: its objects and time, and where its samples show processing began and ended. */
export interface PastRun {
  objectsProcessed: number;
  executionTimeMs: number | null;
  leadMs?: number | null;
  processMs?: number | null;
}

/** The history figures of earlier runs: the processing rate where known (else over the whole run), lead and tail. */
export function runHistoryOf(runs: PastRun[]): RunHistory | null {
  const timed = runs.filter((r) => r.executionTimeMs !== null && r.executionTimeMs > 0);
  if (timed.length === 0) return null;
  const phased = (r: PastRun) => r.leadMs != null && r.processMs != null && r.processMs > 0;
  const rates = timed
    .filter((r) => r.objectsProcessed > 0)
    .map((r) => (r.objectsProcessed * 1000) / (phased(r) ? r.processMs! : r.executionTimeMs!));
  const split = timed.filter(phased);
  return {
    objectsPerSecond: median(rates),
    durationMs: median(timed.map((r) => r.executionTimeMs!)),
    leadMs: median(split.map((r) => r.leadMs!)),
    tailMs: median(split.map((r) => Math.max(0, r.executionTimeMs! - r.leadMs! - r.processMs!))),
    runs: timed.length,
  };
}
