import type { CompleteActivityBody, CreateActivityBody, NewExecutionItem, ProgressBody } from "@/lib/api/schemas";
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { COUNTER_FIELDS, completionStatus, type Counters } from "@/lib/domain/counters";
import type { ActivityStatus } from "@/lib/domain/enums";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/domain/errors";
import { uuidv7 } from "@/lib/domain/ids";
import { formatOutcomeSummary } from "@/lib/domain/outcomes";
import { ActivityAlreadyEndedError, type ActivityRecorder, type InitiatedBy } from "@/lib/domain/recorder";
import { findActivity, findActivityHeader, type ActivityRow } from "@/lib/repo/activities";
import { findConnectedSystem, findRunProfile, findSchedule } from "@/lib/repo/config";
import { insertItems, type ItemInsertRow } from "@/lib/repo/items";
import { invalidateCounts } from "@/lib/repo/count-cache";
import { countersOf } from "./mappers";
import { targetNameOf } from "@/lib/domain/target";

const MAX_RETRIES = 5;

function mergeWarnings(existing: string[], added: string[] | undefined): string[] {
  if (!added?.length) return existing;
  const out = [...existing];
  for (const w of added) if (!out.includes(w)) out.push(w);
  return out.slice(0, 500);
}

function snapshot(counters: Counters): Partial<Counters> {
  const out: Partial<Counters> = {};
  for (const f of COUNTER_FIELDS) if (counters[f]) out[f] = counters[f];
  return out;
}

async function requireRunning(id: string): Promise<ActivityRow> {
  const row = await findActivity(id);
  if (!row) throw new NotFoundError(`Activity ${id} does not exist.`, { id });
  if (row.status !== "InProgress") throw new ActivityAlreadyEndedError(id, row.status);
  return row;
}

/**
 * Applies `data` to the activity only if it is still running and unchanged since `row` was read
 * (optimistic concurrency on `version`), and appends a progress sample in the same transaction
 * only when the update happened. Returns false when someone else wrote first.
 */
async function updateWithSample(
  row: ActivityRow,
  data: Prisma.ActivityUpdateManyMutationInput,
  sample: { at: Date; objectsToProcess: number | null; objectsProcessed: number; counters: Counters },
): Promise<boolean> {
  const prisma = await getPrisma();
  const newVersion = row.version + 1;
  const [updated] = await prisma.$transaction([
    prisma.activity.updateMany({
      where: { id: row.id, status: "InProgress", version: row.version },
      data: { ...data, version: newVersion },
    }),
    prisma.$executeRawUnsafe(
      `INSERT INTO "ProgressSample" ("activityId","at","objectsToProcess","objectsProcessed","totalObjectChangeCount","totalObjectErrors","counters")
       SELECT $1::uuid, $2::timestamptz, $3::int, $4::int, $5::int, $6::int, $7::jsonb
       WHERE EXISTS (SELECT 1 FROM "Activity" WHERE id = $1::uuid AND version = $8::int)`,
      row.id,
      sample.at.toISOString(),
      sample.objectsToProcess,
      sample.objectsProcessed,
      sample.counters.totalObjectChangeCount,
      sample.counters.totalObjectErrors,
      JSON.stringify(snapshot(sample.counters)),
      newVersion,
    ),
  ]);
  return updated.count === 1;
}

export class PrismaActivityRecorder implements ActivityRecorder {
  async create(input: CreateActivityBody, initiatedBy: InitiatedBy, at: Date = new Date()): Promise<{ id: string }> {
    const problems: { path: string; message: string }[] = [];
    let connectedSystemName: string | null = null;
    let runProfileName: string | null = null;
    let runType: ActivityRow["runType"] = null;
    let scheduleName: string | null = null;
    if (input.connectedSystemId !== undefined) {
      const cs = await findConnectedSystem(input.connectedSystemId);
      if (!cs)
        problems.push({
          path: "connectedSystemId",
          message: `Connected system ${input.connectedSystemId} does not exist.`,
        });
      else connectedSystemName = cs.name;
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
        runProfileName = rp.name;
        runType = rp.runType;
      }
    }
    if (input.scheduleId !== undefined) {
      const s = await findSchedule(input.scheduleId);
      if (!s) problems.push({ path: "scheduleId", message: `Schedule ${input.scheduleId} does not exist.` });
      else scheduleName = s.name;
    }
    let parent: Awaited<ReturnType<typeof findActivityHeader>> = null;
    if (input.parentActivityId) {
      parent = await findActivityHeader(input.parentActivityId);
      if (!parent)
        problems.push({
          path: "parentActivityId",
          message: `Parent activity ${input.parentActivityId} does not exist.`,
        });
    }
    if (problems.length) throw new BadRequestError("The activity refers to something that does not exist.", problems);
    if (parent && parent.status !== "InProgress") throw new ActivityAlreadyEndedError(parent.id, parent.status);

    const prisma = await getPrisma();
    const id = uuidv7(at.getTime());
    const create = prisma.activity.create({
      data: {
        id,
        name: input.name,
        targetType: input.targetType,
        connectedSystemId: input.connectedSystemId ?? null,
        connectedSystemName,
        runProfileId: input.runProfileId ?? null,
        runProfileName,
        runType,
        scheduleId: input.scheduleId ?? null,
        scheduleName,
        targetName: targetNameOf({ targetType: input.targetType, connectedSystemName, runProfileName, scheduleName }),
        status: "InProgress",
        initiatorType: initiatedBy.type,
        initiatorId: initiatedBy.id,
        initiatorName: initiatedBy.name,
        createdAt: at,
        startedAt: at,
        updatedAt: at,
        objectsToProcess: input.objectsToProcess ?? null,
        message: input.message ?? null,
        parentActivityId: input.parentActivityId ?? null,
      },
      select: { id: true },
    });
    if (parent) {
      await prisma.$transaction([
        create,
        prisma.activity.update({
          where: { id: parent.id },
          data: { childCount: { increment: 1 }, version: { increment: 1 } },
        }),
      ]);
    } else {
      await create;
    }
    invalidateCounts();
    return { id };
  }

  async reportProgress(activityId: string, progress: ProgressBody, at: Date = new Date()): Promise<void> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const row = await requireRunning(activityId);
      const counters = { ...countersOf(row), ...(progress.counters ?? {}) } as Counters;
      const objectsProcessed = progress.objectsProcessed ?? row.objectsProcessed;
      const objectsToProcess = progress.objectsToProcess ?? row.objectsToProcess;
      const data: Prisma.ActivityUpdateManyMutationInput = {
        ...counters,
        objectsProcessed,
        objectsToProcess,
        updatedAt: at < row.updatedAt ? row.updatedAt : at,
        ...(progress.message !== undefined ? { message: progress.message } : {}),
        ...(progress.warnings?.length ? { warnings: mergeWarnings(row.warnings, progress.warnings) } : {}),
      };
      if (await updateWithSample(row, data, { at, objectsToProcess, objectsProcessed, counters })) {
        // The error count is a list filter (hasErrors, sort=errors): cached counts may change.
        if (counters.totalObjectErrors !== row.totalObjectErrors) invalidateCounts();
        return;
      }
    }
    throw new ConflictError(`Activity ${activityId} is being updated concurrently; retry.`);
  }

  async appendItems(
    activityId: string,
    items: NewExecutionItem[],
    at: Date = new Date(),
  ): Promise<{ inserted: number; duplicates: number }> {
    const stamp = at.toISOString();
    const ms = at.getTime();
    const rows: ItemInsertRow[] = items.map((i) => ({
      id: i.id ?? uuidv7(ms),
      sequence: i.sequence,
      externalIdValue: i.externalIdValue ?? null,
      displayName: i.displayName ?? null,
      connectedSystemObjectType: i.connectedSystemObjectType ?? null,
      objectChangeType: i.objectChangeType,
      errorType: i.errorType ?? null,
      errorMessage: i.errorMessage ?? null,
      errorDetail: i.errorDetail ?? null,
      outcomeSummary: formatOutcomeSummary(i.outcomes ?? []),
      outcomes: i.outcomes ?? [],
      attributeChanges: i.attributeChanges ?? [],
      connectedSystemObjectId: i.connectedSystemObjectId ?? null,
      metaverseObjectId: i.metaverseObjectId ?? null,
      processedAt: i.processedAt ? new Date(i.processedAt).toISOString() : stamp,
    }));
    // The insert itself checks that the activity is a running run-profile activity (no extra
    // round trip on the hot path); only when nothing was inserted do we look at why.
    const inserted = await insertItems(activityId, rows);
    if (inserted === 0) {
      const a = await findActivityHeader(activityId);
      if (!a) throw new NotFoundError(`Activity ${activityId} does not exist.`, { id: activityId });
      if (a.targetType !== "ConnectedSystemRunProfile")
        throw new BadRequestError("Activity is not a run profile activity.", {
          id: activityId,
          targetType: a.targetType,
        });
      if (a.status !== "InProgress") throw new ActivityAlreadyEndedError(activityId, a.status);
    }
    return { inserted, duplicates: items.length - inserted };
  }

  async complete(activityId: string, result: CompleteActivityBody, at: Date = new Date()): Promise<ActivityStatus> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const row = await requireRunning(activityId);
      const counters = { ...countersOf(row), ...(result.counters ?? {}) } as Counters;
      const warnings = mergeWarnings(row.warnings, result.warnings);
      const status: ActivityStatus =
        result.status ?? completionStatus({ objectErrors: counters.totalObjectErrors, warnings: warnings.length });
      const started = row.startedAt ?? row.createdAt;
      const objectsProcessed = result.objectsProcessed ?? row.objectsProcessed;
      const data: Prisma.ActivityUpdateManyMutationInput = {
        ...counters,
        status,
        objectsProcessed,
        warnings,
        endedAt: at,
        updatedAt: at < row.updatedAt ? row.updatedAt : at,
        executionTimeMs: Math.max(0, at.getTime() - started.getTime()),
        totalActivityTimeMs: Math.max(0, at.getTime() - row.createdAt.getTime()),
        ...(result.errorMessage !== undefined ? { errorMessage: result.errorMessage } : {}),
        ...(result.errorStackTrace !== undefined ? { errorStackTrace: result.errorStackTrace } : {}),
      };
      if (
        await updateWithSample(row, data, { at, objectsToProcess: row.objectsToProcess, objectsProcessed, counters })
      ) {
        invalidateCounts();
        return status;
      }
    }
    throw new ConflictError(`Activity ${activityId} is being updated concurrently; retry.`);
  }

  async cancel(activityId: string, reason: string | undefined, at: Date = new Date()): Promise<void> {
    const a = await findActivityHeader(activityId);
    if (!a) throw new NotFoundError(`Activity ${activityId} does not exist.`, { id: activityId });
    if (a.status !== "InProgress") throw new ActivityAlreadyEndedError(activityId, a.status);
    const prisma = await getPrisma();
    const n = await prisma.$executeRawUnsafe(
      `WITH RECURSIVE tree(id, depth) AS (
         SELECT id, 0 FROM "Activity" WHERE id = $1::uuid AND status = 'InProgress'
         UNION ALL
         SELECT c.id, t.depth + 1 FROM "Activity" c JOIN tree t ON c."parentActivityId" = t.id WHERE t.depth < 100
       )
       UPDATE "Activity" SET
         status = 'Cancelled', "cancelRequested" = true, "endedAt" = $2::timestamptz,
         "executionTimeMs" = GREATEST(0, EXTRACT(EPOCH FROM ($2::timestamptz - COALESCE("startedAt", "createdAt"))) * 1000)::int,
         "totalActivityTimeMs" = GREATEST(0, EXTRACT(EPOCH FROM ($2::timestamptz - "createdAt")) * 1000)::int,
         "message" = CASE WHEN id = $1::uuid AND $3::text IS NOT NULL THEN $3::text ELSE "message" END,
         "version" = "version" + 1, "updatedAt" = GREATEST("updatedAt", $2::timestamptz)
       WHERE id IN (SELECT id FROM tree) AND status = 'InProgress'`,
      activityId,
      at.toISOString(),
      reason ? `Cancelled: ${reason}` : null,
    );
    invalidateCounts();
    if (n === 0) {
      const now = await findActivityHeader(activityId);
      throw new ActivityAlreadyEndedError(activityId, now?.status ?? "Cancelled");
    }
  }

  async shouldStop(activityId: string): Promise<boolean> {
    const a = await findActivityHeader(activityId);
    return !a || a.status !== "InProgress" || a.cancelRequested;
  }
}

const g = globalThis as unknown as { __syncwatchRecorder?: PrismaActivityRecorder };
/** The one recorder of this process, shared by the write API and the run engine. */
export const activityRecorder: ActivityRecorder = (g.__syncwatchRecorder ??= new PrismaActivityRecorder());
