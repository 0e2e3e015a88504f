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

/**
 * Seconds until the activity ends: remaining objects at the recent rate, blended with the rate of
 * earlier runs while the recent window is short, plus what earlier runs took after their last
 * object (and, before the first object, what is left of their connecting time); from earlier runs'
 * duration when nothing else is known. Null when there is nothing to go on.
 */
export function estimateSecondsRemaining(input: {
  processed: number;
  total: number | null;
  recent: { rate: number; spanMs: number } | null;
  history: RunHistory | null;
  /** Milliseconds since processing started. */
  elapsedMs: number;
}): number | null {
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
