/**
 * Every write to activities, their samples and items. Each write is one statement or one
 * transaction; each bumps the activity's version (the ETag) and its parent's, and the schema's
 * trigger notifies every instance at commit. This process learns of its own writes at once
 * (reportWritten, lib/repo/written.ts), before the notification arrives.
 */
import { getDatabase, type Sql } from "@/lib/db/client";
import { COUNTER_FIELDS, type Counters } from "@/lib/domain/counters";
import type { ActivityStatus, ActivityTargetType, RunType } from "@/lib/domain/enums";
import type { NewExecutionItem, ProgressReport } from "@/lib/domain/activity";
import type { PlannedStep } from "@/lib/domain/schedule";
import type { Activity } from "@/lib/generated/prisma/client";
import { ACTIVITY_COLUMNS, givenColumns, ITEM_COLUMNS } from "./columns";
import { claimSql, KeyTakenError, pendingClaim } from "./idempotency";
import { leaseHeldSql, type LeaseFence } from "./instances";
import { reportWritten, type WrittenActivity } from "./written";

type Changed = WrittenActivity;

const note = (rows: Changed[]) => reportWritten(rows);

const CHANGED = `id::text AS id, version, status::text AS status, "parentActivityId"::text AS "parentActivityId",
  "totalObjectErrors"`;

/** Bumps the parents of the rows in CTE `src` (a child's change is a change of its parent's view). */
const bumpParents = (src: string, atParam: string) =>
  `UPDATE "Activity" p SET version = p.version + 1, "heartbeatAt" = GREATEST(p."heartbeatAt", ${atParam}::timestamptz)
   FROM ${src} WHERE p.id = ${src}."parentActivityId"::uuid AND p.status = 'InProgress'
   RETURNING p.id::text AS id, p.version, p.status::text AS status, p."parentActivityId"::text AS "parentActivityId",
     p."totalObjectErrors"`;

/**
 * A new activity: what the recorder sets, in the model's own column names and types; the columns
 * it leaves out take their defaults. Every column given is stored (the insert is built from them).
 */
export type NewActivityRow = Pick<
  Activity,
  "id" | "name" | "targetType" | "initiatorType" | "initiatorName" | "createdAt" | "startedAt" | "parentActivityId"
> &
  Partial<Omit<Activity, "plannedSteps" | "status" | "updatedAt" | "heartbeatAt">> & {
    plannedSteps?: PlannedStep[] | null;
  };

/**
 * Inserts the activity, and counts it as a child of its parent, only while the parent runs.
 * Returns false when the parent had already ended. Inserting an id that exists changes nothing
 * (a retried insert after a lost connection). Inside a request sent with an Idempotency-Key, the
 * first activity it inserts claims the key in the same statement: when another request holds the
 * key, nothing is inserted and KeyTakenError is thrown.
 */
export async function insertActivity(row: NewActivityRow, tx?: Sql): Promise<boolean> {
  const sql = tx ?? (await getDatabase()).sql;
  const values = { ...row, status: "InProgress", updatedAt: row.createdAt, heartbeatAt: row.createdAt };
  const columns = givenColumns(ACTIVITY_COLUMNS, values);
  const params: unknown[] = [JSON.stringify(values), row.parentActivityId, row.createdAt.toISOString()];
  const claim = pendingClaim();
  if (claim) params.push(claim.apiKeyId, claim.key, claim.requestHash);
  const allowed = `($2::uuid IS NULL OR EXISTS (SELECT 1 FROM parent))`;
  const rows = await sql.query<Changed & { kind: string }>(
    `WITH parent AS (
       SELECT id FROM "Activity" WHERE id = $2::uuid AND status = 'InProgress' FOR UPDATE
     ),
     ${claim ? `claim AS (${claimSql("$4", "$5", "$6", allowed)}),` : ""}
     ins AS (
       INSERT INTO "Activity" (${columns.join(", ")})
       SELECT ${columns.map((c) => `r.${c}`).join(", ")} FROM jsonb_populate_record(NULL::"Activity", $1::jsonb) r
       WHERE ${allowed}${claim ? ` AND EXISTS (SELECT 1 FROM claim)` : ""}
       ON CONFLICT (id) DO NOTHING
       RETURNING ${CHANGED}
     ),
     bump AS (
       UPDATE "Activity" p SET "childCount" = p."childCount" + 1, version = p.version + 1,
         "heartbeatAt" = $3::timestamptz
       FROM ins WHERE p.id = ins."parentActivityId"::uuid
       RETURNING p.id::text AS id, p.version, p.status::text AS status,
         p."parentActivityId"::text AS "parentActivityId", p."totalObjectErrors"
     )
     SELECT 'ins' AS kind, * FROM ins UNION ALL SELECT 'bump' AS kind, * FROM bump
     UNION ALL SELECT 'exists' AS kind, ${CHANGED} FROM "Activity" WHERE id = ($1::jsonb->>'id')::uuid
       AND NOT EXISTS (SELECT 1 FROM ins)
     UNION ALL SELECT 'allowed', NULL, NULL, NULL, NULL, NULL WHERE ${allowed}`,
    params,
  );
  note(rows.filter((r) => r.kind === "ins" || r.kind === "bump"));
  const stored = rows.some((r) => r.kind === "ins" || r.kind === "exists");
  if (claim && stored) claim.claimed = true;
  // The parent accepted it and nothing was stored: another request holds the key.
  if (claim && !stored && rows.some((r) => r.kind === "allowed")) throw new KeyTakenError();
  return stored;
}

/**
 * Queues a run unless a run of the same target is already queued (and not started): then that
 * run's id is returned instead. The check and the insert hold a lock on the target, so concurrent
 * triggers cannot both queue.
 */
export async function queueUnlessQueued(row: NewActivityRow): Promise<{ id: string; deduplicated: boolean }> {
  const db = await getDatabase();
  const target = row.runProfileId !== null ? `rp:${row.runProfileId}` : `schedule:${row.scheduleId}`;
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [target]);
    const [dup] = await tx.query<{ id: string }>(
      `SELECT id::text AS id FROM "Activity"
       WHERE status = 'InProgress' AND "startedAt" IS NULL AND "parentActivityId" IS NULL AND "queueKey" IS NOT NULL
         AND "targetType" = $1::"ActivityTargetType" AND (("runProfileId" = $2::int) OR ("scheduleId" = $3::int
           AND "targetType" = 'Schedule'))
       ORDER BY "createdAt" LIMIT 1`,
      [row.targetType, row.runProfileId, row.scheduleId],
    );
    if (dup) return { id: dup.id, deduplicated: true };
    await insertActivity(row, tx);
    return { id: row.id, deduplicated: false };
  });
}

/**
 * Starts a queued activity for `instanceId`; false when it is no longer queued (cancelled, or
 * claimed by another instance), or when `fence` no longer holds the scheduler lease. The runs still
 * waiting in its lane move up: their versions move.
 */
export async function startActivity(
  id: string,
  instanceId: string,
  at: Date,
  fence?: LeaseFence | null,
): Promise<boolean> {
  const db = await getDatabase();
  const rows = await db.sql.query<Changed & { kind: string }>(
    `WITH s AS (
       UPDATE "Activity" SET "startedAt" = $3::timestamptz, "ownerInstanceId" = $2, "heartbeatAt" = $3::timestamptz,
         version = version + 1, "updatedAt" = GREATEST("updatedAt", $3::timestamptz)
       WHERE id = $1::uuid AND status = 'InProgress' AND "startedAt" IS NULL
         ${fence ? `AND ${leaseHeldSql("$4", "$5")}` : ""}
       RETURNING ${CHANGED}, "queueKey"
     ),
     lane AS (
       UPDATE "Activity" a SET version = a.version + 1 FROM s
       WHERE a."queueKey" = s."queueKey" AND a.status = 'InProgress' AND a."startedAt" IS NULL AND a.id <> $1::uuid
       RETURNING a.id::text AS id, a.version, a.status::text AS status,
         a."parentActivityId"::text AS "parentActivityId", a."totalObjectErrors"
     ),
     parent AS (${bumpParents("s", "$3")})
     SELECT 's' AS kind, id, version, status, "parentActivityId", "totalObjectErrors" FROM s
     UNION ALL SELECT 'o', * FROM lane UNION ALL SELECT 'o', * FROM parent`,
    [id, instanceId, at.toISOString(), ...(fence ? [fence.holder, fence.token] : [])],
  );
  note(rows);
  return rows.some((r) => r.kind === "s");
}

/** A progress sample of the row updated in CTE `u` at $2: progress reports and the completion take one. */
const SAMPLE_OF_U = `INSERT INTO "ProgressSample" ("activityId", at, "objectsToProcess", "objectsProcessed",
    "totalObjectChangeCount", "totalObjectErrors", counters)
  SELECT u.id, $2::timestamptz, u."objectsToProcess", u."objectsProcessed", u."totalObjectChangeCount",
    u."totalObjectErrors",
    jsonb_strip_nulls(jsonb_build_object(${COUNTER_FIELDS.map((f) => `'${f}', NULLIF(u."${f}", 0)`).join(", ")}))
  FROM u`;

/** SQL that ends the running phase with `status` (a text expression) at `atParam` (a timestamptz parameter). */
const closePhasesSql = (status: string, atParam: string) =>
  `(SELECT COALESCE(jsonb_agg(CASE WHEN e->>'ended' IS NULL
      THEN e || jsonb_build_object('status', ${status}, 'ended', ${atParam}::timestamptz) ELSE e END ORDER BY i),
        '[]'::jsonb)
    FROM jsonb_array_elements(phases) WITH ORDINALITY AS t(e, i))`;

export type ProgressOutcome = "applied" | "missing" | "ended" | "contradiction";

/** A reported counter's assignment: totalObjectErrors never says fewer than the failed items recorded. */
const counterSet = (f: keyof Counters, value: string) =>
  f === "totalObjectErrors" ? `"${f}" = GREATEST(${value}::int, "failedItemCount")` : `"${f}" = ${value}::int`;

/**
 * Applies a progress report, last writer wins: the values are absolute, so concurrent reports need
 * no version check. The sample is written by the same statement and only when the update
 * happened, so a refused report leaves nothing behind.
 */
export async function applyProgress(id: string, p: ProgressReport, at: Date): Promise<ProgressOutcome> {
  const db = await getDatabase();
  const params: unknown[] = [id, at.toISOString()];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const sets: string[] = [
    `version = version + 1`,
    `"heartbeatAt" = $2::timestamptz`,
    `"updatedAt" = GREATEST("updatedAt", $2::timestamptz)`,
  ];
  for (const f of COUNTER_FIELDS) if (p.counters?.[f] !== undefined) sets.push(counterSet(f, param(p.counters[f])));
  const toProcess = p.objectsToProcess !== undefined ? `${param(p.objectsToProcess)}::int` : `"objectsToProcess"`;
  const processed = p.objectsProcessed !== undefined ? `${param(p.objectsProcessed)}::int` : `"objectsProcessed"`;
  if (p.objectsToProcess !== undefined) sets.push(`"objectsToProcess" = ${toProcess}`);
  if (p.objectsProcessed !== undefined) sets.push(`"objectsProcessed" = ${processed}`);
  if (p.message !== undefined) sets.push(`message = ${param(p.message)}`);
  if (p.warnings?.length) {
    const w = param(p.warnings);
    sets.push(
      `warnings = (warnings || ARRAY(SELECT x FROM unnest(${w}::text[]) AS x WHERE x <> ALL(warnings)))[1:500]`,
    );
  }
  if (p.phase !== undefined) {
    const name = param(p.phase);
    sets.push(`phases = CASE
      WHEN jsonb_array_length(phases) > 0 AND phases->-1->>'name' = ${name}::text AND phases->-1->>'ended' IS NULL
        THEN phases
      ELSE ${closePhasesSql("'Complete'", "$2")}
        || jsonb_build_array(jsonb_build_object('name', ${name}::text, 'status', 'Running', 'started',
          $2::timestamptz, 'ended', null))
      END`);
  }
  const rows = await db.sql.query<Changed & { kind: string }>(
    `WITH u AS (
       UPDATE "Activity" SET ${sets.join(", ")}
       WHERE id = $1::uuid AND status = 'InProgress' AND (${toProcess} IS NULL OR ${processed} <= ${toProcess})
       RETURNING *
     ),
     s AS (${SAMPLE_OF_U}),
     parent AS (${bumpParents("u", "$2")})
     SELECT 'u' AS kind, u.id::text AS id, u.version, u.status::text AS status,
       u."parentActivityId"::text AS "parentActivityId", u."totalObjectErrors" FROM u
     UNION ALL SELECT 'p', * FROM parent`,
    params,
  );
  note(rows);
  if (rows.some((r) => r.kind === "u")) return "applied";
  const current = await db.sql.query<{ status: string }>(
    `SELECT status::text AS status FROM "Activity" WHERE id = $1::uuid`,
    [id],
  );
  if (!current[0]) return "missing";
  return current[0].status !== "InProgress" ? "ended" : "contradiction";
}

/** An item as the recorder hands it over: its fields in the model's names, and what tracking needs. */
export type ItemInsertRow = Omit<NewExecutionItem, "id" | "processedAt"> & {
  id: string;
  /** The caller chose the id (a retried batch must name the same ids); otherwise it was generated. */
  idGiven: boolean;
  outcomeSummary: string | null;
  processedAt: string;
  /** The object's key across runs (failure tracking); null when the item names no object. */
  objectKey: string | null;
  /** messageTemplate(errorMessage) of a failed item, recorded with its failure; null otherwise. */
  errorTemplate: string | null;
};

/** The run an item batch belongs to, as failure tracking needs it. */
interface RunOfItems {
  id: string;
  name: string;
  connectedSystemId: number | null;
  connectedSystemName: string | null;
  runProfileId: number | null;
  runProfileName: string | null;
  previousRunId: string | null;
  scheduleExecutionId: string | null;
}

export type ItemsOutcome =
  | { kind: "inserted"; inserted: number }
  | { kind: "conflict"; sequences: number[] }
  | { kind: "id-conflict"; ids: string[] }
  | { kind: "not-accepting" };

/** Columns an item batch sets per activity rather than per item. */
const ITEM_BATCH_VALUES: Partial<Record<(typeof ITEM_COLUMNS)[number], string>> = {
  activityId: "$2::uuid",
  connectedSystemId: "$3::int",
};
/** Columns that are not the item's content: a re-sent item may differ in them (ids are compared apart). */
const NOT_CONTENT = new Set([
  "id",
  "activityId",
  "sequence",
  "connectedSystemId",
  "processedAt",
  "outcomeSummary",
  "recurrence",
]);

class SequenceConflict extends Error {
  constructor(readonly sequences: number[]) {
    super("sequence conflict");
  }
}

/** The activity ended while a batch was being written: the batch is rolled back. */
class EndedMeanwhile extends Error {
  constructor() {
    super("activity ended during the batch");
  }
}

/** The id of a primary-key violation of ExecutionItem (an item id stored already, or twice in the batch). */
function conflictingItemId(error: unknown): string | null {
  const e = error as { code?: string; constraint?: string; detail?: string; message?: string } | null;
  if (e?.code !== "23505") return null;
  const text = `${e.constraint ?? ""} ${e.detail ?? ""} ${e.message ?? ""}`;
  if (!text.includes("ExecutionItem_pkey")) return null;
  return /\(id\)=\(([0-9a-f-]{36})\)/i.exec(text)?.[1] ?? "";
}

/**
 * Class id of the transaction lock that orders the batches of one activity from their failure
 * tracking to their commit (the object id is hashtext of the activity id). The two-key form keeps
 * it apart from the single-key advisory locks (migrations, queue lanes).
 */
const ITEM_BATCH_LOCK = 72016002;

/**
 * Inserts a batch of items in one transaction, only while the activity is a running run-profile
 * activity: idempotent per (activity, sequence) — a sequence stored with the same content is a
 * duplicate — while a sequence stored with other content, or an item id stored already (in any
 * run) or twice in the batch, refuses the whole batch (nothing is written). Failed items are
 * tracked across runs in the same transaction (ObjectFailure), and marked New (their object's
 * failing streak began in this run) or Recurring (it was already failing).
 *
 * Concurrent batches of one activity insert their items side by side: each holds the activity row
 * FOR KEY SHARE (what the items' foreign key takes anyway), which keeps a completion or a cancel
 * (FOR UPDATE) waiting until the batch commits but lets the next batch in. From failure tracking
 * to commit they go one at a time (ITEM_BATCH_LOCK), so each sees the failures and events of the
 * batches before it, as when the whole batch held the row; the counters are increments.
 */
export async function insertItems(activityId: string, rows: ItemInsertRow[], at: Date): Promise<ItemsOutcome> {
  const db = await getDatabase();
  const payload = JSON.stringify(rows);
  const columns = givenColumns(ITEM_COLUMNS, { ...rows[0], ...ITEM_BATCH_VALUES });
  const compared = columns.filter((c) => !NOT_CONTENT.has(c.slice(1, -1)));
  const givenIds = rows.filter((r) => r.idGiven).map((r) => r.sequence);
  try {
    const result = await db.transaction(async (tx) => {
      const [activity] = await tx.query<RunOfItems>(
        `SELECT id::text AS id, name, "connectedSystemId", "connectedSystemName", "runProfileId", "runProfileName",
          "previousRunId"::text AS "previousRunId", "scheduleExecutionId"::text AS "scheduleExecutionId"
         FROM "Activity" WHERE id = $1::uuid AND status = 'InProgress'
           AND "targetType" = 'ConnectedSystemRunProfile' FOR KEY SHARE`,
        [activityId],
      );
      if (!activity) return { kind: "not-accepting" } as const;
      // One multi-row insert; the (activity, sequence) key alone decides what is a repeat, so an
      // id conflict is an error (below), never a silent skip. One row comes back (not one per
      // item): how many were inserted, which sequences, and which of them failed.
      const [inserted] = await tx.query<{ count: number; sequences: number[] | null; failed: number[] | null }>(
        `WITH ins AS (
           INSERT INTO "ExecutionItem" (${columns.join(", ")})
           SELECT ${columns.map((c) => ITEM_BATCH_VALUES[c.slice(1, -1) as keyof typeof ITEM_BATCH_VALUES] ?? `x.${c}`).join(", ")}
           FROM jsonb_populate_recordset(NULL::"ExecutionItem", $1::jsonb) x
           ON CONFLICT ("activityId", sequence) DO NOTHING
           RETURNING sequence, "errorType"
         )
         SELECT count(*)::int AS count,
           CASE WHEN count(*) < $4::int THEN array_agg(sequence) END AS sequences,
           array_agg(sequence) FILTER (WHERE "errorType" IS NOT NULL) AS failed
         FROM ins`,
        [payload, activityId, activity.connectedSystemId, rows.length],
      );
      const failedSequences = (inserted.failed ?? []).map(Number);
      if (inserted.count < rows.length) {
        // Repeats: the same content is a retried batch; other content (or another id) refuses it all.
        const conflicts = await tx.query<{ sequence: number }>(
          `SELECT x.sequence FROM jsonb_populate_recordset(NULL::"ExecutionItem", $1::jsonb) x
           JOIN "ExecutionItem" e ON e."activityId" = $2::uuid AND e.sequence = x.sequence
           WHERE x.sequence <> ALL($3::int[])
             AND ((${compared.map((c) => `e.${c}`).join(", ")}) IS DISTINCT FROM (${compared.map((c) => `x.${c}`).join(", ")})
               OR (x.sequence = ANY($4::int[]) AND e.id <> x.id))
           ORDER BY x.sequence LIMIT 100`,
          [payload, activityId, inserted.sequences ?? [], givenIds],
        );
        if (conflicts.length) throw new SequenceConflict(conflicts.map((c) => Number(c.sequence)));
      }
      await tx.query(`SELECT pg_advisory_xact_lock(${ITEM_BATCH_LOCK}, hashtext($1))`, [activityId]);
      const bySequence = new Map(rows.map((r) => [r.sequence, r]));
      const failed = failedSequences.map((s) => bySequence.get(s)!).filter((r) => r.objectKey !== null);
      if (failed.length && activity.connectedSystemId !== null) await trackFailures(tx, activity, failed, at);
      // Failed items count as object errors as they arrive, whatever the reporter's counters say.
      const [changed] = await tx.query<Changed>(
        `UPDATE "Activity" SET "itemCount" = "itemCount" + $2::int, version = version + 1,
          "failedItemCount" = "failedItemCount" + $4::int,
          "totalObjectErrors" = GREATEST("totalObjectErrors", "failedItemCount" + $4::int),
          "heartbeatAt" = $3::timestamptz,
           "updatedAt" = GREATEST("updatedAt", $3::timestamptz)
         WHERE id = $1::uuid AND status = 'InProgress' RETURNING ${CHANGED}`,
        [activityId, inserted.count, at.toISOString(), failedSequences.length],
      );
      // Only an update that ignores the row lock (the sweep of silent runs) can end it meanwhile.
      if (!changed) throw new EndedMeanwhile();
      const parents = await tx.query<Changed>(
        `WITH u AS (SELECT "parentActivityId" FROM "Activity" WHERE id = $1::uuid) ${bumpParents("u", "$2")}`,
        [activityId, at.toISOString()],
      );
      return { kind: "inserted", inserted: inserted.count, changed: [changed, ...parents] } as const;
    });
    if (result.kind === "inserted") {
      note(result.changed.filter(Boolean));
      return { kind: "inserted", inserted: result.inserted };
    }
    return result;
  } catch (error) {
    if (error instanceof SequenceConflict) return { kind: "conflict", sequences: error.sequences };
    if (error instanceof EndedMeanwhile) return { kind: "not-accepting" };
    const id = conflictingItemId(error);
    if (id !== null) return { kind: "id-conflict", ids: id ? [id] : [] };
    throw error;
  }
}

/** What failure tracking reads of a failed item. */
const FAILED_ITEM = `"sequence" int, "objectKey" text, "externalIdValue" text, "displayName" text,
  "connectedSystemObjectType" text, "errorType" text, "errorMessage" text, "errorTemplate" text`;

/**
 * Upserts ObjectFailure for the failed items just inserted, appends their events, marks New (the
 * object's failing streak began in this run) or Recurring (it was already failing).
 */
async function trackFailures(tx: Sql, activity: RunOfItems, failed: ItemInsertRow[], at: Date): Promise<void> {
  const sequences = failed.map((f) => f.sequence);
  const payload = JSON.stringify(failed);
  // One row per object (the last item of it in the batch), with whether it failed in the previous run
  // of the run profile (the streak of consecutive runs).
  await tx.execute(
    `WITH x AS (
       SELECT DISTINCT ON (x."objectKey") x.* FROM jsonb_to_recordset($1::jsonb) AS x(${FAILED_ITEM})
       WHERE x.sequence = ANY($2::int[]) ORDER BY x."objectKey", x.sequence DESC
     ),
     r AS (
       SELECT x.*, EXISTS (
         SELECT 1 FROM "ObjectFailure" f JOIN "ObjectFailureEvent" e ON e."failureId" = f.id
         WHERE f."connectedSystemId" = $3::int AND f."objectKey" = x."objectKey" AND e."activityId" = $6::uuid
           AND e.kind = 'Failed'
       ) AS recurring
       FROM x
     ),
     up AS (
       INSERT INTO "ObjectFailure" (id, "connectedSystemId", "connectedSystemName", "objectKey", "externalIdValue",
         "displayName",
         "objectType", state, "firstSeenAt", "lastSeenAt", "lastActivityId", "lastRunProfileId", "lastRunProfileName",
         "consecutiveRuns", "totalFailures", "lastErrorType", "lastErrorMessage", "lastErrorTemplate",
         "streakActivityId")
       SELECT gen_random_uuid(), $3::int, $4, r."objectKey", r."externalIdValue", r."displayName",
         r."connectedSystemObjectType",
         'Open', $5::timestamptz, $5::timestamptz, $7::uuid, $8::int, $9, CASE WHEN r.recurring THEN 2 ELSE 1 END, 1,
         r."errorType"::"ExecutionErrorType", r."errorMessage", r."errorTemplate", $7::uuid
       FROM r
       ON CONFLICT ("connectedSystemId", "objectKey") DO UPDATE SET
         "consecutiveRuns" = CASE
           WHEN "ObjectFailure"."lastActivityId" = $7::uuid THEN "ObjectFailure"."consecutiveRuns"
           WHEN EXCLUDED."consecutiveRuns" = 2 AND "ObjectFailure".state = 'Open'
             AND "ObjectFailure"."lastRunProfileId" = $8::int
             THEN "ObjectFailure"."consecutiveRuns" + 1
           ELSE EXCLUDED."consecutiveRuns" END,
         "totalFailures" = "ObjectFailure"."totalFailures" + CASE WHEN "ObjectFailure"."lastActivityId" = $7::uuid
           THEN 0 ELSE 1 END,
         "firstSeenAt" = CASE WHEN "ObjectFailure".state = 'Recovered' THEN EXCLUDED."firstSeenAt"
           ELSE "ObjectFailure"."firstSeenAt" END,
         "streakActivityId" = CASE WHEN "ObjectFailure".state = 'Recovered' THEN EXCLUDED."streakActivityId"
           ELSE COALESCE("ObjectFailure"."streakActivityId", EXCLUDED."streakActivityId") END,
         state = 'Open', "lastSeenAt" = EXCLUDED."lastSeenAt", "lastActivityId" = EXCLUDED."lastActivityId",
         "lastRunProfileId" = EXCLUDED."lastRunProfileId", "lastRunProfileName" = EXCLUDED."lastRunProfileName",
         "lastErrorType" = EXCLUDED."lastErrorType", "lastErrorMessage" = EXCLUDED."lastErrorMessage",
         "lastErrorTemplate" = EXCLUDED."lastErrorTemplate",
         "externalIdValue" = COALESCE(EXCLUDED."externalIdValue", "ObjectFailure"."externalIdValue"),
         "displayName" = COALESCE(EXCLUDED."displayName", "ObjectFailure"."displayName"),
         "objectType" = COALESCE(EXCLUDED."objectType", "ObjectFailure"."objectType"),
         "recoveredAt" = NULL, "recoveredActivityId" = NULL
       RETURNING id, "objectKey", "streakActivityId"
     ),
     ev AS (
       INSERT INTO "ObjectFailureEvent" ("failureId", kind, at, "activityId", "activityName", "runProfileId",
         "connectedSystemId",
         "objectType", "errorType", "errorMessage", "errorTemplate", "scheduleExecutionId")
       SELECT up.id, 'Failed', $5::timestamptz, $7::uuid, $10, $8::int, $3::int, r."connectedSystemObjectType",
         r."errorType"::"ExecutionErrorType", r."errorMessage", r."errorTemplate", $11::uuid
       FROM up JOIN r ON r."objectKey" = up."objectKey"
       WHERE NOT EXISTS (SELECT 1 FROM "ObjectFailureEvent" e WHERE e."failureId" = up.id
         AND e."activityId" = $7::uuid)
     )
     UPDATE "ExecutionItem" i SET recurrence = (CASE WHEN up."streakActivityId" = $7::uuid THEN 'New'
       ELSE 'Recurring' END)::"FailureRecurrence"
     FROM jsonb_to_recordset($1::jsonb) AS x(${FAILED_ITEM}) JOIN up ON up."objectKey" = x."objectKey"
     WHERE i."activityId" = $7::uuid AND i.sequence = x.sequence AND x.sequence = ANY($2::int[])`,
    [
      payload,
      sequences,
      activity.connectedSystemId,
      activity.connectedSystemName ?? "",
      at.toISOString(),
      activity.previousRunId,
      activity.id,
      activity.runProfileId,
      activity.runProfileName,
      activity.name,
      activity.scheduleExecutionId,
    ],
  );
}

export interface CompletionUpdate {
  status: ActivityStatus;
  counters: Partial<Counters>;
  objectsProcessed?: number;
  errorMessage?: string;
  errorStackTrace?: string;
  warnings?: string[];
  message?: string;
  /** For run profiles: how the run settles open failures it did not fail again. */
  recovery: "all-unfailed" | "processed" | "none";
}

/** The row a completion decides on, locked until the transaction ends. */
export interface LockedActivity {
  id: string;
  status: ActivityStatus;
  targetType: ActivityTargetType;
  runType: RunType | null;
  runningChildren: number;
  childStatuses: ActivityStatus[];
  warnings: string[];
  objectsToProcess: number | null;
  objectsProcessed: number;
  counters: Counters;
  /** Items recorded with an error type. */
  failedItemCount: number;
}

/**
 * Ends an activity: `decide` sees the locked row and returns the update, or a refusal (thrown).
 * For run profiles, the per-type counts that outlive the items are computed now, and open
 * failures the run settled are marked Recovered.
 */
export async function completeActivity(
  id: string,
  at: Date,
  decide: (row: LockedActivity) => CompletionUpdate,
): Promise<{ status: ActivityStatus } | null> {
  const db = await getDatabase();
  const out = await db.transaction(async (tx) => {
    const [row] = await tx.query<Record<string, unknown>>(
      `SELECT a.*, (SELECT count(*)::int FROM "Activity" c WHERE c."parentActivityId" = a.id
        AND c.status = 'InProgress') AS "runningChildren",
              ARRAY(SELECT c.status::text FROM "Activity" c WHERE c."parentActivityId" = a.id) AS "childStatuses"
       FROM "Activity" a WHERE a.id = $1::uuid FOR UPDATE`,
      [id],
    );
    if (!row) return null;
    const counters = Object.fromEntries(COUNTER_FIELDS.map((f) => [f, Number(row[f] ?? 0)])) as Counters;
    const locked: LockedActivity = {
      id,
      status: row.status as ActivityStatus,
      targetType: row.targetType as ActivityTargetType,
      runType: (row.runType as RunType | null) ?? null,
      runningChildren: Number(row.runningChildren),
      childStatuses: (row.childStatuses as ActivityStatus[]) ?? [],
      warnings: (row.warnings as string[]) ?? [],
      objectsToProcess: row.objectsToProcess === null ? null : Number(row.objectsToProcess),
      objectsProcessed: Number(row.objectsProcessed),
      counters,
      failedItemCount: Number(row.failedItemCount ?? 0),
    };
    const u = decide(locked);
    const params: unknown[] = [id, at.toISOString(), u.status];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const sets = [
      `status = $3::text::"ActivityStatus"`,
      `"endedAt" = $2::timestamptz`,
      `"executionTimeMs" = CASE WHEN "startedAt" IS NULL THEN 0 ELSE GREATEST(0, EXTRACT(EPOCH
        FROM ($2::timestamptz - "startedAt")) * 1000)::int END`,
      `"totalActivityTimeMs" = GREATEST(0, EXTRACT(EPOCH FROM ($2::timestamptz - "createdAt")) * 1000)::int`,
      `version = version + 1`,
      `"updatedAt" = GREATEST("updatedAt", $2::timestamptz)`,
      `phases = ${closePhasesSql(`CASE WHEN $3::text = 'FailedWithError' THEN 'Failed' ELSE 'Complete' END`, "$2")}`,
    ];
    for (const f of COUNTER_FIELDS) if (u.counters[f] !== undefined) sets.push(counterSet(f, param(u.counters[f])));
    if (u.objectsProcessed !== undefined) sets.push(`"objectsProcessed" = ${param(u.objectsProcessed)}::int`);
    if (u.errorMessage !== undefined) sets.push(`"errorMessage" = ${param(u.errorMessage)}`);
    if (u.errorStackTrace !== undefined) sets.push(`"errorStackTrace" = ${param(u.errorStackTrace)}`);
    if (u.message !== undefined) sets.push(`message = ${param(u.message)}`);
    if (u.warnings?.length) {
      const w = param(u.warnings);
      sets.push(
        `warnings = (warnings || ARRAY(SELECT x FROM unnest(${w}::text[]) AS x WHERE x <> ALL(warnings)))[1:500]`,
      );
    }
    if (locked.targetType === "ConnectedSystemRunProfile") {
      sets.push(`"errorTypeCounts" = COALESCE((SELECT jsonb_object_agg(t, n) FROM (
          SELECT "errorType"::text AS t, count(*)::int AS n FROM "ExecutionItem" WHERE "activityId" = $1::uuid
            AND "errorType" IS NOT NULL GROUP BY 1) s), '{}'::jsonb)`);
      sets.push(`"objectTypeCounts" = COALESCE((SELECT jsonb_object_agg(t, n) FROM (
          SELECT "connectedSystemObjectType" AS t, count(*)::int AS n FROM "ExecutionItem"
            WHERE "activityId" = $1::uuid
          AND "connectedSystemObjectType" IS NOT NULL GROUP BY 1) s), '{}'::jsonb)`);
    }
    // Failures first: their writes lock FailureGroup's counts (its triggers), and a batch of items
    // takes those before its parent's row (bumpParents); settling after this run's parent was
    // bumped would take them the other way round, and two steps of one schedule could deadlock.
    if (locked.targetType === "ConnectedSystemRunProfile" && u.recovery !== "none")
      await settleFailures(tx, id, u.recovery, at);
    const changed = await tx.query<Changed>(
      `WITH u AS (UPDATE "Activity" SET ${sets.join(", ")} WHERE id = $1::uuid AND status = 'InProgress' RETURNING *),
       s AS (${SAMPLE_OF_U}),
       parent AS (${bumpParents("u", "$2")})
       SELECT ${CHANGED} FROM u UNION ALL SELECT * FROM parent`,
      params,
    );
    return { status: u.status, changed };
  });
  if (!out) return null;
  note(out.changed);
  return { status: out.status };
}

/** objectKeyOf (lib/domain/failures) in SQL over item alias `alias`: external id, else CSO id, else name. */
const OBJECT_KEY_SQL = (alias: string) => `CASE
  WHEN NULLIF(${alias}."externalIdValue", '') IS NOT NULL THEN 'ext:' || ${alias}."externalIdValue"
  WHEN NULLIF(${alias}."connectedSystemObjectId"::text, '') IS NOT NULL THEN 'cso:' || ${alias}."connectedSystemObjectId"
  WHEN NULLIF(${alias}."displayName", '') IS NOT NULL THEN 'name:' || ${alias}."displayName" END`;

/** Open failures of the run's profile that this run did not fail again: recovered (see recoveryScope). */
async function settleFailures(
  tx: Sql,
  activityId: string,
  scope: "all-unfailed" | "processed",
  at: Date,
): Promise<void> {
  await tx.execute(
    `WITH run AS (
       SELECT id, name, "connectedSystemId", "runProfileId" FROM "Activity" WHERE id = $1::uuid
     ),
     settled AS (
       UPDATE "ObjectFailure" f SET state = 'Recovered', "recoveredAt" = $2::timestamptz,
         "recoveredActivityId" = run.id,
         "consecutiveRuns" = 0
       FROM run
       WHERE f."connectedSystemId" = run."connectedSystemId" AND f."lastRunProfileId" = run."runProfileId"
         AND f.state = 'Open' AND f."lastActivityId" <> run.id
         AND ($3::boolean OR EXISTS (
           SELECT 1 FROM "ExecutionItem" i WHERE i."connectedSystemId" = run."connectedSystemId"
             AND i."activityId" = run.id
             AND i."errorType" IS NULL
             AND f."objectKey" = ${OBJECT_KEY_SQL("i")}
         ))
       RETURNING f.id, f."objectType", run.id AS "activityId", run.name, run."runProfileId", run."connectedSystemId"
     )
     INSERT INTO "ObjectFailureEvent" ("failureId", kind, at, "activityId", "activityName", "runProfileId",
       "connectedSystemId", "objectType")
     SELECT id, 'Recovered', $2::timestamptz, "activityId", name, "runProfileId", "connectedSystemId", "objectType"
       FROM settled`,
    [activityId, at.toISOString(), scope === "all-unfailed"],
  );
}

/**
 * Cancels the activity and its running descendants. Returns the ids cancelled (empty when it had
 * already ended).
 */
export async function cancelTree(id: string, message: string | null, at: Date): Promise<string[]> {
  const db = await getDatabase();
  // Lock the root first, in its own statement: a child inserted concurrently (it locks its parent
  // too) is then either committed and seen by the cancel's fresh snapshot, or refused because the
  // parent it waits on is no longer InProgress. In one statement, a step could start unseen.
  const rows = await db.transaction(async (tx) => {
    await tx.query(`SELECT id FROM "Activity" WHERE id = $1::uuid FOR UPDATE`, [id]);
    return tx.query<Changed & { kind: string }>(
      `WITH RECURSIVE tree(id, depth) AS (
       SELECT id, 0 FROM "Activity" WHERE id = $1::uuid AND status = 'InProgress'
       UNION ALL
       SELECT c.id, t.depth + 1 FROM "Activity" c JOIN tree t ON c."parentActivityId" = t.id WHERE t.depth < 100
     ),
     u AS (
       UPDATE "Activity" SET
         status = 'Cancelled', "cancelRequested" = true, "endedAt" = $2::timestamptz,
         "executionTimeMs" = CASE WHEN "startedAt" IS NULL THEN 0 ELSE GREATEST(0, EXTRACT(EPOCH
           FROM ($2::timestamptz - "startedAt")) * 1000)::int END,
         "totalActivityTimeMs" = GREATEST(0, EXTRACT(EPOCH FROM ($2::timestamptz - "createdAt")) * 1000)::int,
         message = CASE WHEN $3::text IS NOT NULL THEN $3::text ELSE message END,
         phases = ${closePhasesSql("'Cancelled'", "$2")},
         version = version + 1, "updatedAt" = GREATEST("updatedAt", $2::timestamptz)
       WHERE id IN (SELECT id FROM tree) AND status = 'InProgress'
       RETURNING *
     ),
     lane AS (
       UPDATE "Activity" a SET version = a.version + 1
       WHERE a.status = 'InProgress' AND a."startedAt" IS NULL AND a."queueKey" IN (SELECT "queueKey" FROM u
         WHERE "startedAt" IS NULL)
         AND a.id NOT IN (SELECT id FROM u)
       RETURNING a.id::text AS id, a.version, a.status::text AS status,
         a."parentActivityId"::text AS "parentActivityId", a."totalObjectErrors"
     ),
     parent AS (
       UPDATE "Activity" p SET version = p.version + 1 FROM u
       WHERE p.id = u."parentActivityId" AND p.id <> ALL(SELECT id FROM u) AND p.status = 'InProgress'
       RETURNING p.id::text AS id, p.version, p.status::text AS status,
         p."parentActivityId"::text AS "parentActivityId", p."totalObjectErrors"
     )
     SELECT 'u' AS kind, ${CHANGED} FROM u UNION ALL SELECT 'o', * FROM lane UNION ALL SELECT 'o', * FROM parent`,
      [id, at.toISOString(), message],
    );
  });
  note(rows);
  return rows.filter((r) => r.kind === "u").map((r) => r.id);
}

/** Whether the activity was ended or asked to stop by someone else (the engine polls this). */
export async function findStopState(id: string): Promise<{ status: ActivityStatus; cancelRequested: boolean } | null> {
  const db = await getDatabase();
  const [row] = await db.sql.query<{ status: ActivityStatus; cancelRequested: boolean }>(
    `SELECT status::text AS status, "cancelRequested" FROM "Activity" WHERE id = $1::uuid`,
    [id],
  );
  return row ?? null;
}

/** Running activities with their owner, for the interruption sweep. */
export interface OpenActivity {
  id: string;
  targetType: ActivityTargetType;
  parentActivityId: string | null;
  startedAt: Date | null;
  ownerInstanceId: string | null;
  heartbeatAt: Date | null;
}

/**
 * Activities still InProgress that an instance not in `liveInstances` runs, and reported
 * activities (neither owner nor queue) whose last report is older than `silentBefore`.
 */
export async function findAbandoned(liveInstances: string[], silentBefore: Date): Promise<OpenActivity[]> {
  const db = await getDatabase();
  return db.sql.query<OpenActivity>(
    `SELECT id::text AS id, "targetType"::text AS "targetType", "parentActivityId"::text AS "parentActivityId",
      "startedAt",
            "ownerInstanceId", "heartbeatAt"
     FROM "Activity"
     WHERE status = 'InProgress'
       AND (("ownerInstanceId" IS NOT NULL AND NOT ("ownerInstanceId" = ANY($1::text[])))
         OR ("ownerInstanceId" IS NULL AND "queueKey" IS NULL AND "parentActivityId" IS NULL
           AND "heartbeatAt" < $2::timestamptz))
     ORDER BY "createdAt" LIMIT 1000`,
    [liveInstances, silentBefore.toISOString()],
  );
}

/**
 * Ends an abandoned activity and its running descendants: those that had started as
 * FailedWithError, those still queued as Cancelled, each with `reason`; a schedule execution's
 * status then summarises its steps. Returns how many activities ended.
 */
export async function endAbandoned(
  id: string,
  reason: { failed: string; cancelled: string },
  at: Date,
): Promise<number> {
  const db = await getDatabase();
  const changed = await db.transaction(async (tx) => {
    const rows = await tx.query<Changed>(
      `WITH RECURSIVE tree(id, depth) AS (
         SELECT id, 0 FROM "Activity" WHERE id = $1::uuid AND status = 'InProgress'
         UNION ALL
         SELECT c.id, t.depth + 1 FROM "Activity" c JOIN tree t ON c."parentActivityId" = t.id WHERE t.depth < 100
       )
       UPDATE "Activity" SET
         status = (CASE WHEN "startedAt" IS NULL THEN 'Cancelled' ELSE 'FailedWithError' END)::"ActivityStatus",
         "errorMessage" = CASE WHEN "startedAt" IS NULL THEN "errorMessage" ELSE $3::text END,
         message = CASE WHEN "startedAt" IS NULL THEN $4::text ELSE message END,
         "endedAt" = $2::timestamptz,
         "executionTimeMs" = CASE WHEN "startedAt" IS NULL THEN 0 ELSE GREATEST(0, EXTRACT(EPOCH
           FROM ($2::timestamptz - "startedAt")) * 1000)::int END,
         "totalActivityTimeMs" = GREATEST(0, EXTRACT(EPOCH FROM ($2::timestamptz - "createdAt")) * 1000)::int,
         phases = ${closePhasesSql(`CASE WHEN "startedAt" IS NULL THEN 'Cancelled' ELSE 'Failed' END`, "$2")},
         version = version + 1, "updatedAt" = GREATEST("updatedAt", $2::timestamptz)
       WHERE id IN (SELECT id FROM tree) AND status = 'InProgress'
       RETURNING ${CHANGED}`,
      [id, at.toISOString(), reason.failed, reason.cancelled],
    );
    // A schedule execution's status summarises its steps, now that none runs: all failed, or some
    // failed or were cancelled, says more than "interrupted". When every step it reached succeeded
    // it stays FailedWithError on purpose: the steps it never reached did not run.
    const rolled = await tx.query<Changed>(
      `UPDATE "Activity" p SET status = (
         CASE
           WHEN NOT EXISTS (SELECT 1 FROM "Activity" c WHERE c."parentActivityId" = p.id) THEN p.status
           WHEN NOT EXISTS (SELECT 1 FROM "Activity" c WHERE c."parentActivityId" = p.id
             AND c.status <> 'FailedWithError') THEN 'FailedWithError'
           WHEN EXISTS (SELECT 1 FROM "Activity" c WHERE c."parentActivityId" = p.id
             AND c.status IN ('FailedWithError', 'CompleteWithError', 'Cancelled'))
             THEN 'CompleteWithError'
           ELSE p.status END)::"ActivityStatus",
         version = version + 1
       WHERE p.id = $1::uuid AND p."targetType" = 'Schedule' AND p.status = 'FailedWithError'
       RETURNING ${CHANGED}`,
      [id],
    );
    return [...rows, ...rolled];
  });
  note(changed);
  return changed.length;
}
