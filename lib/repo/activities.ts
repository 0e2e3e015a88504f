/** Reads of activities: the list and its filters, one activity, subtrees, queue positions, history. */
import { getConfig } from "@/lib/config";
import { getDatabase, withPrisma } from "@/lib/db/client";
import type { Activity, Prisma } from "@/lib/generated/prisma/client";
import { HISTORY_LANE_PREFIX } from "@/lib/domain/activity";
import {
  ACTIVITY_STATUSES,
  ACTIVITY_TARGET_TYPES,
  type ActivityStatus,
  type ActivityTargetType,
  type InitiatorType,
  type RunType,
} from "@/lib/domain/enums";
import type { PastRun } from "@/lib/domain/progress";
import { fileUnder, queryByKeys } from "./batch";
import { countWithin } from "./count-cache";
import { isAnyOf, searchesAny } from "./where";
import { paginate, type KeysetField, type ListDef, type Page, type PageQuery, type PageSource } from "./paginate";

export type ActivityRow = Activity;
/** List rows leave out the stack trace and the planned steps. */
export type ActivityListRow = Omit<ActivityRow, "errorStackTrace" | "plannedSteps">;
export const LIST_OMIT = { errorStackTrace: true, plannedSteps: true } as const;

const ACTIVITY_SORTS = {
  created: { column: "createdAt", nullable: false, kind: "date" },
  started: { column: "startedAt", nullable: true, kind: "date" },
  ended: { column: "endedAt", nullable: true, kind: "date" },
  duration: { column: "executionTimeMs", nullable: true, kind: "int" },
  name: { column: "name", nullable: false, kind: "string" },
  target: { column: "targetName", nullable: false, kind: "string" },
  type: { column: "targetType", nullable: false, kind: "enum", enumValues: ACTIVITY_TARGET_TYPES },
  initiator: { column: "initiatorName", nullable: false, kind: "string" },
  status: { column: "status", nullable: false, kind: "enum", enumValues: ACTIVITY_STATUSES },
  errors: { column: "totalObjectErrors", nullable: false, kind: "int" },
  processed: { column: "totalObjectsProcessed", nullable: false, kind: "int" },
  changes: { column: "totalObjectChangeCount", nullable: false, kind: "int" },
} as const satisfies Record<string, KeysetField>;
export type ActivitySort = keyof typeof ACTIVITY_SORTS;
const ACTIVITIES: ListDef<ActivitySort> = {
  name: "activities",
  sorts: ACTIVITY_SORTS,
  tie: { column: "id", kind: "uuid" },
};

const ERROR_STATUSES: ActivityStatus[] = ["CompleteWithError", "FailedWithError"];

/** A run the demo back-fill is still writing (HISTORY_LANE_PREFIX): the lists hide it. */
const HALF_WRITTEN: Prisma.ActivityWhereInput = {
  status: "InProgress",
  queueKey: { startsWith: HISTORY_LANE_PREFIX },
};
/** Not a run the demo back-fill is still writing; NULL lanes are kept. */
const NOT_HALF_WRITTEN: Prisma.ActivityWhereInput = {
  OR: [
    { status: { not: "InProgress" } },
    { queueKey: null },
    { NOT: { queueKey: { startsWith: HISTORY_LANE_PREFIX } } },
  ],
};

/**
 * What the activity list can be filtered by, in the API's own names: the fields activityWhere reads.
 * Declared here, beside the where clause, so that a new filter is one edit in this file; the
 * contract's list queries are checked against it where the services hand them over.
 */
export interface ActivityFilter {
  status?: ActivityStatus[];
  targetType?: ActivityTargetType[];
  runType?: RunType[];
  connectedSystemId?: number;
  runProfileId?: number;
  scheduleId?: number;
  scheduleExecutionId?: string;
  initiatorType?: InitiatorType;
  initiatorName?: string;
  search?: string;
  /** ISO date-times: created at or after, at or before. */
  from?: string;
  to?: string;
  topLevelOnly?: boolean;
  hasErrors?: boolean;
  parentId?: string;
  /** Only steps of schedule executions (to count what topLevelOnly left out); not a query parameter. */
  stepsOnly?: boolean;
}

/** The rows the list shows for the filter. */
export function activityWhere(f: ActivityFilter): Prisma.ActivityWhereInput {
  return { AND: [NOT_HALF_WRITTEN, matchingWhere(f)] };
}

/** The rows the filter matches, half-written runs included. */
function matchingWhere(f: ActivityFilter): Prisma.ActivityWhereInput {
  const and: Prisma.ActivityWhereInput[] = [];
  if (f.status?.length) and.push(isAnyOf("status", f.status));
  if (f.targetType?.length) and.push(isAnyOf("targetType", f.targetType));
  if (f.runType?.length) and.push(isAnyOf("runType", f.runType));
  if (f.connectedSystemId) and.push({ connectedSystemId: f.connectedSystemId });
  if (f.runProfileId) and.push({ runProfileId: f.runProfileId });
  if (f.scheduleId) and.push({ scheduleId: f.scheduleId });
  if (f.scheduleExecutionId) and.push({ scheduleExecutionId: f.scheduleExecutionId });
  if (f.initiatorType) and.push({ initiatorType: f.initiatorType });
  if (f.initiatorName) and.push({ initiatorName: f.initiatorName });
  // ILIKE '%…%', served by the trigram index on name.
  if (f.search) and.push(searchesAny(["name"], f.search));
  if (f.from) and.push({ createdAt: { gte: new Date(f.from) } });
  if (f.to) and.push({ createdAt: { lte: new Date(f.to) } });
  if (f.parentId) and.push({ parentActivityId: f.parentId });
  else if (f.topLevelOnly && !f.scheduleExecutionId) and.push({ parentActivityId: null });
  else if (f.stepsOnly) and.push({ parentActivityId: { not: null } });
  if (f.hasErrors === true) and.push({ OR: [{ totalObjectErrors: { gt: 0 } }, { status: { in: ERROR_STATUSES } }] });
  if (f.hasErrors === false) and.push({ totalObjectErrors: 0, status: { notIn: ERROR_STATUSES } });
  return { AND: and };
}

/**
 * The rows the list shows for the filter, counted up to `take`. A capped count walks newest first,
 * as the filter indexes are ordered (Prisma orders a count's LIMIT by id otherwise, and read every
 * matching row, 5 s for status=Complete at 1M, to stop at the cap). The half-written runs the list
 * hides (the back-fill's runs in flight, found through the status index) are counted apart and taken
 * off, so the rest is counted from the filter's index alone: telling one needs the row itself, and a
 * count of 10,001 rows that did read 10,001 rows took the whole 100 ms budget of a first request.
 *
 * A name search of three characters or more is counted whole, through the trigram index: walking
 * newest first, PostgreSQL expected a term's share of all activities among the top-level ones
 * (schedule steps carry their runs' names) and, for a term matching few, read every top-level row
 * (3.5 s cold for "directory" at 1M, against 25 ms). A shorter term keeps the capped walk.
 */
async function countListed(filter: ActivityFilter, take?: number): Promise<number> {
  const matching = matchingWhere(filter);
  const hidesNone = filter.status?.length && !filter.status.includes("InProgress");
  const halfWritten = hidesNone
    ? 0
    : await withPrisma((prisma) => prisma.activity.count({ where: { AND: [matching, HALF_WRITTEN] } }));
  const capped = take !== undefined && (filter.search?.length ?? 0) < 3;
  const all = await withPrisma((prisma) =>
    prisma.activity.count({
      where: matching,
      ...(capped ? { take: take + halfWritten, orderBy: [{ createdAt: "desc" }, { id: "desc" }] } : {}),
    }),
  );
  return all - halfWritten;
}

function activitySource(filter: ActivityFilter): PageSource<ActivityListRow> {
  return {
    findMany: (args) =>
      withPrisma((prisma) => prisma.activity.findMany({ ...(args as Prisma.ActivityFindManyArgs), omit: LIST_OMIT })),
    count: (args) => countListed(filter, args.take),
  };
}

/** Filters that usually match few runs, each served by an index of its own. */
const NARROW_FILTERS = ["connectedSystemId", "runProfileId", "runType", "scheduleId", "initiatorName"] as const;
/** Up to this many matching rows are gathered through the filter's index before another sort orders them. */
const FEW_ROWS = 5_000;

/**
 * The rows' source for a narrow filter and a sort other than creation: PostgreSQL walks the sort's
 * index and filters as it goes, expecting matches spread evenly, and at 1M activities read 120,000
 * rows (1 s) to find a page of one system's top-level runs. When the filter matches at most
 * FEW_ROWS rows, they are gathered through the filter's own index first and the page is taken
 * from them (the same order, cursor and offset); otherwise the walk finds a page soon enough.
 * They are gathered beside the list's count, not before it: a first request waits for the slower.
 */
function narrowed(
  source: PageSource<ActivityListRow>,
  filter: ActivityFilter,
  where: Record<string, unknown>,
  sort: ActivitySort,
): PageSource<ActivityListRow> {
  if (sort === "created" || !NARROW_FILTERS.some((k) => filter[k] !== undefined)) return source;
  const few = withPrisma((prisma) =>
    prisma.activity.findMany({
      where,
      select: { id: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: FEW_ROWS + 1,
    }),
  );
  few.catch(() => undefined); // a request refused before its page is read (a bad cursor) never awaits it
  return {
    ...source,
    findMany: async (args) => {
      const rows = await few;
      if (rows.length > FEW_ROWS) return source.findMany(args);
      const ids = rows.map((r) => r.id);
      return source.findMany({ ...args, where: { AND: [args.where, { id: { in: ids } }] } });
    },
  };
}

/**
 * A page of activities. `onRows` is handed the page's rows as soon as they are read, while the
 * count may still be running within its budget: what the caller reads about them starts then.
 */
export async function listActivities(
  filter: ActivityFilter,
  q: PageQuery<ActivitySort> & { scope?: string },
  onRows?: (rows: ActivityListRow[]) => void,
): Promise<Page<ActivityListRow>> {
  const list = q.scope ? { ...ACTIVITIES, name: q.scope } : ACTIVITIES;
  const where = activityWhere(filter) as Record<string, unknown>;
  const source = narrowed(activitySource(filter), filter, where, q.sort);
  const seen: PageSource<ActivityListRow> = onRows
    ? {
        ...source,
        findMany: async (args) => {
          const rows = await source.findMany(args);
          onRows(rows.slice(0, q.pageSize));
          return rows;
        },
      }
    : source;
  return paginate(seen, list, where, q, {
    cap: getConfig().countCap,
    cache: "cached",
  });
}

/**
 * Rows matching the filter, counted up to the cap (cached like the list's count); null when the
 * count did not finish within the list's time budget (it goes on and fills the cache).
 */
export async function countActivities(filter: ActivityFilter): Promise<{ count: number; capped: boolean } | null> {
  const where = activityWhere(filter) as Record<string, unknown>;
  const { countCap: cap, countBudgetMs } = getConfig();
  // The same key as the list's count (paginate): a count made for one serves the other.
  const n = await countWithin(`activities:${JSON.stringify(where)}`, () => countListed(filter, cap + 1), countBudgetMs);
  return n === null ? null : { count: Math.min(n, cap), capped: n > cap };
}

export async function findActivity(id: string): Promise<ActivityRow | null> {
  return withPrisma((prisma) => prisma.activity.findUnique({ where: { id } }));
}

/** What identifies an activity's current representation, without the row. */
export async function findActivityHeader(id: string) {
  return withPrisma((prisma) =>
    prisma.activity.findUnique({
      where: { id },
      select: {
        id: true,
        status: true,
        targetType: true,
        version: true,
        updatedAt: true,
        startedAt: true,
        parentActivityId: true,
        totalObjectErrors: true,
        connectedSystemId: true,
        connectedSystemName: true,
        cancelRequested: true,
        itemsPurgedAt: true,
        itemsKept: true,
        itemCount: true,
        failedItemCount: true,
        runProfileId: true,
      },
    }),
  );
}
export type ActivityHeader = NonNullable<Awaited<ReturnType<typeof findActivityHeader>>>;

/** Rows of these ids, read 1,000 ids to a query (a long IN list is one bind parameter per id). */
async function findByIdsInChunks<T>(ids: string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 1000) out.push(...(await read(ids.slice(i, i + 1000))));
  return out;
}

export const findActivitiesByIds = (ids: string[]): Promise<ActivityListRow[]> =>
  findByIdsInChunks(ids, (chunk) =>
    withPrisma((prisma) => prisma.activity.findMany({ where: { id: { in: chunk } }, omit: LIST_OMIT })),
  );

/** Which of these activities still exist (retention removes old ones); ids only, as cheap to read as that. */
export async function findExistingActivityIds(ids: string[]): Promise<Set<string>> {
  const rows = await findByIdsInChunks(ids, (chunk) =>
    withPrisma((prisma) => prisma.activity.findMany({ where: { id: { in: chunk } }, select: { id: true } })),
  );
  return new Set(rows.map((r) => r.id));
}

/** Direct children, oldest first. */
export async function findChildren(parentId: string): Promise<ActivityListRow[]> {
  return withPrisma((prisma) =>
    prisma.activity.findMany({
      where: { parentActivityId: parentId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      omit: LIST_OMIT,
      take: 10_000,
    }),
  );
}

/** Ids of the activity and all its descendants (any depth), by a recursive CTE. */
export async function findSubtreeIds(rootId: string, limit = 10_000): Promise<string[]> {
  const db = await getDatabase();
  const rows = await db.sql.query<{ id: string }>(
    `WITH RECURSIVE tree(id, depth) AS (
       SELECT id, 0 FROM "Activity" WHERE id = $1::uuid
       UNION ALL
       SELECT a.id, t.depth + 1 FROM "Activity" a JOIN tree t ON a."parentActivityId" = t.id WHERE t.depth < 100
     )
     SELECT id::text AS id FROM tree LIMIT $2::int`,
    [rootId, Math.max(1, Math.floor(limit))],
  );
  return rows.map((r) => r.id);
}

export interface QueueSlot {
  id: string;
  queueKey: string;
  /** 1 = next to start. */
  position: number;
  /** The run it waits behind: the one ahead in the queue, or the one running in its lane. */
  behindId: string | null;
  behindName: string | null;
}

/** Queue positions of the queued activities among `ids` (the others are left out). */
export async function findQueueSlots(ids: string[]): Promise<Map<string, QueueSlot>> {
  return queryByKeys<QueueSlot, string, QueueSlot>(
    ids,
    `WITH lanes AS (
       SELECT DISTINCT "queueKey" FROM "Activity"
       WHERE id = ANY($1::uuid[]) AND status = 'InProgress' AND "startedAt" IS NULL AND "queueKey" IS NOT NULL
     ),
     queued AS (
       SELECT a.id, a."queueKey", a.name,
              row_number() OVER (PARTITION BY a."queueKey" ORDER BY a."createdAt", a.id)::int AS position,
              lag(a.id) OVER (PARTITION BY a."queueKey" ORDER BY a."createdAt", a.id) AS "aheadId",
              lag(a.name) OVER (PARTITION BY a."queueKey" ORDER BY a."createdAt", a.id) AS "aheadName"
       FROM "Activity" a JOIN lanes l ON l."queueKey" = a."queueKey"
       WHERE a.status = 'InProgress' AND a."startedAt" IS NULL
     ),
     running AS (
       SELECT DISTINCT ON (a."queueKey") a."queueKey", a.id, a.name FROM "Activity" a JOIN lanes l
         ON l."queueKey" = a."queueKey"
       WHERE a.status = 'InProgress' AND a."startedAt" IS NOT NULL
       ORDER BY a."queueKey", a."startedAt"
     )
     SELECT q.id::text AS id, q."queueKey", q.position,
            COALESCE(q."aheadId", r.id)::text AS "behindId", COALESCE(q."aheadName", r.name) AS "behindName"
     FROM queued q LEFT JOIN running r ON r."queueKey" = q."queueKey"
     WHERE q.id = ANY($1::uuid[])`,
    [ids],
    (out, r) => out.set(r.id, { ...r, position: Number(r.position) }),
  );
}

/** Queued activities of the given lanes (or of every lane), oldest first: what the dispatcher starts. */
export async function findQueued(limit = 200): Promise<{ id: string; queueKey: string; createdAt: Date }[]> {
  const db = await getDatabase();
  return db.sql.query(
    `SELECT id::text AS id, "queueKey", "createdAt" FROM "Activity"
     WHERE status = 'InProgress' AND "startedAt" IS NULL AND "queueKey" IS NOT NULL
     ORDER BY "createdAt", id LIMIT $1::int`,
    [limit],
  );
}

/** Lanes with a started, unfinished activity. */
export async function findBusyLanes(): Promise<Set<string>> {
  const db = await getDatabase();
  const rows = await db.sql.query<{ queueKey: string }>(
    `SELECT DISTINCT "queueKey" FROM "Activity" WHERE status = 'InProgress' AND "startedAt" IS NOT NULL
      AND "queueKey" IS NOT NULL`,
  );
  return new Set(rows.map((r) => r.queueKey));
}

/** What runs now and what waits, oldest first (the Operations view). */
export async function findActiveActivities(limit = 500): Promise<ActivityListRow[]> {
  return withPrisma((prisma) =>
    prisma.activity.findMany({
      where: { AND: [{ status: "InProgress" }, NOT_HALF_WRITTEN] },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      omit: LIST_OMIT,
      take: limit,
    }),
  );
}

/** The latest activity of the run profile created before `before`: the run a new one follows. */
export async function findPreviousRunId(runProfileId: number, before: Date): Promise<string | null> {
  const row = await withPrisma((prisma) =>
    prisma.activity.findFirst({
      where: { runProfileId, targetType: "ConnectedSystemRunProfile", createdAt: { lt: before } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true },
    }),
  );
  return row?.id ?? null;
}

/** Processed objects and execution time of the last completed runs of each run profile. */
/**
 * The last completed runs of each run profile: objects and time, and from their samples when
 * processing began (the last sample with nothing processed) and ended (the first with everything).
 */
export async function findRecentRunTimes(runProfileIds: number[], perProfile = 5): Promise<Map<number, PastRun[]>> {
  const ms = (v: number | null) => (v === null ? null : Number(v));
  return queryByKeys<
    {
      runProfileId: number;
      objectsProcessed: number;
      executionTimeMs: number | null;
      leadMs: number | null;
      processMs: number | null;
    },
    number,
    PastRun[]
  >(
    runProfileIds,
    `SELECT r."runProfileId", r."objectsProcessed", r."executionTimeMs",
            (EXTRACT(EPOCH FROM (z.at - r."startedAt")) * 1000)::float8 AS "leadMs",
            (EXTRACT(EPOCH FROM (f.at - z.at)) * 1000)::float8 AS "processMs"
     FROM unnest($1::int[]) AS p(id)
     CROSS JOIN LATERAL (
       SELECT id, "runProfileId", GREATEST("objectsProcessed", "totalObjectsProcessed") AS "objectsProcessed",
              "executionTimeMs", "startedAt",
              "objectsToProcess"
       FROM "Activity"
       WHERE "runProfileId" = p.id AND "targetType" = 'ConnectedSystemRunProfile'
         AND status IN ('Complete', 'CompleteWithWarning', 'CompleteWithError') AND "startedAt" IS NOT NULL
       ORDER BY "createdAt" DESC LIMIT $2::int
     ) r
     LEFT JOIN LATERAL (
       SELECT max(s.at) AS at FROM "ProgressSample" s WHERE s."activityId" = r.id AND s."objectsProcessed" = 0
     ) z ON true
     LEFT JOIN LATERAL (
       SELECT min(s.at) AS at FROM "ProgressSample" s
       WHERE s."activityId" = r.id AND r."objectsToProcess" > 0 AND s."objectsProcessed" >= r."objectsToProcess"
     ) f ON true`,
    [runProfileIds, perProfile],
    (out, r) =>
      fileUnder(out, r.runProfileId, {
        objectsProcessed: Number(r.objectsProcessed),
        executionTimeMs: ms(r.executionTimeMs),
        leadMs: ms(r.leadMs),
        processMs: ms(r.processMs),
      }),
  );
}

export interface SampleRow {
  at: Date;
  objectsToProcess: number | null;
  objectsProcessed: number;
  totalObjectChangeCount: number;
  totalObjectErrors: number;
  counters: unknown;
}

/** Samples after `after` (oldest first), at most `limit`. */
export async function findSamplesAfter(activityId: string, after: Date | null, limit: number): Promise<SampleRow[]> {
  return withPrisma((prisma) =>
    prisma.progressSample.findMany({
      where: { activityId, ...(after ? { at: { gt: after } } : {}) },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      take: limit,
      select: {
        at: true,
        objectsToProcess: true,
        objectsProcessed: true,
        totalObjectChangeCount: true,
        totalObjectErrors: true,
        counters: true,
      },
    }),
  );
}

/** At most `maxPoints` samples spread over the whole run: the last sample of each time bucket, plus the first. */
export async function findSamplesDownsampled(activityId: string, maxPoints: number): Promise<SampleRow[]> {
  const db = await getDatabase();
  const rows = await db.sql.query<SampleRow & { at: Date | string }>(
    `WITH s AS (
       SELECT *, min(at) OVER () AS t0, max(at) OVER () AS t1, row_number() OVER (ORDER BY at, id) AS rn
       FROM "ProgressSample" WHERE "activityId" = $1::uuid
     ),
     b AS (
       SELECT *, CASE WHEN t1 = t0 THEN 0
                 ELSE LEAST($2::int - 1, floor(EXTRACT(EPOCH FROM (at - t0)) / EXTRACT(EPOCH
                   FROM (t1 - t0)) * ($2::int - 1)))::int END AS bucket
       FROM s
     )
     SELECT DISTINCT ON (bucket) at, "objectsToProcess", "objectsProcessed", "totalObjectChangeCount",
       "totalObjectErrors", counters
     FROM b ORDER BY bucket, rn DESC`,
    [activityId, Math.max(2, maxPoints)],
  );
  const first = await findSamplesAfter(activityId, null, 1);
  const all = [...first, ...rows.map((r) => ({ ...r, at: new Date(r.at) }))];
  const seen = new Set<number>();
  return all
    .filter((r) => (seen.has(r.at.getTime()) ? false : (seen.add(r.at.getTime()), true)))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

export async function countSamples(activityId: string): Promise<number> {
  return withPrisma((prisma) => prisma.progressSample.count({ where: { activityId } }));
}

/** A schedule execution's steps: how many exist, how many ended, and the one running. */
interface StepStates {
  existing: number;
  ended: number;
  running: { stepIndex: number | null; name: string } | null;
}

/** Per schedule execution: steps that exist, steps ended, and the running step (for lists). */
export async function findStepStates(executionIds: string[]): Promise<Map<string, StepStates>> {
  return queryByKeys<
    { parentId: string; existing: number; ended: number; runningIndex: number | null; runningName: string | null },
    string,
    StepStates
  >(
    executionIds,
    `SELECT p.id::text AS "parentId",
            (SELECT count(*)::int FROM "Activity" c WHERE c."parentActivityId" = p.id) AS existing,
            (SELECT count(*)::int FROM "Activity" c WHERE c."parentActivityId" = p.id
              AND c.status <> 'InProgress') AS ended,
            r."stepIndex" AS "runningIndex", r.name AS "runningName"
     FROM unnest($1::uuid[]) AS p(id)
     LEFT JOIN LATERAL (
       SELECT "stepIndex", name FROM "Activity" c WHERE c."parentActivityId" = p.id AND c.status = 'InProgress'
         AND c."startedAt" IS NOT NULL
       ORDER BY c."startedAt" LIMIT 1
     ) r ON true`,
    [executionIds],
    (out, r) =>
      out.set(r.parentId, {
        existing: Number(r.existing),
        ended: Number(r.ended),
        running:
          r.runningName !== null
            ? { stepIndex: r.runningIndex === null ? null : Number(r.runningIndex), name: r.runningName }
            : null,
      }),
  );
}

/** Each schedule's latest execution. */
export async function findLatestExecutions(
  scheduleIds: number[],
): Promise<Map<number, { id: string; status: ActivityStatus; createdAt: Date }>> {
  return queryByKeys<
    { scheduleId: number; id: string; status: ActivityStatus; createdAt: Date },
    number,
    { id: string; status: ActivityStatus; createdAt: Date }
  >(
    scheduleIds,
    `SELECT s.id AS "scheduleId", a.id::text AS id, a.status::text AS status, a."createdAt"
      FROM unnest($1::int[]) AS s(id)
     CROSS JOIN LATERAL (
       SELECT id, status, "createdAt" FROM "Activity" WHERE "scheduleId" = s.id AND "targetType" = 'Schedule'
       ORDER BY "createdAt" DESC LIMIT 1
     ) a`,
    [scheduleIds],
    (out, r) => out.set(Number(r.scheduleId), { id: r.id, status: r.status, createdAt: new Date(r.createdAt) }),
  );
}

/** Planned steps per schedule execution. */
export async function findPlannedStepCounts(ids: string[]): Promise<Map<string, number>> {
  return queryByKeys<{ id: string; n: number }, string, number>(
    ids,
    `SELECT id::text AS id, COALESCE(jsonb_array_length("plannedSteps"), 0)::int AS n FROM "Activity"
      WHERE id = ANY($1::uuid[])`,
    [ids],
    (out, r) => out.set(r.id, Number(r.n)),
  );
}

/** Unfinished activities run by an instance (started ones). */
export async function findOwnedOpen(instanceId: string): Promise<string[]> {
  const db = await getDatabase();
  const rows = await db.sql.query<{ id: string }>(
    `SELECT id::text AS id FROM "Activity" WHERE status = 'InProgress'
      AND "ownerInstanceId" = $1 ORDER BY "createdAt"`,
    [instanceId],
  );
  return rows.map((r) => r.id);
}

/** Top-level runs waiting in the engine's queue. */
export async function findQueuedTopLevel(): Promise<string[]> {
  const db = await getDatabase();
  const rows = await db.sql.query<{ id: string }>(
    `SELECT id::text AS id FROM "Activity"
     WHERE status = 'InProgress' AND "startedAt" IS NULL AND "queueKey" IS NOT NULL AND "parentActivityId" IS NULL`,
  );
  return rows.map((r) => r.id);
}
