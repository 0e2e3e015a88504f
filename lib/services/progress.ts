/**
 * The progress snapshot of an activity, computed on the server: percentage, recent rate, time
 * remaining (from this run's rate, or earlier runs of the same run profile before there is one),
 * counts by operation, phases and, for a schedule execution, step N of M.
 */
import type { ProgressSnapshot } from "@/lib/api/progress";
import { COUNTER_GROUPS } from "@/lib/domain/counters";
import {
  estimateSecondsRemaining,
  percentComplete,
  rangeFromHistory,
  recentRate,
  remainingRange,
  runHistoryOf,
  type RemainingRange,
  type RunHistory,
} from "@/lib/domain/progress";
import { currentStepOf, stepsOf, type PlannedStep, type StepView } from "@/lib/domain/schedule";
import {
  findChildren,
  findRecentRunTimes,
  findSamplesAfter,
  type ActivityListRow,
  type ActivityRow,
  type QueueSlot,
} from "@/lib/repo/activities";
import { asOfMs, countersOf, phasesOf } from "./mappers";

const HISTORY_TTL_MS = 60_000;
const g = globalThis as unknown as { __syncwatchRunHistory?: Map<number, { at: number; history: RunHistory | null }> };
const historyCache = (g.__syncwatchRunHistory ??= new Map());

/** Medians of the last completed runs of each run profile (cached for a minute). */
export async function runHistories(runProfileIds: number[]): Promise<Map<number, RunHistory | null>> {
  const now = Date.now();
  const out = new Map<number, RunHistory | null>();
  const missing: number[] = [];
  for (const id of new Set(runProfileIds)) {
    const hit = historyCache.get(id);
    if (hit && now - hit.at < HISTORY_TTL_MS) out.set(id, hit.history);
    else missing.push(id);
  }
  if (missing.length) {
    const runs = await findRecentRunTimes(missing);
    for (const id of missing) {
      const history = runHistoryOf(runs.get(id) ?? []);
      historyCache.set(id, { at: now, history });
      out.set(id, history);
    }
  }
  return out;
}

function operationCounts(row: Record<string, unknown>): ProgressSnapshot["operationCounts"] {
  const counters = countersOf(row);
  const group = (key: string) =>
    Object.fromEntries(COUNTER_GROUPS.find((g) => g.key === key)!.fields.map((f) => [f, counters[f]]));
  return {
    import: group("import"),
    synchronisation: group("synchronisation"),
    export: group("export"),
    all: group("all"),
  };
}

const stateOf = (a: { status: string; startedAt: Date | null }) =>
  a.status !== "InProgress" ? "Ended" : a.startedAt ? "Running" : "Queued";

function queueOf(slot: QueueSlot | undefined): ProgressSnapshot["queue"] {
  return slot
    ? {
        position: slot.position,
        lane: slot.queueKey,
        behind: slot.behindId ? { id: slot.behindId, name: slot.behindName ?? "" } : null,
      }
    : null;
}

/** The snapshot's estimateRange in whole seconds, rounded as estimatedSecondsRemaining is (so it stays inside). */
const rangeInSeconds = (r: RemainingRange | null): ProgressSnapshot["estimateRange"] =>
  r && { lowSeconds: Math.round(r.low), highSeconds: Math.round(r.high) };

/** Rate and time remaining of one run (or one step). */
async function runEstimate(row: ActivityListRow, history: RunHistory | null, now: number) {
  const elapsedMs = row.startedAt ? Math.max(0, (row.endedAt?.getTime() ?? now) - row.startedAt.getTime()) : 0;
  if (row.status !== "InProgress") {
    const rate = elapsedMs > 0 ? (row.objectsProcessed * 1000) / elapsedMs : null;
    return { rate, remaining: null, range: null, basis: null, elapsedMs };
  }
  if (!row.startedAt) {
    const remaining = history?.durationMs ? history.durationMs / 1000 : null;
    return {
      rate: null,
      remaining,
      range: remaining === null ? null : rangeFromHistory(remaining),
      basis: history ? ("previous-runs" as const) : null,
      elapsedMs,
    };
  }
  const samples = await findSamplesAfter(row.id, new Date(now - 60_000), 500);
  const recent = recentRate(
    samples.map((s) => ({ at: new Date(s.at).getTime(), processed: Number(s.objectsProcessed) })),
    now,
  );
  const input = { processed: row.objectsProcessed, total: row.objectsToProcess, recent, history, elapsedMs };
  const remaining = estimateSecondsRemaining(input);
  const basis =
    recent && history?.objectsPerSecond && recent.spanMs < 20_000
      ? "mixed"
      : recent
        ? "recent-rate"
        : history
          ? "previous-runs"
          : null;
  return {
    rate: recent?.rate ?? null,
    remaining,
    range: remainingRange(input),
    basis: remaining === null ? null : basis,
    elapsedMs,
  } as const;
}

export async function runProgress(
  row: ActivityRow,
  slot: QueueSlot | undefined,
  now = asOfMs(row),
): Promise<ProgressSnapshot> {
  const history = row.runProfileId ? ((await runHistories([row.runProfileId])).get(row.runProfileId) ?? null) : null;
  const est = await runEstimate(row, history, now);
  return {
    activityId: row.id,
    status: row.status,
    state: stateOf(row),
    queue: queueOf(slot),
    unit: "objects",
    percentComplete: percentComplete(row.objectsProcessed, row.objectsToProcess),
    objectsProcessed: row.objectsProcessed,
    objectsToProcess: row.objectsToProcess,
    objectsPerSecond: est.rate === null ? null : Math.round(est.rate * 10) / 10,
    estimatedSecondsRemaining: est.remaining === null ? null : Math.round(est.remaining),
    estimateBasis: est.basis,
    estimateRange: rangeInSeconds(est.range),
    elapsedSeconds: row.startedAt ? Math.round(est.elapsedMs / 1000) : null,
    operationCounts: operationCounts(row),
    phases: phasesOf(row.phases),
    currentStep: null,
    steps: null,
    sampledAt: new Date(now).toISOString(),
  };
}

export function plannedStepsOf(row: { plannedSteps: unknown }): PlannedStep[] {
  return Array.isArray(row.plannedSteps) ? (row.plannedSteps as PlannedStep[]) : [];
}

export interface ScheduleProgress {
  snapshot: ProgressSnapshot;
  steps: StepView<ActivityListRow>[];
  histories: Map<number, RunHistory | null>;
}

/** A schedule execution: its steps (pending ones too), step N of M, and time remaining over the steps left. */
export async function scheduleProgress(
  row: ActivityRow,
  slot: QueueSlot | undefined,
  now = asOfMs(row),
): Promise<ScheduleProgress> {
  const plan = plannedStepsOf(row);
  const children = await findChildren(row.id);
  const steps = stepsOf(plan, children, row.status);
  const histories = await runHistories(
    steps
      .map((s) => s.plan?.runProfileId ?? s.activity?.runProfileId)
      .filter((id): id is number => typeof id === "number"),
  );
  const ended = steps.filter((s) => s.status !== "Pending" && s.status !== "InProgress").length;
  const current = row.status === "InProgress" ? currentStepOf(steps) : null;
  let fraction = 0;
  let remaining: number | null = 0;
  // the range follows the estimate: the latest-ending running step, then the pending steps
  let range: RemainingRange | null = { low: 0, high: 0 };
  let basis: ProgressSnapshot["estimateBasis"] = null;
  const pendingByGroup = new Map<string, number>();
  for (const s of steps) {
    const rpId = s.plan?.runProfileId ?? s.activity?.runProfileId ?? null;
    const history = rpId ? (histories.get(rpId) ?? null) : null;
    if (s.activity && s.status === "InProgress") {
      const est = await runEstimate(s.activity, history, now);
      const pct = percentComplete(s.activity.objectsProcessed, s.activity.objectsToProcess);
      if (pct !== null) fraction += pct / 100;
      if (est.remaining === null) remaining = null;
      else if (remaining !== null) remaining = Math.max(remaining, est.remaining);
      range =
        est.range && range
          ? { low: Math.max(range.low, est.range.low), high: Math.max(range.high, est.range.high) }
          : null;
      basis ??= est.basis;
    } else if (s.status === "Pending") {
      const key =
        s.plan?.parallelGroup !== null && s.plan?.parallelGroup !== undefined
          ? `g${s.plan.parallelGroup}`
          : `s${s.stepIndex}`;
      const ms = history?.durationMs ?? null;
      if (ms === null) remaining = null;
      else pendingByGroup.set(key, Math.max(pendingByGroup.get(key) ?? 0, ms));
    }
  }
  if (remaining !== null) {
    for (const ms of pendingByGroup.values()) {
      remaining += ms / 1000;
      const step = rangeFromHistory(ms / 1000);
      if (range) range = { low: range.low + step.low, high: range.high + step.high };
    }
    basis = basis ?? (pendingByGroup.size ? "previous-runs" : null);
  }
  const total = steps.length;
  const objectsProcessed = children.reduce((sum, c) => sum + c.totalObjectsProcessed, 0);
  const elapsedMs = row.startedAt ? Math.max(0, (row.endedAt?.getTime() ?? now) - row.startedAt.getTime()) : null;
  const running = row.status === "InProgress";
  return {
    steps,
    histories,
    snapshot: {
      activityId: row.id,
      status: row.status,
      state: stateOf(row),
      queue: queueOf(slot),
      unit: "steps",
      percentComplete: total
        ? Math.min(100, Math.round(((ended + fraction) / total) * 1000) / 10)
        : running
          ? null
          : 100,
      objectsProcessed,
      objectsToProcess: null,
      objectsPerSecond: elapsedMs ? Math.round(((objectsProcessed * 1000) / elapsedMs) * 10) / 10 : null,
      estimatedSecondsRemaining: running && remaining !== null ? Math.round(remaining) : null,
      estimateBasis: running && remaining !== null ? basis : null,
      estimateRange: running && remaining !== null ? rangeInSeconds(range) : null,
      elapsedSeconds: elapsedMs === null ? null : Math.round(elapsedMs / 1000),
      operationCounts: operationCounts(sumRows(children)),
      phases: phasesOf(row.phases),
      currentStep: current
        ? { index: current.stepIndex, count: total, name: current.plan?.name ?? current.activity?.name ?? "" }
        : null,
      steps: { completed: ended, total },
      sampledAt: new Date(now).toISOString(),
    },
  };
}

function sumRows(rows: ActivityListRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) for (const [k, v] of Object.entries(countersOf(r))) out[k] = (out[k] ?? 0) + v;
  return out;
}

export async function progressOf(
  row: ActivityRow,
  slot: QueueSlot | undefined,
  now = asOfMs(row),
): Promise<ProgressSnapshot> {
  return row.targetType === "Schedule"
    ? (await scheduleProgress(row, slot, now)).snapshot
    : runProgress(row, slot, now);
}
