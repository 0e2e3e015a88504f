/**
 * A schedule execution as its steps: every step planned when the execution was created, joined
 * with the step activities that exist so far. Steps not yet started are Pending while the execution
 * runs; once it ended (cancelled, interrupted) they never will, and are Cancelled.
 */
import type { ActivityStatus, RunType } from "./enums";

export interface PlannedStep {
  stepIndex: number;
  name: string;
  connectedSystemId: number;
  connectedSystemName: string;
  runProfileId: number;
  runProfileName: string;
  runType: RunType;
  /** Consecutive steps with the same group start together. */
  parallelGroup: number | null;
}

export type StepStatus = ActivityStatus | "Pending";

/**
 * How often the simulated engine really fires a schedule configured every `intervalMinutes`: it runs
 * time faster (a 15-minute cycle every 2.5 min, a nightly one every 15 min), within 1 to 15 minutes.
 */
export function demoFiringIntervalMs(intervalMinutes: number): number {
  return Math.min(15 * 60_000, Math.max(60_000, intervalMinutes * 10_000));
}

export interface StepActivity {
  id: string;
  stepIndex: number | null;
  status: ActivityStatus;
  startedAt: Date | null;
}

export interface StepView<A extends StepActivity> {
  plan: PlannedStep | null;
  stepIndex: number;
  status: StepStatus;
  activity: A | null;
}

/**
 * The status of a planned step that has no activity: Pending while its execution runs. An execution
 * that ended (cancelled, or interrupted) starts no more steps: the ones it never started ended with
 * it, Cancelled, and are counted as ended like the steps that ran.
 */
const unstartedStatus = (execution: ActivityStatus): StepStatus =>
  execution === "InProgress" ? "Pending" : "Cancelled";

/**
 * Steps ended, from counts (the lists read no steps): the step activities that ended, and once the
 * execution ended, the planned steps it never started. `stepsOf` counts the same.
 */
export function endedStepCount(
  execution: ActivityStatus,
  s: { planned: number; existing: number; ended: number },
): number {
  const never = Math.max(0, s.planned - s.existing);
  return s.ended + (unstartedStatus(execution) === "Pending" ? 0 : never);
}

/**
 * Plan and activities side by side, in step order. Activities without a step index (recorded
 * through the API) follow the plan in creation order; a plan longer than the activities shows the
 * rest without an activity: Pending, or Cancelled once the execution (status `execution`) ended.
 */
export function stepsOf<A extends StepActivity>(
  plan: PlannedStep[],
  activities: A[],
  execution: ActivityStatus,
): StepView<A>[] {
  const byIndex = new Map<number, A>();
  const loose: A[] = [];
  for (const a of activities) {
    if (a.stepIndex !== null && !byIndex.has(a.stepIndex)) byIndex.set(a.stepIndex, a);
    else loose.push(a);
  }
  let next = 1;
  const take = () => {
    while (byIndex.has(next)) next++;
    const a = loose.shift();
    if (a) byIndex.set(next, a);
  };
  while (loose.length) take();
  const count = Math.max(plan.length, ...byIndex.keys(), 0);
  const out: StepView<A>[] = [];
  for (let i = 1; i <= count; i++) {
    const activity = byIndex.get(i) ?? null;
    out.push({
      plan: plan.find((p) => p.stepIndex === i) ?? null,
      stepIndex: i,
      status: activity?.status ?? unstartedStatus(execution),
      activity,
    });
  }
  return out;
}

/** The step running now (the first started, unfinished one), else the next pending one. */
export function currentStepOf<A extends StepActivity>(steps: StepView<A>[]): StepView<A> | null {
  return (
    steps.find((s) => s.activity && s.status === "InProgress" && s.activity.startedAt) ??
    steps.find((s) => s.status === "InProgress") ??
    steps.find((s) => s.status === "Pending") ??
    null
  );
}
