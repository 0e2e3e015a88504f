/**
 * The read set: each route with typical filters, and the SQL the repository sends for it
 * (lib/repo/activities.ts, lib/repo/items.ts, lib/services/*), run directly as the floor.
 * Statements the services run in parallel (Promise.all) run in parallel here too; the caches
 * in front of them (list counts, frozen item facets) are not reproduced: the floor is the store.
 */
import { ITEM_COUNT_CAP } from "@/lib/repo/items";
import { groupFailuresOn } from "@/lib/repo/failures";
import type { ErrorType } from "@/lib/domain/enums";
import { COUNTER_FIELDS } from "@/lib/domain/counters";

/** SYNCWATCH_COUNT_CAP's default: list counts stop there. */
export const ACTIVITY_COUNT_CAP = 10_000;
import type { SeedFixtures } from "./seed/generate";

export type Sql = (text: string, params?: unknown[]) => Promise<unknown[]>;

export interface RouteCase {
  name: string;
  path: string;
  raw: (sql: Sql) => Promise<unknown>;
  /** The p95 target: 25 ms for a read route, 50 ms for the Failures routes (they group across runs). */
  p95Ms: number;
}

const READ_P95_MS = 25;
const FAILURES_P95_MS = 50;

const q = (c: string) => `"${c}"`;
const ACTIVITY_ALL = [
  "id",
  "name",
  "targetType",
  "connectedSystemId",
  "connectedSystemName",
  "runProfileId",
  "runProfileName",
  "runType",
  "scheduleId",
  "scheduleName",
  "status",
  "initiatorType",
  "initiatorId",
  "initiatorName",
  "createdAt",
  "startedAt",
  "endedAt",
  "executionTimeMs",
  "totalActivityTimeMs",
  "objectsToProcess",
  "objectsProcessed",
  "message",
  "errorMessage",
  "errorStackTrace",
  "warnings",
  "cancelRequested",
  "parentActivityId",
  "childCount",
  "version",
  "updatedAt",
  "scheduleExecutionId",
  "stepIndex",
  "plannedSteps",
  "previousRunId",
  "targetName",
  "phases",
  "queueKey",
  "ownerInstanceId",
  "heartbeatAt",
  "itemCount",
  "itemsPurgedAt",
  "errorTypeCounts",
  "objectTypeCounts",
  ...COUNTER_FIELDS,
];
const ACTIVITY_ROW = ACTIVITY_ALL.map(q).join(", ");
const ACTIVITY_LIST_ROW = ACTIVITY_ALL.filter((c) => c !== "errorStackTrace" && c !== "plannedSteps")
  .map(q)
  .join(", ");
const ITEM_SUMMARY_ROW = [
  "id",
  "activityId",
  "sequence",
  "externalIdValue",
  "displayName",
  "connectedSystemObjectType",
  "objectChangeType",
  "errorType",
  "errorMessage",
  "outcomeSummary",
  "connectedSystemId",
  "connectedSystemObjectId",
  "metaverseObjectId",
  "processedAt",
  "recurrence",
]
  .map(q)
  .join(", ");
const HEADER_ROW = [
  "id",
  "status",
  "targetType",
  "version",
  "updatedAt",
  "connectedSystemId",
  "connectedSystemName",
  "cancelRequested",
  "parentActivityId",
  "itemsPurgedAt",
  "itemCount",
]
  .map(q)
  .join(", ");
const PAGE = 25;

/** findActivityPage: the page (one extra row) and the capped count, in parallel (and, for filters a
 * schedule step can match, the capped count of the steps the top level leaves out: stepMatches). */
function activityPage(sql: Sql, where: string, params: unknown[], order: string, offset = 0, stepsWhere?: string) {
  const count = (w: string) =>
    sql(
      `SELECT COUNT(*) FROM (SELECT "id" FROM "Activity" WHERE ${w} LIMIT ${ACTIVITY_COUNT_CAP + 1} OFFSET 0) AS sub`,
      params,
    );
  return Promise.all([
    sql(
      `SELECT ${ACTIVITY_LIST_ROW} FROM "Activity" WHERE ${where} ORDER BY ${order} LIMIT ${PAGE + 1} OFFSET ${offset}`,
      params,
    ),
    count(where),
    stepsWhere ? count(stepsWhere) : null,
  ]);
}

const CREATED_DESC = `"createdAt" DESC, "id" DESC`;
const TOP = `"parentActivityId" IS NULL`;

/** listItems: the header, then page, capped count and the three facet group-bys in parallel. */
async function itemPage(sql: Sql, id: string, filter: string, filterParams: unknown[], offset = 0) {
  await sql(`SELECT ${HEADER_ROW} FROM "Activity" WHERE "id" = $1::uuid LIMIT 1`, [id]);
  const where = `"activityId" = $1::uuid${filter}`;
  const params = [id, ...filterParams];
  const unfiltered = `"activityId" = $1::uuid`;
  return Promise.all([
    sql(
      `SELECT ${ITEM_SUMMARY_ROW} FROM "ExecutionItem" WHERE ${where} ORDER BY "sequence" ASC LIMIT ${PAGE + 1} OFFSET ${offset}`,
      params,
    ),
    sql(
      `SELECT COUNT(*) FROM (SELECT "id" FROM "ExecutionItem" WHERE ${where} LIMIT ${ITEM_COUNT_CAP} OFFSET 0) AS sub`,
      params,
    ),
    sql(`SELECT "errorType", COUNT(*) FROM "ExecutionItem" WHERE ${unfiltered} GROUP BY "errorType"`, [id]),
    sql(`SELECT "objectChangeType", COUNT(*) FROM "ExecutionItem" WHERE ${where} GROUP BY "objectChangeType"`, params),
    sql(
      `SELECT "connectedSystemObjectType", COUNT(*) FROM "ExecutionItem" WHERE ${where} GROUP BY "connectedSystemObjectType" ORDER BY "connectedSystemObjectType" ASC LIMIT 200 OFFSET 0`,
      params,
    ),
    sql(`SELECT "recurrence", COUNT(*) FROM "ExecutionItem" WHERE ${where} GROUP BY "recurrence"`, params),
  ]);
}

const findActivity = (sql: Sql, id: string) =>
  sql(`SELECT ${ACTIVITY_ROW} FROM "Activity" WHERE "id" = $1::uuid LIMIT 1`, [id]);

export interface ReadContext {
  fixtures: SeedFixtures;
  /** Filter values that exist in the seeded configuration. */
  connectedSystemId: number;
  runProfileId: number;
  initiatorName: string;
  /** A one-day window a week ago. */
  from: string;
  to: string;
  /** The error type the largest run has most of. */
  largestRunErrorType: string;
  /** The failures routes' default range: the last 7 days. */
  from7: string;
  now: string;
  /** The run of the last day with the most failed objects (null when none failed). */
  failedRunId: string | null;
  /** Last night, 20:00 to 06:00 UTC. */
  lastNight: { from: string; to: string };
}

const STEPS = `"parentActivityId" IS NOT NULL`;

export function readRoutes(c: ReadContext): RouteCase[] {
  return [...activityRoutes(c), ...failureRoutes(c)].map((r) => ({
    ...r,
    p95Ms: r.path.startsWith("/api/v1/failures") ? FAILURES_P95_MS : READ_P95_MS,
  }));
}

type Route = Omit<RouteCase, "p95Ms">;

function activityRoutes(c: ReadContext): Route[] {
  const f = c.fixtures;
  /** `stepFilter`: the filter is one a schedule step can match, so the steps left out are counted too. */
  const list = (
    name: string,
    query: string,
    where: string,
    params: unknown[],
    order = CREATED_DESC,
    stepFilter = false,
  ): Route => ({
    name,
    path: `/api/v1/activities${query ? "?" + query : ""}`,
    raw: (sql) =>
      activityPage(sql, where, params, order, 0, stepFilter ? where.replace(`AND ${TOP}`, `AND ${STEPS}`) : undefined),
  });
  return [
    list("list", "", TOP, []),
    list(
      "list status (stepMatches)",
      "status=CompleteWithError",
      `"status" IN ($1::"ActivityStatus") AND ${TOP}`,
      ["CompleteWithError"],
      CREATED_DESC,
      true,
    ),
    list("list targetType", "targetType=Schedule", `"targetType" IN ($1::"ActivityTargetType") AND ${TOP}`, [
      "Schedule",
    ]),
    list(
      "list connectedSystem",
      `connectedSystemId=${c.connectedSystemId}`,
      `"connectedSystemId" = $1 AND ${TOP}`,
      [c.connectedSystemId],
      CREATED_DESC,
      true,
    ),
    list(
      "list runProfile",
      `runProfileId=${c.runProfileId}`,
      `"runProfileId" = $1 AND ${TOP}`,
      [c.runProfileId],
      CREATED_DESC,
      true,
    ),
    list(
      "list initiator",
      `initiatorType=User&initiatorName=${encodeURIComponent(c.initiatorName)}`,
      `"initiatorType" = $1::"InitiatorType" AND "initiatorName" = $2 AND ${TOP}`,
      ["User", c.initiatorName],
    ),
    list("list search q", "search=payroll", `"name" ILIKE $1 AND ${TOP}`, ["%payroll%"], CREATED_DESC, true),
    list(
      "list time range",
      `from=${encodeURIComponent(c.from)}&to=${encodeURIComponent(c.to)}`,
      `"createdAt" >= $1::timestamptz AND "createdAt" <= $2::timestamptz AND ${TOP}`,
      [c.from, c.to],
    ),
    list(
      "list hasErrors",
      "hasErrors=true",
      `("totalObjectErrors" > 0 OR "status" IN ('CompleteWithError', 'FailedWithError')) AND ${TOP}`,
      [],
      CREATED_DESC,
      true,
    ),
    list("list all levels", "topLevelOnly=false", "TRUE", []),
    list("list sort duration", "sort=duration&order=desc", TOP, [], `"executionTimeMs" DESC NULLS FIRST, "id" DESC`),
    list("list sort errors", "sort=errors&order=desc", TOP, [], `"totalObjectErrors" DESC, "id" DESC`),
    list("list sort name", "sort=name&order=asc", TOP, [], `"name" ASC, "id" ASC`),
    { name: "detail", path: `/api/v1/activities/${f.typicalRunId}`, raw: (sql) => findActivity(sql, f.typicalRunId) },
    {
      name: "stats",
      path: `/api/v1/activities/${f.typicalRunId}/stats`,
      raw: (sql) => findActivity(sql, f.typicalRunId),
    },
    {
      name: "items",
      path: `/api/v1/activities/${f.typicalRunId}/items`,
      raw: (sql) => itemPage(sql, f.typicalRunId, "", []),
    },
    {
      name: "items errorType",
      path: `/api/v1/activities/${f.typicalRunId}/items?errorType=any`,
      raw: (sql) => itemPage(sql, f.typicalRunId, ` AND "errorType" IS NOT NULL`, []),
    },
    {
      name: "items (largest run)",
      path: `/api/v1/activities/${f.largestRunId}/items`,
      raw: (sql) => itemPage(sql, f.largestRunId, "", []),
    },
    {
      name: "items errorType (largest)",
      path: `/api/v1/activities/${f.largestRunId}/items?errorType=${c.largestRunErrorType}`,
      raw: (sql) =>
        itemPage(sql, f.largestRunId, ` AND "errorType" IN ($2::"ExecutionErrorType")`, [c.largestRunErrorType]),
    },
    {
      name: "children",
      path: `/api/v1/activities/${f.finishedScheduleId}/children`,
      raw: async (sql) => {
        await findActivity(sql, f.finishedScheduleId);
        return activityPage(sql, `"parentActivityId" = $1::uuid`, [f.finishedScheduleId], `"createdAt" ASC, "id" ASC`);
      },
    },
    {
      name: "tree",
      path: `/api/v1/activities/${f.finishedScheduleId}/tree`,
      raw: async (sql) => {
        const ids = (await sql(
          `WITH RECURSIVE tree(id, depth) AS (
             SELECT id, 0 FROM "Activity" WHERE id = $1::uuid
             UNION ALL
             SELECT a.id, t.depth + 1 FROM "Activity" a JOIN tree t ON a."parentActivityId" = t.id WHERE t.depth < 100
           ) SELECT id::text AS id FROM tree LIMIT 10000`,
          [f.finishedScheduleId],
        )) as { id: string }[];
        return sql(`SELECT ${ACTIVITY_LIST_ROW} FROM "Activity" WHERE "id" = ANY($1::uuid[])`, [ids.map((r) => r.id)]);
      },
    },
    {
      name: "progress",
      path: `/api/v1/activities/${f.inProgressRunId}/progress`,
      raw: async (sql) => {
        await findActivity(sql, f.inProgressRunId);
        return sql(
          `SELECT * FROM "ProgressSample" WHERE "activityId" = $1::uuid ORDER BY "at" DESC, "id" DESC LIMIT 5000 OFFSET 0`,
          [f.inProgressRunId],
        );
      },
    },
    {
      name: "progress/samples",
      path: `/api/v1/activities/${f.largestRunId}/progress/samples?maxPoints=200`,
      raw: async (sql) => {
        await findActivity(sql, f.largestRunId);
        return Promise.all([
          sql(
            `WITH s AS (SELECT *, min(at) OVER () AS t0, max(at) OVER () AS t1, row_number() OVER (ORDER BY at, id) AS rn
               FROM "ProgressSample" WHERE "activityId" = $1::uuid),
             b AS (SELECT *, CASE WHEN t1 = t0 THEN 0 ELSE LEAST(199, floor(EXTRACT(EPOCH FROM (at - t0)) / EXTRACT(EPOCH FROM (t1 - t0)) * 199))::int END AS bucket FROM s)
             SELECT DISTINCT ON (bucket) at, "objectsProcessed" FROM b ORDER BY bucket, rn DESC`,
            [f.largestRunId],
          ),
          sql(`SELECT COUNT(*) FROM "ProgressSample" WHERE "activityId" = $1::uuid`, [f.largestRunId]),
        ]);
      },
    },
    {
      name: "snapshot (running)",
      path: `/api/v1/activities/${f.inProgressRunId}/snapshot`,
      raw: (sql) => runningProgress(sql, f.inProgressRunId),
    },
    {
      name: "comparison",
      path: `/api/v1/activities/${f.typicalRunId}/comparison`,
      raw: async (sql) => {
        await findActivity(sql, f.typicalRunId);
        return sql(
          `SELECT ${ACTIVITY_ROW} FROM "Activity" WHERE "id" = (SELECT "previousRunId" FROM "Activity" WHERE "id" = $1::uuid) LIMIT 1`,
          [f.typicalRunId],
        );
      },
    },
    {
      name: "schedule-executions",
      path: `/api/v1/schedule-executions`,
      raw: async (sql) => {
        const [rows] = (await activityPage(sql, `"targetType" = 'Schedule'`, [], CREATED_DESC)) as unknown as [
          { id: string }[],
        ];
        return sql(
          `SELECT "scheduleExecutionId", count(*), count(*) FILTER (WHERE "endedAt" IS NOT NULL) FROM "Activity"
           WHERE "scheduleExecutionId" = ANY($1::uuid[]) GROUP BY 1`,
          [rows.map((r) => r.id)],
        );
      },
    },
    {
      name: "schedule-executions/{id}",
      path: `/api/v1/schedule-executions/${f.finishedScheduleId}`,
      raw: async (sql) => {
        await findActivity(sql, f.finishedScheduleId);
        return sql(
          `SELECT ${ACTIVITY_LIST_ROW} FROM "Activity" WHERE "scheduleExecutionId" = $1::uuid ORDER BY "stepIndex", "createdAt"`,
          [f.finishedScheduleId],
        );
      },
    },
    {
      name: "operations",
      path: `/api/v1/operations`,
      raw: (sql) =>
        Promise.all([
          sql(
            `SELECT ${ACTIVITY_LIST_ROW} FROM "Activity" WHERE "status" = 'InProgress' AND "startedAt" IS NOT NULL ORDER BY "createdAt" LIMIT 500`,
          ),
          sql(
            `SELECT ${ACTIVITY_LIST_ROW} FROM "Activity" WHERE "status" = 'InProgress' AND "startedAt" IS NULL ORDER BY "createdAt" LIMIT 200`,
          ),
          sql(`SELECT * FROM "Schedule" ORDER BY id`),
        ]),
    },
  ];
}

function failureRoutes(c: ReadContext): Route[] {
  const f = c.fixtures;
  const week = { from: c.from7, to: c.now };
  const objects = (name: string, query: string, filter: FailureSqlFilter, order = `"lastSeenAt" DESC`): Route => ({
    name,
    path: `/api/v1/failures/objects${query ? "?" + query : ""}`,
    raw: (sql) => failureObjects(sql, filter, order),
  });
  const groups = (name: string, query: string, filter: FailureSqlFilter): Route => ({
    name,
    path: `/api/v1/failures${query ? "?" + query : ""}`,
    raw: (sql) => failureGroups(sql, filter),
  });
  const night = `from=${encodeURIComponent(c.lastNight.from)}&to=${encodeURIComponent(c.lastNight.to)}`;
  const byRun = c.failedRunId
    ? [
        groups("failures by run", `activityId=${c.failedRunId}`, { ...week, runId: c.failedRunId }),
        objects("failures/objects by run", `activityId=${c.failedRunId}`, { ...week, runId: c.failedRunId }),
      ]
    : [];
  return [
    groups("failures", "", week),
    groups("failures errorType", `errorType=${f.dominantErrorType}`, { ...week, errorType: f.dominantErrorType }),
    groups("failures last night", night, c.lastNight),
    ...byRun,
    objects("failures/objects", "", week),
    objects(
      "failures/objects errorType",
      `errorType=${f.dominantErrorType}&sort=consecutiveRuns`,
      { ...week, errorType: f.dominantErrorType },
      `"consecutiveRuns" DESC`,
    ),
    objects("failures/objects last night", night, c.lastNight),
    {
      name: "failures/objects/{id}",
      path: `/api/v1/failures/objects/${f.failureId}`,
      raw: async (sql) => {
        await sql(`SELECT * FROM "ObjectFailure" WHERE id = $1::uuid LIMIT 1`, [f.failureId]);
        const events = (await sql(
          `SELECT * FROM "ObjectFailureEvent" WHERE "failureId" = $1::uuid ORDER BY at DESC, id DESC LIMIT 200`,
          [f.failureId],
        )) as { activityId: string }[];
        return sql(`SELECT id FROM "Activity" WHERE id = ANY($1::uuid[])`, [
          [...new Set(events.map((e) => e.activityId))],
        ]);
      },
    },
  ];
}

/** What the progress of a running run reads: the activity, its last minute of samples, earlier runs' times. */
async function runningProgress(sql: Sql, id: string) {
  const [row] = (await findActivity(sql, id)) as { runProfileId: number }[];
  return Promise.all([
    sql(
      `SELECT at, "objectsProcessed" FROM "ProgressSample" WHERE "activityId" = $1::uuid AND at > now() - interval '1 minute' ORDER BY at, id LIMIT 500`,
      [id],
    ),
    sql(
      `SELECT "totalObjectsProcessed", "executionTimeMs" FROM "Activity" WHERE "runProfileId" = $1 AND "targetType" = 'ConnectedSystemRunProfile'
       AND status IN ('Complete', 'CompleteWithWarning', 'CompleteWithError') AND "startedAt" IS NOT NULL ORDER BY "createdAt" DESC LIMIT 5`,
      [row.runProfileId],
    ),
  ]);
}

interface FailureSqlFilter {
  from: string;
  to: string;
  errorType?: string;
  /** Objects that failed in this run (listFailures' activityId). */
  runId?: string;
}

/** The failure filter as SQL on "ObjectFailure" f (open failures last seen in the range); params from $1. */
function failureWhere(filter: FailureSqlFilter) {
  const params: unknown[] = [filter.from, filter.to];
  let where = `f.state = ANY('{Open}'::"ObjectFailureState"[]) AND f."lastSeenAt" >= $1::timestamptz AND f."lastSeenAt" <= $2::timestamptz`;
  if (filter.errorType) {
    params.push([filter.errorType]);
    where += ` AND f."lastErrorType" = ANY($${params.length}::"ExecutionErrorType"[])`;
  }
  if (filter.runId) {
    params.push([filter.runId]);
    const runs = `$${params.length}::uuid[]`;
    where +=
      ` AND (f.id IN (SELECT e."failureId" FROM "ObjectFailureEvent" e WHERE e.kind = 'Failed' AND e."activityId" = ANY(${runs}))` +
      ` OR f.id IN (SELECT e."failureId" FROM "ObjectFailureEvent" e WHERE e.kind = 'Failed' AND e."scheduleExecutionId" = ANY(${runs})))`;
  }
  return { where, params };
}

function failureObjects(sql: Sql, filter: FailureSqlFilter, order: string) {
  const { where, params } = failureWhere(filter);
  return Promise.all([
    sql(`SELECT * FROM "ObjectFailure" f WHERE ${where} ORDER BY ${order}, id DESC LIMIT ${PAGE + 1}`, params),
    sql(
      `SELECT COUNT(*) FROM (SELECT id FROM "ObjectFailure" f WHERE ${where} LIMIT ${ACTIVITY_COUNT_CAP + 1}) AS sub`,
      params,
    ),
  ]);
}

/**
 * lib/repo/failures.ts groupFailures (its own statements: the FailureGroup counts, or the live
 * GROUP BY when the filter needs it) and failureTrends (daily buckets over the range).
 */
async function failureGroups(sql: Sql, filter: FailureSqlFilter) {
  const { from, to } = filter;
  const { rows: groups } = await groupFailuresOn(
    { query: async <T>(text: string, params?: unknown[]) => (await sql(text, params)) as T[], execute: async () => 0 },
    {
      from,
      to,
      ...(filter.errorType ? { errorType: [filter.errorType as ErrorType] } : {}),
      ...(filter.runId ? { activityId: [filter.runId] } : {}),
    },
    new Date(from),
    { limit: 25, offset: 0 },
  );
  if (!groups.length) return groups;
  return sql(
    `WITH g AS (SELECT * FROM unnest($1::text[], $2::int[], $3::text[]) AS g("errorType", "connectedSystemId", "objectType")),
     e AS (
       SELECT COALESCE(e."errorType", f."lastErrorType")::text AS "errorType", e."connectedSystemId", e."objectType",
              date_trunc('day', e.at) AS bucket, e.kind
       FROM "ObjectFailureEvent" e JOIN "ObjectFailure" f ON f.id = e."failureId"
       WHERE e.at >= $4::timestamptz AND e.at < $5::timestamptz AND e."connectedSystemId" = ANY($2::int[])
     )
     SELECT e."errorType", e."connectedSystemId", e."objectType", e.bucket,
            count(*) FILTER (WHERE e.kind = 'Failed')::int AS failed, count(*) FILTER (WHERE e.kind = 'Recovered')::int AS recovered
     FROM e JOIN g ON g."errorType" = e."errorType" AND g."connectedSystemId" = e."connectedSystemId"
       AND g."objectType" IS NOT DISTINCT FROM e."objectType"
     GROUP BY 1, 2, 3, 4 ORDER BY 4`,
    [groups.map((g) => g.errorType), groups.map((g) => g.connectedSystemId), groups.map((g) => g.objectType), from, to],
  );
}

/** The deep-paging probes: page 1 and page `page` of a query, by OFFSET, as raw SQL. */
export const rawDeep = {
  activities: (sql: Sql, offset: number) => activityPage(sql, "TRUE", [], CREATED_DESC, offset),
  items: (sql: Sql, id: string, offset: number) => itemPage(sql, id, "", [], offset),
};
