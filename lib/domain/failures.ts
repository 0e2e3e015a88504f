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

// ---------- an object's story ----------

/** What the failure tracker recorded for one run of the object: it failed, or it recovered. */
export interface StoryEvent {
  kind: "Failed" | "Recovered";
  at: string;
  activityId: string;
  activityName: string;
  errorType: string | null;
  errorMessage: string | null;
}

/** An execution item of the object in a run whose items are kept. */
export interface StoryItem {
  itemId: string;
  activityId: string;
  activityName: string;
  at: string;
  errorType: string | null;
  errorMessage: string | null;
}

/** One run of the object, as its story tells it. */
export interface StoryRun {
  activityId: string;
  activityName: string;
  at: string;
  /** Failed, or Succeeded (processed without an error). */
  outcome: "Failed" | "Succeeded";
  /** A success that ended a failing streak (the failure tracker marked the object recovered). */
  recovered: boolean;
  errorType: string | null;
  errorMessage: string | null;
  /** The run's item, while its items are kept. */
  itemId: string | null;
  /** For a failed run: the how-manieth failure of its streak (1 = New: the streak began here). */
  streak: number | null;
  /** For a failed run: when its streak began (the first failure since the object last recovered). */
  firstOccurred: string | null;
}

/** The object as of one run: what that run did to it and where its failing stood then. */
export interface StoryAsOf {
  activityId: string;
  outcome: "Failed" | "Succeeded";
  /** The object began failing in this run (its streak's first failure). */
  new: boolean;
  /** Failures in the streak up to and including this run (0 after a success that ended a streak or had none). */
  streak: number;
  firstOccurred: string | null;
  recovered: boolean;
  /** Runs after this one: failures and whether the object recovered since. */
  laterFailures: number;
  laterRecoveredAt: string | null;
}

/**
 * The object's runs, oldest first, from the failure tracker's events (every failure and recovery,
 * kept for the retention window) and the object's items in runs whose items are kept (its other
 * successes). The streak is counted as the tracker decides New and Recurring: it begins with a
 * failure after a recovery (or the first failure) and only a recovery ends it; a success in a run
 * that does not settle the failure (another run profile, a delta run that did not process it)
 * shows in the story without ending the streak. With `asOf`, the object as of that run.
 */
export function objectStory(
  events: StoryEvent[],
  items: StoryItem[],
  asOf?: string,
): { runs: StoryRun[]; asOf: StoryAsOf | null } {
  const byRun = new Map<string, StoryRun>();
  const itemOf = new Map(items.map((i) => [i.activityId, i]));
  for (const e of events) {
    const item = itemOf.get(e.activityId);
    const known = byRun.get(e.activityId);
    // A run fails an object once (one event); a recovery after a failure in the same run cannot be.
    if (known && known.outcome === "Failed") continue;
    byRun.set(e.activityId, {
      activityId: e.activityId,
      activityName: e.activityName,
      at: e.at,
      outcome: e.kind === "Failed" ? "Failed" : "Succeeded",
      recovered: e.kind === "Recovered",
      errorType: e.kind === "Failed" ? e.errorType : null,
      errorMessage: e.kind === "Failed" ? e.errorMessage : null,
      itemId: item?.itemId ?? null,
      streak: null,
      firstOccurred: null,
    });
  }
  for (const i of items) {
    if (byRun.has(i.activityId)) continue;
    byRun.set(i.activityId, {
      activityId: i.activityId,
      activityName: i.activityName,
      at: i.at,
      outcome: i.errorType ? "Failed" : "Succeeded",
      recovered: false,
      errorType: i.errorType,
      errorMessage: i.errorMessage,
      itemId: i.itemId,
      streak: null,
      firstOccurred: null,
    });
  }
  const runs = [...byRun.values()].sort((a, b) => a.at.localeCompare(b.at) || a.activityId.localeCompare(b.activityId));
  let streak = 0;
  let since: string | null = null;
  for (const r of runs) {
    if (r.outcome === "Failed") {
      streak++;
      since ??= r.at;
      r.streak = streak;
      r.firstOccurred = since;
    } else if (r.recovered) {
      streak = 0;
      since = null;
    }
  }
  const at = asOf ? runs.findIndex((r) => r.activityId === asOf) : -1;
  if (at < 0) return { runs, asOf: null };
  const run = runs[at];
  const later = runs.slice(at + 1);
  // Where the streak stood after this run: the last failure's count, or 0 once a recovery ended it.
  let open: StoryRun | null = null;
  for (const r of runs.slice(0, at + 1)) open = r.outcome === "Failed" ? r : r.recovered ? null : open;
  return {
    runs,
    asOf: {
      activityId: run.activityId,
      outcome: run.outcome,
      new: run.streak === 1,
      streak: open?.streak ?? 0,
      firstOccurred: open?.firstOccurred ?? null,
      recovered: run.recovered,
      laterFailures: later.filter((r) => r.outcome === "Failed").length,
      laterRecoveredAt: later.find((r) => r.recovered)?.at ?? null,
    },
  };
}
