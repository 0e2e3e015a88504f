/** Schedule executions as first-class resources: every planned step, pending ones included. */
import type { ScheduleExecution, ScheduleExecutionList, ScheduleExecutionSummary } from "@/lib/api/schedules";
import { NotFoundError } from "@/lib/domain/errors";
import type { ActivityStatus } from "@/lib/domain/enums";
import {
  findActiveActivities,
  findActivity,
  findPlannedStepCounts,
  findQueueSlots,
  findStepStates,
  listActivities as listActivityRows,
  type ActivityListRow,
  type ActivityRow,
} from "@/lib/repo/activities";
import type { Versioned } from "@/lib/live/answers";
import { dependsOn, envelope, LIST_DEPENDS } from "./activities";
import { asOfMs, iso, toSummary } from "./mappers";
import { scheduleProgress } from "./progress";
import { activityRecorder } from "./recorder";

async function summaries(rows: ActivityListRow[]): Promise<ScheduleExecutionSummary[]> {
  const [states, plans, slots] = await Promise.all([
    findStepStates(rows.map((r) => r.id)),
    findPlannedStepCounts(rows.map((r) => r.id)),
    findQueueSlots(rows.filter((r) => r.status === "InProgress" && !r.startedAt).map((r) => r.id)),
  ]);
  return rows.map((r) => {
    const s = states.get(r.id);
    const count = Math.max(plans.get(r.id) ?? 0, s?.existing ?? 0);
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
      stepsCompleted: s?.ended ?? 0,
      currentStep: s?.running ? { index: s.running.stepIndex ?? s.ended + 1, count, name: s.running.name } : null,
      totalObjectsProcessed: r.totalObjectsProcessed,
      totalObjectErrors: r.totalObjectErrors,
    };
  });
}

export async function listScheduleExecutions(q: {
  page: number;
  pageSize: number;
  cursor?: string;
  scheduleId?: number;
  status?: ActivityStatus[];
  order: "asc" | "desc";
}): Promise<Versioned & { body: ScheduleExecutionList }> {
  const page = await listActivityRows(
    { targetType: ["Schedule"], scheduleId: q.scheduleId, status: q.status, topLevelOnly: true },
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

/**
 * The execution with what its answer depends on: its version (a step's change bumps it), and the
 * other activities' while a step waits in a queue.
 */
export async function readScheduleExecution(id: string): Promise<Versioned & { body: ScheduleExecution }> {
  const row = await requireExecution(id);
  const body = await executionOf(row);
  const depends = dependsOn([row]);
  return {
    body,
    depends: { ...depends, anyChange: depends.anyChange || body.steps.some((s) => s.queue !== null) },
  };
}

export async function getScheduleExecution(id: string): Promise<ScheduleExecution> {
  return executionOf(await requireExecution(id));
}

async function executionOf(row: ActivityRow): Promise<ScheduleExecution> {
  const id = row.id;
  const slots = row.status === "InProgress" && !row.startedAt ? await findQueueSlots([id]) : new Map();
  const { snapshot, steps, histories } = await scheduleProgress(row, slots.get(id));
  const stepSlots = await findQueueSlots(
    steps.flatMap((s) =>
      s.activity && s.activity.status === "InProgress" && !s.activity.startedAt ? [s.activity.id] : [],
    ),
  );
  const [summary] = await summaries([row]);
  return {
    ...summary,
    stepCount: steps.length,
    stepsCompleted: snapshot.steps?.completed ?? 0,
    currentStep: snapshot.currentStep,
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
        executionTimeMs: a
          ? a.status === "InProgress"
            ? a.startedAt
              ? Math.max(0, asOfMs(a) - a.startedAt.getTime())
              : null
            : a.executionTimeMs
          : null,
        expectedDurationMs: roundedMs(histories.get(rpId)?.durationMs),
        objectsProcessed: a?.objectsProcessed ?? 0,
        objectsToProcess: a?.objectsToProcess ?? null,
        totalObjectChangeCount: a?.totalObjectChangeCount ?? 0,
        totalObjectErrors: a?.totalObjectErrors ?? 0,
        errorMessage: a?.errorMessage ?? null,
      };
    }),
    progress: snapshot,
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
