/** Schedule executions as first-class resources: every planned step, pending ones included. */
import { filtersOf, type FiltersConform } from "@/lib/api/kit";
import type {
  ScheduleExecution,
  ScheduleExecutionList,
  ScheduleExecutionSummary,
  ScheduleStepView,
  ScheduleExecutionFilters,
  ScheduleExecutionListQuery,
} from "@/lib/api/schedules";
import type { ActivityFilter } from "@/lib/repo/activities";
import { endedStepCount, stepsOf } from "@/lib/domain/schedule";
import { NotFoundError } from "@/lib/domain/errors";
import {
  findActiveActivities,
  findActivity,
  findChildren,
  findPlannedStepCounts,
  findQueueSlots,
  findStepStates,
  listActivities as listActivityRows,
  type ActivityListRow,
  type ActivityRow,
  type QueueSlot,
} from "@/lib/repo/activities";
import { findPreviousExecution } from "@/lib/repo/run-history";
import type { Versioned } from "@/lib/live/answers";
import { dependsOn, envelope, LIST_DEPENDS } from "./activities";
import { asOfMs, countsOf, iso, toSummary } from "./mappers";
import { plannedStepsOf, scheduleProgress } from "./progress";
import { activityRecorder } from "./recorder";

type _ScheduleExecutionFilterConforms = FiltersConform<ActivityFilter, ScheduleExecutionFilters>;

async function summaries(rows: ActivityListRow[]): Promise<ScheduleExecutionSummary[]> {
  const [states, plans, slots] = await Promise.all([
    findStepStates(rows.map((r) => r.id)),
    findPlannedStepCounts(rows.map((r) => r.id)),
    findQueueSlots(rows.filter((r) => r.status === "InProgress" && !r.startedAt).map((r) => r.id)),
  ]);
  return rows.map((r) => {
    const s = states.get(r.id);
    const planned = plans.get(r.id) ?? 0;
    const count = Math.max(planned, s?.existing ?? 0);
    const summary = toSummary(r, slots.get(r.id));
    return {
      id: r.id,
      scheduleId: r.scheduleId,
      scheduleName: r.scheduleName,
      name: r.name,
      status: r.status,
      queue: summary.queue,
      initiatedBy: summary.initiatedBy,
      created: summary.created,
      started: summary.started,
      ended: summary.ended,
      executionTimeMs: summary.executionTimeMs,
      stepCount: count,
      stepsCompleted: endedStepCount(r.status, { planned, existing: s?.existing ?? 0, ended: s?.ended ?? 0 }),
      currentStep: s?.running ? { index: s.running.stepIndex ?? s.ended + 1, count, name: s.running.name } : null,
      totalObjectsProcessed: r.totalObjectsProcessed,
      totalObjectErrors: r.totalObjectErrors,
    };
  });
}

/** The query's filters are the activity list's (the schema conforms to ActivityFilter), on top-level schedule runs. */
export async function listScheduleExecutions(
  q: ScheduleExecutionListQuery,
): Promise<Versioned & { body: ScheduleExecutionList }> {
  const filter = filtersOf(q);
  const page = await listActivityRows(
    { ...filter, targetType: ["Schedule"], topLevelOnly: true },
    {
      sort: "created",
      order: q.order,
      page: q.page,
      pageSize: q.pageSize,
      cursor: q.cursor,
      scope: "schedule-executions",
    },
  );
  return { body: envelope(await summaries(page.rows), page, q), depends: LIST_DEPENDS };
}

export async function listActiveScheduleExecutions(): Promise<{ items: ScheduleExecutionSummary[] }> {
  const rows = (await findActiveActivities()).filter((r) => r.targetType === "Schedule");
  return { items: await summaries(rows) };
}

export async function requireExecution(id: string): Promise<ActivityRow> {
  const row = await findActivity(id);
  if (!row || row.targetType !== "Schedule")
    throw new NotFoundError(`Schedule execution ${id} does not exist.`, { id });
  return row;
}

/** The steps of the schedule's previous execution, by position. */
async function previousSteps(row: ActivityRow) {
  if (row.scheduleId === null) return null;
  const prev = await findPreviousExecution({ id: row.id, scheduleId: row.scheduleId, createdAt: row.createdAt });
  if (!prev) return null;
  const steps = stepsOf(plannedStepsOf(prev), await findChildren(prev.id), prev.status);
  return { row: prev, steps: new Map(steps.flatMap((s) => (s.activity ? [[s.stepIndex, s.activity]] : []))) };
}

/** Milliseconds a step took, or (running) had taken at its last change. */
const durationOf = (a: ActivityListRow) =>
  a.status === "InProgress" ? (a.startedAt ? Math.max(0, asOfMs(a) - a.startedAt.getTime()) : null) : a.executionTimeMs;

/**
 * The execution with what its answer depends on: its version (a step's change bumps it), the
 * previous execution's (each step is set against it), and the other activities' while a step
 * waits in a queue.
 */
export async function readScheduleExecution(id: string): Promise<Versioned & { body: ScheduleExecution }> {
  const row = await requireExecution(id);
  const { body, previous } = await executionOf(row);
  const depends = dependsOn(previous ? [row, previous] : [row]);
  return {
    body,
    depends: { ...depends, anyChange: depends.anyChange || body.steps.some((s) => s.queue !== null) },
  };
}

export async function getScheduleExecution(id: string): Promise<ScheduleExecution> {
  return (await executionOf(await requireExecution(id))).body;
}

/**
 * The execution with its steps and progress, set against the previous execution, from its row (and
 * its queue slot when the caller has read it).
 */
export async function executionOf(
  row: ActivityRow,
  slot?: QueueSlot,
): Promise<{ body: ScheduleExecution; previous: ActivityRow | null }> {
  const id = row.id;
  if (slot === undefined && row.status === "InProgress" && !row.startedAt) slot = (await findQueueSlots([id])).get(id);
  const [{ snapshot, steps, histories }, previous] = await Promise.all([
    scheduleProgress(row, slot),
    previousSteps(row),
  ]);
  const stepSlots = await findQueueSlots(
    steps.flatMap((s) =>
      s.activity && s.activity.status === "InProgress" && !s.activity.startedAt ? [s.activity.id] : [],
    ),
  );
  const [summary] = await summaries([row]);
  const body: ScheduleExecution = {
    ...summary,
    stepCount: steps.length,
    stepsCompleted: snapshot.steps?.completed ?? 0,
    currentStep: snapshot.currentStep,
    previousExecutionId: previous?.row.id ?? null,
    steps: steps.map((s) => {
      const a = s.activity;
      const plan = s.plan;
      const rpId = plan?.runProfileId ?? a?.runProfileId ?? 0;
      const slot = a ? stepSlots.get(a.id) : undefined;
      return {
        stepIndex: s.stepIndex,
        name: plan?.name ?? a?.name ?? `Step ${s.stepIndex}`,
        connectedSystemId: plan?.connectedSystemId ?? a?.connectedSystemId ?? 0,
        connectedSystemName: plan?.connectedSystemName ?? a?.connectedSystemName ?? "",
        runProfileId: rpId,
        runProfileName: plan?.runProfileName ?? a?.runProfileName ?? "",
        runType: plan?.runType ?? a?.runType ?? "FullImport",
        parallelGroup: plan?.parallelGroup ?? null,
        status: s.status,
        activityId: a?.id ?? null,
        queue: slot
          ? {
              position: slot.position,
              lane: slot.queueKey,
              behind: slot.behindId ? { id: slot.behindId, name: slot.behindName ?? "" } : null,
            }
          : null,
        started: iso(a?.startedAt),
        ended: iso(a?.endedAt),
        executionTimeMs: a ? durationOf(a) : null,
        expectedDurationMs: roundedMs(histories.get(rpId)?.durationMs),
        objectsProcessed: a?.objectsProcessed ?? 0,
        objectsToProcess: a?.objectsToProcess ?? null,
        totalObjectChangeCount: a?.totalObjectChangeCount ?? 0,
        totalObjectErrors: a?.totalObjectErrors ?? 0,
        errorMessage: a?.errorMessage ?? null,
        errorTypeCounts: countsOf(a?.errorTypeCounts),
        previous: stepBefore(a, previous?.steps.get(s.stepIndex), rpId),
      };
    }),
    progress: snapshot,
  };
  return { body, previous: previous?.row ?? null };
}

/** The same step in the previous execution (same run profile), with this step's deltas against it. */
function stepBefore(
  a: ActivityListRow | null,
  before: ActivityListRow | undefined,
  runProfileId: number,
): ScheduleStepView["previous"] {
  if (!before || before.runProfileId !== runProfileId) return null;
  const was = durationOf(before);
  const is = a ? durationOf(a) : null;
  return {
    activityId: before.id,
    status: before.status,
    executionTimeMs: was,
    totalObjectErrors: before.totalObjectErrors,
    durationDeltaMs: is !== null && was !== null ? is - was : null,
    errorsDelta: a?.startedAt ? a.totalObjectErrors - before.totalObjectErrors : null,
  };
}

/** The median of an even number of runs falls between two milliseconds; the contract counts whole ones. */
function roundedMs(ms: number | null | undefined): number | null {
  return ms == null ? null : Math.round(ms);
}

export async function cancelScheduleExecution(id: string, reason: string | undefined): Promise<ScheduleExecution> {
  await requireExecution(id);
  await activityRecorder.cancel(id, reason);
  return getScheduleExecution(id);
}
