/**
 * The one ActivityRecorder: the write API and the run engine record through it. It checks what
 * the request names, enforces the status rules, and leaves the statements to lib/repo.
 */
import type { Counters } from "@/lib/domain/counters";
import {
  completionStatus,
  progressContradiction,
  resolveCompletionStatus,
  summariseChildStatuses,
  type Completion,
  type InitiatedBy,
  type NewActivity,
  type NewExecutionItem,
  type ProgressReport,
} from "@/lib/domain/activity";
import type { ActivityStatus, RunType } from "@/lib/domain/enums";
import { BadRequestError, ConflictError, activityEnded, activityNotFound } from "@/lib/domain/errors";
import { objectKeyOf, recoveryScope } from "@/lib/domain/failures";
import { uuidv7 } from "@/lib/domain/ids";
import { messageTemplate } from "@/lib/domain/messages";
import { formatOutcomeSummary } from "@/lib/domain/outcomes";
import type { ActivityRecorder } from "@/lib/domain/recorder";
import type { PlannedStep } from "@/lib/domain/schedule";
import { targetNameOf } from "@/lib/domain/target";
import { findActivityHeader, findActivity, findPreviousRunId } from "@/lib/repo/activities";
import {
  applyProgress,
  cancelTree,
  completeActivity,
  findStopState,
  insertActivity,
  insertItems,
  queueUnlessQueued,
  startActivity,
  type CompletionUpdate,
  type ItemInsertRow,
  type LockedActivity,
  type NewActivityRow,
} from "@/lib/repo/activity-writes";
import { ACTIVITY_COLUMNS } from "@/lib/repo/columns";
import { closeClaim } from "@/lib/repo/idempotency";
import { findConnectedSystem, findRunProfile, findSchedule } from "@/lib/repo/config";

interface Target {
  connectedSystemName: string | null;
  runProfileName: string | null;
  runType: RunType | null;
  scheduleId: number | null;
  scheduleName: string | null;
  plannedSteps: PlannedStep[] | null;
}

/** Names of what the activity refers to; every reference that does not exist is reported at once (400). */
async function resolveTarget(input: NewActivity): Promise<Target> {
  const problems: { path: string; message: string }[] = [];
  const t: Target = {
    connectedSystemName: null,
    runProfileName: null,
    runType: null,
    scheduleId: input.scheduleId ?? null,
    scheduleName: null,
    plannedSteps: null,
  };
  if (input.connectedSystemId !== undefined) {
    const cs = await findConnectedSystem(input.connectedSystemId);
    if (!cs)
      problems.push({
        path: "connectedSystemId",
        message: `Connected system ${input.connectedSystemId} does not exist.`,
      });
    else t.connectedSystemName = cs.name;
  }
  if (input.runProfileId !== undefined) {
    const rp = await findRunProfile(input.runProfileId);
    if (!rp) problems.push({ path: "runProfileId", message: `Run profile ${input.runProfileId} does not exist.` });
    else if (input.connectedSystemId !== undefined && rp.connectedSystemId !== input.connectedSystemId)
      problems.push({
        path: "runProfileId",
        message: `Run profile ${input.runProfileId} does not belong to connected system ${input.connectedSystemId}.`,
      });
    else {
      t.runProfileName = rp.name;
      t.runType = rp.runType;
      t.connectedSystemName ??= rp.connectedSystem.name;
    }
  }
  if (input.scheduleId !== undefined) {
    const s = await findSchedule(input.scheduleId);
    if (!s) problems.push({ path: "scheduleId", message: `Schedule ${input.scheduleId} does not exist.` });
    else {
      t.scheduleName = s.name;
      if (input.targetType === "Schedule")
        t.plannedSteps = s.steps.map((st, i) => ({
          stepIndex: i + 1,
          name: `${st.runProfile.connectedSystem.name}: ${st.runProfile.name}`,
          connectedSystemId: st.runProfile.connectedSystem.id,
          connectedSystemName: st.runProfile.connectedSystem.name,
          runProfileId: st.runProfile.id,
          runProfileName: st.runProfile.name,
          runType: st.runProfile.runType,
          parallelGroup: st.parallelGroup,
        }));
    }
  }
  if (problems.length) throw new BadRequestError("The activity refers to something that does not exist.", problems);
  return t;
}

/**
 * The fields of a new activity that are columns of Activity, as given (name, targetType, the
 * target's ids, stepIndex, objectsToProcess, message, and any column the contract adds later).
 */
function storedAsGiven(input: NewActivity): Partial<NewActivityRow> {
  const given: Record<string, unknown> = input as unknown as Record<string, unknown>;
  return Object.fromEntries(ACTIVITY_COLUMNS.filter((c) => given[c] !== undefined).map((c) => [c, given[c]]));
}

function toItemRow(i: NewExecutionItem, stamp: string, ms: number): ItemInsertRow {
  return {
    ...i,
    id: i.id ?? uuidv7(ms),
    idGiven: i.id !== undefined,
    outcomeSummary: formatOutcomeSummary(i.outcomes),
    processedAt: i.processedAt ? new Date(i.processedAt).toISOString() : stamp,
    objectKey: objectKeyOf(i),
    errorTemplate: i.errorType !== null && i.errorMessage ? messageTemplate(i.errorMessage) : null,
  };
}

/** The status a completion ends with, or the reason it is refused (409). */
function decideCompletion(row: LockedActivity, result: Completion): CompletionUpdate {
  if (row.status !== "InProgress") throw activityEnded(row.id, row.status);
  if (row.runningChildren > 0)
    throw new ConflictError(
      `Activity ${row.id} still has ${row.runningChildren} running step(s); they must end first.`,
      {
        runningChildren: row.runningChildren,
      },
    );
  const counters = { ...row.counters, ...(result.counters ?? {}) } as Counters;
  // The failed items recorded are object errors, whatever the counters reported.
  const objectErrors = Math.max(counters.totalObjectErrors, row.failedItemCount);
  const objectsProcessed = result.objectsProcessed ?? row.objectsProcessed;
  const contradiction = progressContradiction(objectsProcessed, row.objectsToProcess);
  if (contradiction)
    throw new ConflictError(contradiction, { objectsProcessed, objectsToProcess: row.objectsToProcess });
  const warnings = new Set([...row.warnings, ...(result.warnings ?? [])]).size;
  let status: ActivityStatus;
  if (row.targetType === "Schedule" && row.childStatuses.length) {
    const derived = summariseChildStatuses(row.childStatuses);
    const severity = (s: ActivityStatus) =>
      ["Complete", "CompleteWithWarning", "CompleteWithError", "FailedWithError", "Cancelled"].indexOf(s);
    status = result.status ?? derived;
    if (severity(status) < severity(derived))
      throw new ConflictError(
        `Status ${status} contradicts the steps, which make it ${derived}; omit status to derive it.`,
        { derived },
      );
  } else {
    const facts = { objectErrors, warnings, errorMessage: !!result.errorMessage };
    const resolved = resolveCompletionStatus(result.status, facts);
    if ("refused" in resolved)
      throw new ConflictError(resolved.refused, {
        derived: completionStatus(facts),
        objectErrors,
        failedItems: row.failedItemCount,
      });
    status = resolved.status;
  }
  return {
    status,
    counters: result.counters ?? {},
    objectsProcessed: result.objectsProcessed,
    errorMessage: result.errorMessage,
    errorStackTrace: result.errorStackTrace,
    warnings: result.warnings,
    message: result.message,
    recovery: recoveryScope({ runType: row.runType, status }),
  };
}

/** When and by whom a new activity is created: its time, its owning instance, its queue lane, its id. */
type CreateOptions = {
  at?: Date;
  owner?: { instanceId: string; lane?: string };
  queue?: { key: string; dedupe?: boolean };
  id?: string;
};

export class StoreActivityRecorder implements ActivityRecorder {
  async create(
    input: NewActivity,
    initiatedBy: InitiatedBy,
    opts: CreateOptions = {},
  ): Promise<{ id: string; deduplicated: boolean }> {
    try {
      return await this.insertNew(input, initiatedBy, opts);
    } finally {
      closeClaim();
    }
  }

  private async insertNew(
    input: NewActivity,
    initiatedBy: InitiatedBy,
    opts: CreateOptions,
  ): Promise<{ id: string; deduplicated: boolean }> {
    const at = opts.at ?? new Date();
    const target = await resolveTarget(input);
    let parent: Awaited<ReturnType<typeof findActivity>> = null;
    if (input.parentActivityId) {
      parent = await findActivity(input.parentActivityId);
      if (!parent)
        throw new BadRequestError("The activity refers to something that does not exist.", [
          { path: "parentActivityId", message: `Parent activity ${input.parentActivityId} does not exist.` },
        ]);
      if (parent.status !== "InProgress") throw activityEnded(parent.id, parent.status);
    }
    const stepOfSchedule = parent?.targetType === "Schedule";
    const id = opts.id ?? uuidv7(at.getTime());
    const row: NewActivityRow = {
      // What the caller gave that is a column is stored as given; the rest is derived here.
      ...storedAsGiven(input),
      id,
      name: input.name,
      targetType: input.targetType,
      connectedSystemName: target.connectedSystemName,
      runProfileName: target.runProfileName,
      runType: target.runType,
      scheduleId: target.scheduleId ?? (stepOfSchedule ? parent!.scheduleId : null),
      scheduleName: target.scheduleName ?? (stepOfSchedule ? parent!.scheduleName : null),
      scheduleExecutionId: stepOfSchedule ? parent!.id : null,
      plannedSteps: target.plannedSteps,
      previousRunId: input.runProfileId ? await findPreviousRunId(input.runProfileId, at) : null,
      targetName: targetNameOf({
        targetType: input.targetType,
        connectedSystemName: target.connectedSystemName,
        runProfileName: target.runProfileName,
        scheduleName: target.scheduleName,
      }),
      initiatorType: initiatedBy.type,
      initiatorId: initiatedBy.id,
      initiatorName: initiatedBy.name,
      createdAt: at,
      startedAt: opts.queue ? null : at,
      parentActivityId: input.parentActivityId ?? null,
      queueKey: opts.queue?.key ?? opts.owner?.lane ?? null,
      ownerInstanceId: opts.owner?.instanceId ?? null,
    };
    if (opts.queue?.dedupe) return queueUnlessQueued(row);
    if (!(await insertActivity(row))) {
      const now = parent ? await findActivityHeader(parent.id) : null;
      throw activityEnded(input.parentActivityId ?? id, now?.status ?? "ended");
    }
    return { id, deduplicated: false };
  }

  async start(
    activityId: string,
    opts: { instanceId: string; at?: Date; fence?: { holder: string; token: string } | null },
  ): Promise<boolean> {
    return startActivity(activityId, opts.instanceId, opts.at ?? new Date(), opts.fence);
  }

  async reportProgress(activityId: string, progress: ProgressReport, at: Date = new Date()): Promise<void> {
    const outcome = await applyProgress(activityId, progress, at);
    if (outcome === "applied") return;
    const row = await findActivityHeader(activityId);
    if (!row) throw activityNotFound(activityId);
    if (outcome === "ended" || row.status !== "InProgress") throw activityEnded(activityId, row.status);
    const current = await findActivity(activityId);
    const message = progressContradiction(
      progress.objectsProcessed ?? current!.objectsProcessed,
      progress.objectsToProcess ?? current!.objectsToProcess,
    );
    throw new ConflictError(message ?? `Activity ${activityId} refused the report.`, {
      objectsProcessed: progress.objectsProcessed ?? current!.objectsProcessed,
      objectsToProcess: progress.objectsToProcess ?? current!.objectsToProcess,
    });
  }

  async appendItems(
    activityId: string,
    items: NewExecutionItem[],
    at: Date = new Date(),
  ): Promise<{ inserted: number; duplicates: number }> {
    const stamp = at.toISOString();
    const rows = items.map((i) => toItemRow(i, stamp, at.getTime()));
    const outcome = await insertItems(activityId, rows, at);
    if (outcome.kind === "inserted") return { inserted: outcome.inserted, duplicates: items.length - outcome.inserted };
    if (outcome.kind === "id-conflict")
      throw new ConflictError(
        `Item id ${outcome.ids.join(", ")} is already stored (item ids are unique across all runs) or appears twice in the batch; nothing of this batch was stored.`,
        { ids: outcome.ids },
      );
    if (outcome.kind === "conflict")
      throw new ConflictError(
        `Items with sequence ${outcome.sequences.join(", ")} were already stored with other content; nothing of this batch was stored.`,
        { sequences: outcome.sequences },
      );
    const a = await findActivityHeader(activityId);
    if (!a) throw activityNotFound(activityId);
    if (a.targetType !== "ConnectedSystemRunProfile")
      throw new BadRequestError("Activity is not a run profile activity.", {
        id: activityId,
        targetType: a.targetType,
      });
    throw activityEnded(activityId, a.status);
  }

  async complete(activityId: string, result: Completion, at: Date = new Date()): Promise<ActivityStatus> {
    const done = await completeActivity(activityId, at, (row) => decideCompletion(row, result));
    if (!done) throw activityNotFound(activityId);
    return done.status;
  }

  async cancel(activityId: string, reason: string | undefined, at: Date = new Date()): Promise<void> {
    const cancelled = await cancelTree(activityId, reason ? `Cancelled: ${reason}` : null, at);
    if (cancelled.length) return;
    const a = await findActivityHeader(activityId);
    if (!a) throw activityNotFound(activityId);
    throw activityEnded(activityId, a.status);
  }

  async shouldStop(activityId: string): Promise<boolean> {
    const a = await findStopState(activityId);
    return !a || a.status !== "InProgress" || a.cancelRequested;
  }
}

const g = globalThis as unknown as { __syncwatchRecorder?: StoreActivityRecorder };
/** The one recorder of this process, shared by the write API and the run engine. */
export const activityRecorder: ActivityRecorder = (g.__syncwatchRecorder ??= new StoreActivityRecorder());
