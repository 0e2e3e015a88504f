/**
 * Failures across runs: each failing object of a connected system is tracked by a key that stays
 * the same from run to run, so "is it new?" has an answer after the items are gone.
 */
import type { RunType } from "./enums";
import { FULL_RUN_TYPES } from "./enums";

/** The object's identity within its connected system: external id, else connector-space id, else name. */
export function objectKeyOf(item: {
  externalIdValue: string | null;
  connectedSystemObjectId: string | null;
  displayName: string | null;
}): string | null {
  if (item.externalIdValue) return `ext:${item.externalIdValue}`;
  if (item.connectedSystemObjectId) return `cso:${item.connectedSystemObjectId}`;
  if (item.displayName) return `name:${item.displayName}`;
  return null;
}

/**
 * How a completed run settles open failures of its run profile that it did not fail again: a full
 * run looked at every object, so they recovered; a delta run only recovers the objects it
 * processed successfully. Runs that failed or were cancelled settle nothing.
 */
export function recoveryScope(run: { runType: RunType | null; status: string }): "all-unfailed" | "processed" | "none" {
  if (!["Complete", "CompleteWithWarning", "CompleteWithError"].includes(run.status)) return "none";
  return run.runType && FULL_RUN_TYPES.includes(run.runType) ? "all-unfailed" : "processed";
}

/** Sizes of the buckets a failure trend is counted in; PostgreSQL's date_trunc names them the same. */
export const TREND_BUCKETS = ["hour", "day", "week", "month", "year"] as const;
export type TrendBucket = (typeof TREND_BUCKETS)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Longest range each bucket size is used for: a trend has at most about 400 buckets. */
const LONGEST_RANGE: [TrendBucket, number][] = [
  ["hour", 2 * DAY],
  ["day", 400 * DAY],
  ["week", 400 * 7 * DAY],
  ["month", 400 * 31 * DAY],
];

/** The bucket size for a range: hours up to two days, then days, weeks, months, and years. */
export function trendBucketOf(from: Date, to: Date): TrendBucket {
  const span = to.getTime() - from.getTime();
  return LONGEST_RANGE.find(([, longest]) => span <= longest)?.[0] ?? "year";
}

/** Start of the bucket holding `ms`, in UTC, as date_trunc computes it (weeks start on Monday). */
export function bucketStartOf(ms: number, bucket: TrendBucket): number {
  const d = new Date(ms);
  switch (bucket) {
    case "hour":
      return Math.floor(ms / HOUR) * HOUR;
    case "day":
      return Math.floor(ms / DAY) * DAY;
    case "week": {
      const day = Math.floor(ms / DAY) * DAY;
      return day - ((d.getUTCDay() + 6) % 7) * DAY;
    }
    case "month":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case "year":
      return Date.UTC(d.getUTCFullYear(), 0, 1);
  }
}

/** The starts of every bucket that overlaps [from, to]. */
export function bucketStarts(from: Date, to: Date, bucket: TrendBucket): number[] {
  const out: number[] = [];
  for (let t = bucketStartOf(from.getTime(), bucket); t <= to.getTime();) {
    out.push(t);
    const d = new Date(t);
    if (bucket === "month") t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    else if (bucket === "year") t = Date.UTC(d.getUTCFullYear() + 1, 0, 1);
    else t += bucket === "week" ? 7 * DAY : bucket === "day" ? DAY : HOUR;
  }
  return out;
}
