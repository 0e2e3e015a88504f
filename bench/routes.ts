/**
 * The read set: each route with typical filters, and the SQL the repository sends for it
 * (lib/repo/activities.ts, lib/repo/items.ts, lib/services/*), run directly as the floor.
 * Statements the services run in parallel (Promise.all) run in parallel here too; the caches
 * in front of them (list counts, frozen item facets) are not reproduced: the floor is the store.
 */
import { ACTIVITY_COUNT_CAP } from "@/lib/repo/activities";
import { ITEM_COUNT_CAP } from "@/lib/repo/items";
import { COUNTER_FIELDS } from "@/lib/domain/counters";
import type { SeedFixtures } from "./seed/generate";

export type Sql = (text: string, params?: unknown[]) => Promise<unknown[]>;

export interface RouteCase {
  name: string;
  path: string;
  raw: (sql: Sql) => Promise<unknown>;
}

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
  ...COUNTER_FIELDS,
];
const ACTIVITY_ROW = ACTIVITY_ALL.map(q).join(", ");
const ACTIVITY_LIST_ROW = ACTIVITY_ALL.filter((c) => c !== "errorStackTrace")
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
]
  .map(q)
  .join(", ");
const PAGE = 25;

/** findActivityPage: the page (one extra row) and the capped count, in parallel. */
function activityPage(sql: Sql, where: string, params: unknown[], order: string, offset = 0) {
  return Promise.all([
    sql(
      `SELECT ${ACTIVITY_LIST_ROW} FROM "Activity" WHERE ${where} ORDER BY ${order} LIMIT ${PAGE + 1} OFFSET ${offset}`,
      params,
    ),
    sql(
      `SELECT COUNT(*) FROM (SELECT "id" FROM "Activity" WHERE ${where} LIMIT ${ACTIVITY_COUNT_CAP} OFFSET 0) AS sub`,
      params,
    ),
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
}

export function readRoutes(c: ReadContext): RouteCase[] {
  const f = c.fixtures;
  const list = (name: string, query: string, where: string, params: unknown[], order = CREATED_DESC): RouteCase => ({
    name,
    path: `/api/v1/activities${query ? "?" + query : ""}`,
    raw: (sql) => activityPage(sql, where, params, order),
  });
  return [
    list("list", "", TOP, []),
    list("list status", "status=CompleteWithError", `"status" IN ($1::"ActivityStatus") AND ${TOP}`, [
      "CompleteWithError",
    ]),
    list("list targetType", "targetType=Schedule", `"targetType" IN ($1::"ActivityTargetType") AND ${TOP}`, [
      "Schedule",
    ]),
    list("list connectedSystem", `connectedSystemId=${c.connectedSystemId}`, `"connectedSystemId" = $1 AND ${TOP}`, [
      c.connectedSystemId,
    ]),
    list("list runProfile", `runProfileId=${c.runProfileId}`, `"runProfileId" = $1 AND ${TOP}`, [c.runProfileId]),
    list(
      "list initiator",
      `initiatorType=User&initiatorName=${encodeURIComponent(c.initiatorName)}`,
      `"initiatorType" = $1::"InitiatorType" AND "initiatorName" = $2 AND ${TOP}`,
      ["User", c.initiatorName],
    ),
    list("list search q", "search=payroll", `"name" ILIKE $1 AND ${TOP}`, ["%payroll%"]),
    list(
      "list time range",
      `from=${encodeURIComponent(c.from)}&to=${encodeURIComponent(c.to)}`,
      `"createdAt" >= $1::timestamptz AND "createdAt" <= $2::timestamptz AND ${TOP}`,
      [c.from, c.to],
    ),
    list(
      "list hasErrors",
      "hasErrors=true",
      `${TOP} AND ("totalObjectErrors" > 0 OR "status" IN ('CompleteWithError', 'FailedWithError'))`,
      [],
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
  ];
}

/** The deep-paging probes: page 1 and page `page` of a query, by OFFSET, as raw SQL. */
export const rawDeep = {
  activities: (sql: Sql, offset: number) => activityPage(sql, "TRUE", [], CREATED_DESC, offset),
  items: (sql: Sql, id: string, offset: number) => itemPage(sql, id, "", [], offset),
};
