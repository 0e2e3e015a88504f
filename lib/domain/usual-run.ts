/**
 * The usual run of a run profile, and when a run is far from it.
 *
 * "Usual" is the median of the profile's recent completed runs. "Far" is robust to the odd
 * outlier in that history: a run is unusual when its figure lies outside
 * median ± max(K × 1.4826 × MAD, floor), where MAD is the median absolute deviation (1.4826 × MAD
 * estimates the standard deviation of normal data) and the floor keeps a very steady history
 * (MAD 0) from flagging trivial differences: max(an absolute floor, a share of the median).
 * Errors are unusual only upwards (fewer errors is good news); duration both ways (a run that took
 * a fraction of its usual time may have processed nothing), and only for runs that completed
 * (a run that failed or was cancelled stopped early: its duration says nothing).
 */
import type { ActivityStatus } from "./enums";
import { median } from "./progress";

/** Runs before this one that form the usual run (the most recent completed ones). */
export const BASELINE_RUNS = 20;
/** Fewer completed runs than this: no verdict ("not enough history"). */
export const MIN_BASELINE_RUNS = 5;
/** How many robust standard deviations from the median count as far. */
export const FAR_SPREADS = 3;
/** 1.4826 × MAD estimates the standard deviation of normally distributed values. */
export const MAD_TO_SIGMA = 1.4826;

export type UsualMetric = "errors" | "durationMs";

/** The least distance from the median that counts as far: max(absolute, relative × median). */
export const FAR_FLOORS: Record<UsualMetric, { absolute: number; relative: number }> = {
  // 3 more failed objects than usual, or half as many again as usual
  errors: { absolute: 3, relative: 0.5 },
  // 10 seconds, or half the usual duration
  durationMs: { absolute: 10_000, relative: 0.5 },
};

/** Statuses of runs that ran to the end: the only ones that say what a run usually takes. */
export const COMPLETED_STATUSES: readonly ActivityStatus[] = ["Complete", "CompleteWithWarning", "CompleteWithError"];

export interface UsualRange {
  /** Runs the figure comes from. */
  runs: number;
  median: number;
  /** Median absolute deviation from the median. */
  mad: number;
  /** The range of usual values: outside it a run is far from the usual. */
  low: number;
  high: number;
}

/** Median, MAD and the usual range of a metric over earlier runs; null with fewer than MIN_BASELINE_RUNS. */
export function usualRange(values: number[], metric: UsualMetric): UsualRange | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length < MIN_BASELINE_RUNS) return null;
  const med = median(finite)!;
  const mad = median(finite.map((v) => Math.abs(v - med)))!;
  const floor = FAR_FLOORS[metric];
  const far = Math.max(FAR_SPREADS * MAD_TO_SIGMA * mad, floor.absolute, floor.relative * Math.abs(med));
  return { runs: finite.length, median: med, mad, low: Math.max(0, med - far), high: med + far };
}

export type Direction = "higher" | "lower";

export interface UnusualReason {
  metric: UsualMetric;
  direction: Direction;
  value: number;
  usual: number;
  /** The usual range the value lies outside. */
  low: number;
  high: number;
}

/** One earlier run as the judgement needs it. */
export interface BaselineRun {
  status: ActivityStatus;
  totalObjectErrors: number;
  executionTimeMs: number | null;
}

export interface UsualRun {
  errors: UsualRange | null;
  durationMs: UsualRange | null;
}

/** The usual run from earlier runs (newest first or any order): completed ones only, at most BASELINE_RUNS. */
export function usualRunOf(earlier: BaselineRun[]): UsualRun {
  const completed = earlier.filter((r) => COMPLETED_STATUSES.includes(r.status)).slice(0, BASELINE_RUNS);
  return {
    errors: usualRange(
      completed.map((r) => r.totalObjectErrors),
      "errors",
    ),
    durationMs: usualRange(
      completed.flatMap((r) => (r.executionTimeMs === null ? [] : [r.executionTimeMs])),
      "durationMs",
    ),
  };
}

export interface RunFigures {
  status: ActivityStatus;
  totalObjectErrors: number;
  /** Final duration of an ended run; time so far of a running one. */
  durationMs: number | null;
}

/**
 * Why a run is far from the usual one; empty when it is not (or when there is too little history).
 * A running run is judged only on what can no longer come back: errors already above the usual
 * range, or time already past it.
 */
export function unusualReasons(run: RunFigures, usual: UsualRun): UnusualReason[] {
  const out: UnusualReason[] = [];
  const running = run.status === "InProgress";
  const e = usual.errors;
  if (e && run.totalObjectErrors > e.high)
    out.push({ metric: "errors", direction: "higher", value: run.totalObjectErrors, usual: e.median, ...bounds(e) });
  const d = usual.durationMs;
  const judgeDuration = running || COMPLETED_STATUSES.includes(run.status);
  if (d && judgeDuration && run.durationMs !== null) {
    if (run.durationMs > d.high)
      out.push({ metric: "durationMs", direction: "higher", value: run.durationMs, usual: d.median, ...bounds(d) });
    else if (!running && run.durationMs < d.low)
      out.push({ metric: "durationMs", direction: "lower", value: run.durationMs, usual: d.median, ...bounds(d) });
  }
  return out;
}

const bounds = (r: UsualRange) => ({ low: r.low, high: r.high });
