/** Reads of failures across runs: groups with counts and trends, the failing objects, one object's history. */
import { getConfig } from "@/lib/config";
import { getDatabase, withPrisma, type Sql } from "@/lib/db/client";
import type { ObjectFailure, Prisma } from "@/lib/generated/prisma/client";
import type { ErrorType, ObjectFailureState } from "@/lib/domain/enums";
import type { TrendBucket } from "@/lib/domain/failures";
import { NO_TEMPLATE } from "@/lib/domain/messages";
import { isAnyOf, searchPatterns, searchesAny } from "./where";
import { paginate, type KeysetField, type ListDef, type Page, type PageQuery, type PageSource } from "./paginate";

export type FailureRow = ObjectFailure;

/**
 * What the failures lists (groups, objects, export) can be filtered by, in the API's own names: the
 * fields failureWhere and groupFilterSql read. Declared here, beside them, so that a new filter is one
 * edit in this file; the contract's queries are checked against it where the services hand them over.
 */
export interface FailureFilter {
  state?: ObjectFailureState[];
  errorType?: ErrorType[];
  connectedSystemId?: number[];
  objectType?: string[];
  search?: string;
  /** Objects that failed in one of these runs (a schedule execution: in one of its steps). */
  activityId?: string[];
  /** Objects whose latest failure's message has this template (NO_TEMPLATE: none recorded). */
  template?: string;
  /** Objects last seen failing in [from, to]. */
  from?: string;
  to?: string;
}

/** Open failures unless the filter names states: the lists, the groups and the export agree. */
const statesOf = (f: FailureFilter): ObjectFailureState[] => (f.state?.length ? f.state : ["Open"]);

const NAME_AND_ID = ["displayName", "externalIdValue"] as const;

/** The stored value the template filter stands for: NO_TEMPLATE is the objects without one. */
const templateOf = (f: FailureFilter): string | null | undefined =>
  f.template === undefined ? undefined : f.template === NO_TEMPLATE ? null : f.template;

export function failureWhere(f: FailureFilter): Prisma.ObjectFailureWhereInput {
  const and: Prisma.ObjectFailureWhereInput[] = [{ state: { in: statesOf(f) } }];
  if (f.errorType?.length) and.push(isAnyOf("lastErrorType", f.errorType));
  if (f.connectedSystemId?.length) and.push(isAnyOf("connectedSystemId", f.connectedSystemId));
  if (f.objectType?.length) and.push(isAnyOf("objectType", f.objectType));
  if (f.from) and.push({ lastSeenAt: { gte: new Date(f.from) } });
  if (f.to) and.push({ lastSeenAt: { lte: new Date(f.to) } });
  if (f.search) and.push(searchesAny(NAME_AND_ID, f.search));
  const template = templateOf(f);
  if (template !== undefined) and.push({ lastErrorTemplate: template });
  if (f.activityId?.length) {
    // Two lookups, by run and by schedule execution, each through its own index (see runFilterSql).
    const runs = f.activityId;
    and.push({
      OR: [
        { events: { some: { kind: "Failed", activityId: { in: runs } } } },
        { events: { some: { kind: "Failed", scheduleExecutionId: { in: runs } } } },
      ],
    });
  }
  return { AND: and };
}

const FAILURE_SORTS = {
  lastSeen: { column: "lastSeenAt", nullable: false, kind: "date" },
  firstSeen: { column: "firstSeenAt", nullable: false, kind: "date" },
  consecutiveRuns: { column: "consecutiveRuns", nullable: false, kind: "int" },
  displayName: { column: "displayName", nullable: true, kind: "string" },
} as const satisfies Record<string, KeysetField>;
export type FailureSort = keyof typeof FAILURE_SORTS;
const FAILURES: ListDef<FailureSort> = { name: "failures", sorts: FAILURE_SORTS, tie: { column: "id", kind: "uuid" } };

const FAILURE_SOURCE: PageSource<FailureRow> = {
  findMany: (args) => withPrisma((prisma) => prisma.objectFailure.findMany(args as Prisma.ObjectFailureFindManyArgs)),
  count: (args) => withPrisma((prisma) => prisma.objectFailure.count(args as Prisma.ObjectFailureCountArgs)),
};

export async function listFailures(
  filter: FailureFilter,
  q: PageQuery<FailureSort> & { counting: "cached" | "none" },
): Promise<Page<FailureRow>> {
  const where = failureWhere(filter) as Record<string, unknown>;
  return paginate(FAILURE_SOURCE, FAILURES, where, q, { cap: getConfig().countCap, cache: q.counting });
}

export async function findFailure(id: string): Promise<FailureRow | null> {
  return withPrisma((prisma) => prisma.objectFailure.findUnique({ where: { id } }));
}

export async function findFailureByKey(connectedSystemId: number, objectKey: string): Promise<FailureRow | null> {
  return withPrisma((prisma) =>
    prisma.objectFailure.findUnique({ where: { connectedSystemId_objectKey: { connectedSystemId, objectKey } } }),
  );
}

export async function findFailureEvents(failureId: string, limit = 200) {
  return withPrisma((prisma) =>
    prisma.objectFailureEvent.findMany({
      where: { failureId },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: limit,
    }),
  );
}

export interface FailureGroupRow {
  errorType: ErrorType;
  connectedSystemId: number;
  connectedSystemName: string;
  objectType: string | null;
  objects: number;
  newObjects: number;
}

export interface FailureTrendRow {
  errorType: ErrorType;
  connectedSystemId: number;
  objectType: string | null;
  bucket: Date;
  failed: number;
  recovered: number;
}

/**
 * Objects that failed in one of the runs $runs (or in a step of one of those schedule executions): the
 * events of the runs, looked up once each and hashed, then the failures tested against them. One
 * EXISTS per failure let the planner walk every open failure in the range to its events (it expects
 * far fewer open failures in a range than there are): at 1M activities with 3,080 open, 7-13 ms
 * against 1.3 ms.
 */
const runFilterSql = (runs: string) =>
  `(f.id IN (SELECT e."failureId" FROM "ObjectFailureEvent" e WHERE e.kind = 'Failed' AND e."activityId" = ANY(${runs}::uuid[]))` +
  ` OR f.id IN (SELECT e."failureId" FROM "ObjectFailureEvent" e WHERE e.kind = 'Failed'` +
  ` AND e."scheduleExecutionId" = ANY(${runs}::uuid[])))`;

/** The SQL filter of failures (alias f) for the group queries, and its parameters. */
function groupFilterSql(f: FailureFilter, params: unknown[]): string {
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const and: string[] = [];
  // Compared as the enums they are (not as text), so the (state, lastSeenAt) index serves the range.
  and.push(`f.state = ANY(${param(statesOf(f))}::text[]::"ObjectFailureState"[])`);
  if (f.errorType?.length) and.push(`f."lastErrorType" = ANY(${param(f.errorType)}::text[]::"ExecutionErrorType"[])`);
  if (f.connectedSystemId?.length) and.push(`f."connectedSystemId" = ANY(${param(f.connectedSystemId)}::int[])`);
  if (f.objectType?.length) and.push(`f."objectType" = ANY(${param(f.objectType)}::text[])`);
  if (f.from) and.push(`f."lastSeenAt" >= ${param(f.from)}::timestamptz`);
  if (f.to) and.push(`f."lastSeenAt" <= ${param(f.to)}::timestamptz`);
  if (f.search) {
    const likes = searchPatterns(f.search).map(param);
    and.push(
      `(${likes.map((like) => `f."displayName" ILIKE ${like} OR f."externalIdValue" ILIKE ${like}`).join(" OR ")})`,
    );
  }
  const template = templateOf(f);
  if (template === null) and.push(`f."lastErrorTemplate" IS NULL`);
  else if (template !== undefined) and.push(`f."lastErrorTemplate" = ${param(template)}`);
  if (f.activityId?.length) and.push(runFilterSql(param(f.activityId)));
  return and.join(" AND ");
}

type GroupPage = { limit: number; offset: number };
type GroupAnswer = { rows: FailureGroupRow[]; total: number };
/** How groupFailures counts: from the FailureGroup table when the filter allows, or by grouping the failures. */
export type GroupPath = "auto" | "aggregate" | "live";

/**
 * Failing objects grouped by error type × connected system × object type, largest first; new =
 * first seen (this failing streak) at or after `newSince`. Read from the FailureGroup counts (kept
 * by triggers on ObjectFailure) when the filter allows it, else by grouping the failures; both give
 * the same answer (tests/unit/failure-groups.test.ts).
 */
export async function groupFailures(f: FailureFilter, newSince: Date, page: GroupPage): Promise<GroupAnswer> {
  const db = await getDatabase();
  return groupFailuresOn(db.sql, f, newSince, page);
}

/**
 * Outside rows at most for the counts' path: each is read from the table, and beyond a few
 * thousand grouping the failures themselves is as fast.
 */
const OUTSIDE_CAP = 2_000;

/**
 * The counts serve a filter on state, error type, system and object type, with a time range: the
 * groups' counts less the failures last seen outside the range, read one by one. Open failures are
 * mostly recent (a run that does not fail them again recovers them) so few fall outside; recovered
 * ones pile up over the retention window, and are grouped live.
 */
const countsServe = (f: FailureFilter) =>
  !f.search && !f.activityId?.length && f.template === undefined && statesOf(f).every((s) => s === "Open");

export async function groupFailuresOn(
  sql: Sql,
  f: FailureFilter,
  newSince: Date,
  page: GroupPage,
  path: GroupPath = "auto",
): Promise<GroupAnswer> {
  if (path === "aggregate" || (path === "auto" && countsServe(f))) {
    const counted = await groupFromCounts(sql, f, newSince, page, path === "aggregate" ? null : OUTSIDE_CAP);
    if (counted) return counted;
  }
  return groupLive(sql, f, newSince, page);
}

const groupAnswer = (rows: (FailureGroupRow & { total: number })[]): GroupAnswer => ({
  rows: rows.map(({ total: _total, ...r }) => ({ ...r, connectedSystemId: Number(r.connectedSystemId) })),
  total: rows[0] ? Number(rows[0].total) : 0,
});

async function groupLive(sql: Sql, f: FailureFilter, newSince: Date, page: GroupPage): Promise<GroupAnswer> {
  const params: unknown[] = [newSince.toISOString()];
  const where = groupFilterSql(f, params);
  params.push(page.limit, page.offset);
  const rows = await sql.query<FailureGroupRow & { total: number }>(
    `SELECT f."lastErrorType"::text AS "errorType", f."connectedSystemId",
      max(f."connectedSystemName") AS "connectedSystemName",
            f."objectType", count(*)::int AS objects,
              count(*) FILTER (WHERE f."firstSeenAt" >= $1::timestamptz)::int AS "newObjects",
            (count(*) OVER ())::int AS total
     FROM "ObjectFailure" f WHERE ${where}
     GROUP BY f."lastErrorType", f."connectedSystemId", f."objectType"
     ORDER BY objects DESC, f."lastErrorType", f."connectedSystemId", f."objectType"
     LIMIT $${params.length - 1}::int OFFSET $${params.length}::int`,
    params,
  );
  return groupAnswer(rows);
}

/**
 * The groups from FailureGroup (per state, key and system name), less the failures of the filter
 * last seen outside its range (counted per key and name, so that a group's name is the greatest
 * of its failures in the range, as grouping them gives). newObjects, for the page's groups only:
 * the group's objects less those first seen before `newSince` (few: a failing streak rarely
 * outlasts the range), from the (state, error type, system, object type, first seen, last seen)
 * index. Null when more than `cap` failures fall outside the range: the caller groups them live.
 */
async function groupFromCounts(
  sql: Sql,
  f: FailureFilter,
  newSince: Date,
  page: GroupPage,
  cap: number | null,
): Promise<GroupAnswer | null> {
  const params: unknown[] = [newSince.toISOString()];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  // One state compared with = (not = ANY), so that the (state, lastSeenAt) index gives the outside
  // rows in order, and LIMIT stops the scan there.
  const stateList = [...new Set(statesOf(f))];
  const stateIs = (column: string) =>
    stateList.length === 1
      ? `${column} = ${param(stateList[0])}::text::"ObjectFailureState"`
      : `${column} = ANY(${param(stateList)}::text[]::"ObjectFailureState"[])`;
  const keys: { column: string; value: string }[] = [];
  if (f.errorType?.length)
    keys.push({ column: "lastErrorType", value: `${param(f.errorType)}::text[]::"ExecutionErrorType"[]` });
  if (f.connectedSystemId?.length)
    keys.push({ column: "connectedSystemId", value: `${param(f.connectedSystemId)}::int[]` });
  if (f.objectType?.length) keys.push({ column: "objectType", value: `${param(f.objectType)}::text[]` });
  const from = f.from ? `${param(f.from)}::timestamptz` : null;
  const to = f.to ? `${param(f.to)}::timestamptz` : null;
  const keyWhere = (alias: string, errorType: string) =>
    keys
      .map((k) => ` AND ${alias}."${k.column === "lastErrorType" ? errorType : k.column}" = ANY(${k.value})`)
      .join("");
  const capped = cap === null || (!from && !to) ? "" : `LIMIT ${param(cap + 1)}::int`;
  const outsideOf = (range: string, order: string) =>
    `(SELECT f."lastErrorType" AS "errorType", f."connectedSystemId", f."objectType", f."connectedSystemName"
      FROM "ObjectFailure" f WHERE ${stateIs("f.state")}${keyWhere("f", "lastErrorType")} AND ${range}
      ORDER BY f."lastSeenAt" ${order} ${capped})`;
  const outside = [
    from && outsideOf(`f."lastSeenAt" < ${from}`, "DESC"),
    to && outsideOf(`f."lastSeenAt" > ${to}`, "ASC"),
  ].filter(Boolean);
  const inRange = [from && `f."lastSeenAt" >= ${from}`, to && `f."lastSeenAt" <= ${to}`]
    .filter(Boolean)
    .map((c) => ` AND ${c}`)
    .join("");
  const limit = param(page.limit);
  const offset = param(page.offset);
  // A group's failures in the range first seen before newSince: an index range scan per group
  // (objectType NULL apart, as IS NOT DISTINCT FROM is no index condition).
  const olderOf = (objectType: string) =>
    `(SELECT count(*) FROM "ObjectFailure" f WHERE ${stateIs("f.state")}
       AND f."lastErrorType" = p."errorType" AND f."connectedSystemId" = p."connectedSystemId" AND ${objectType}
       AND f."firstSeenAt" < $1::timestamptz${inRange})`;
  const rows = await sql.query<FailureGroupRow & { total: number; outside: number }>(
    `WITH outside AS MATERIALIZED (
       ${
         outside.length
           ? outside.join(" UNION ALL ")
           : `SELECT NULL::"ExecutionErrorType" AS "errorType", NULL::int AS "connectedSystemId",
                NULL::text AS "objectType", NULL::text AS "connectedSystemName" WHERE false`
       }
     ),
     o AS (
       SELECT "errorType", "connectedSystemId", "objectType", "connectedSystemName", count(*)::int AS objects
       FROM outside GROUP BY 1, 2, 3, 4
     ),
     named AS (
       SELECT g."errorType", g."connectedSystemId", g."objectType", g."connectedSystemName",
              sum(g.objects)::int - COALESCE(max(o.objects), 0) AS objects
       FROM "FailureGroup" g LEFT JOIN o ON o."errorType" = g."errorType"
         AND o."connectedSystemId" = g."connectedSystemId" AND o."objectType" IS NOT DISTINCT FROM g."objectType"
         AND o."connectedSystemName" = g."connectedSystemName"
       WHERE ${stateIs("g.state")} AND g.objects <> 0${keyWhere("g", "errorType")}
       GROUP BY g."errorType", g."connectedSystemId", g."objectType", g."connectedSystemName"
     ),
     p AS (
       SELECT "errorType", "connectedSystemId", "objectType",
              max("connectedSystemName") FILTER (WHERE objects > 0) AS "connectedSystemName",
              sum(objects)::int AS objects, (count(*) OVER ())::int AS total
       FROM named GROUP BY "errorType", "connectedSystemId", "objectType" HAVING sum(objects) > 0
       ORDER BY objects DESC, "errorType", "connectedSystemId", "objectType"
       LIMIT ${limit}::int OFFSET ${offset}::int
     )
     SELECT p."errorType"::text AS "errorType", p."connectedSystemId", p."connectedSystemName", p."objectType",
            p.objects, p.total,
            (p.objects - CASE WHEN p."objectType" IS NULL THEN ${olderOf(`f."objectType" IS NULL`)}
              ELSE ${olderOf(`f."objectType" = p."objectType"`)} END)::int AS "newObjects",
            (SELECT count(*) FROM outside)::int AS outside
     FROM p ORDER BY p.objects DESC, p."errorType", p."connectedSystemId", p."objectType"`,
    params,
  );
  if (cap !== null && rows.some((r) => Number(r.outside) > cap)) return null;
  return groupAnswer(rows.map(({ outside: _outside, ...r }) => r));
}

/**
 * Failed and recovered events per group and time bucket in [from, to], for the groups shown.
 * The event carries the group's keys as they were when it happened; a Recovered event has no error
 * type of its own and takes its failure's. That failure is read for those events only (COALESCE
 * stops at the first value): joined for every event, PostgreSQL matched the events to the groups by
 * system first and read a failure per match (30,000 for 5,400 events, 60 ms at 1M; now 15 ms).
 */
export async function failureTrends(
  groups: { errorType: ErrorType; connectedSystemId: number; objectType: string | null }[],
  from: Date,
  to: Date,
  bucket: TrendBucket,
): Promise<FailureTrendRow[]> {
  if (groups.length === 0) return [];
  const db = await getDatabase();
  const rows = await db.sql.query<FailureTrendRow>(
    `WITH g AS (
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[]) AS g("errorType", "connectedSystemId", "objectType")
     ),
     e AS (
       SELECT COALESCE(e."errorType", (SELECT f."lastErrorType" FROM "ObjectFailure" f WHERE f.id = e."failureId"))::text
                AS "errorType",
              e."connectedSystemId", e."objectType", date_trunc('${bucket}', e.at) AS bucket, e.kind
       FROM "ObjectFailureEvent" e
       WHERE e.at >= $4::timestamptz AND e.at <= $5::timestamptz AND e."connectedSystemId" = ANY($2::int[])
     )
     SELECT e."errorType", e."connectedSystemId", e."objectType", e.bucket,
            count(*) FILTER (WHERE e.kind = 'Failed')::int AS failed,
              count(*) FILTER (WHERE e.kind = 'Recovered')::int AS recovered
     FROM e JOIN g ON g."errorType" = e."errorType" AND g."connectedSystemId" = e."connectedSystemId"
       AND g."objectType" IS NOT DISTINCT FROM e."objectType"
     GROUP BY 1, 2, 3, 4 ORDER BY 4`,
    [
      groups.map((g) => g.errorType),
      groups.map((g) => g.connectedSystemId),
      groups.map((g) => g.objectType),
      from.toISOString(),
      to.toISOString(),
    ],
  );
  return rows.map((r) => ({ ...r, connectedSystemId: Number(r.connectedSystemId), bucket: new Date(r.bucket) }));
}

export interface FailureTemplateRow {
  errorType: ErrorType;
  connectedSystemId: number;
  objectType: string | null;
  template: string | null;
  objects: number;
  failedInRange: number;
  firstSeen: Date;
  lastSeen: Date;
  /** Templates of the group, listed or not. */
  templateCount: number;
}

/**
 * The message templates of the groups shown (their objects as the filter selects them, by the
 * template of their latest failure), at most `perGroup` each, most objects first; with, for those
 * objects, their failures with that template: within [from, to], and the first and last kept.
 * The failures are counted once (MATERIALIZED): inlined, PostgreSQL expected one row and
 * re-grouped them for every template shown (3-5× slower at 1M activities).
 */
export async function failureTemplates(
  f: FailureFilter,
  groups: { errorType: ErrorType; connectedSystemId: number; objectType: string | null }[],
  perGroup: number,
): Promise<FailureTemplateRow[]> {
  if (groups.length === 0) return [];
  const db = await getDatabase();
  const params: unknown[] = [
    groups.map((g) => g.errorType),
    groups.map((g) => g.connectedSystemId),
    groups.map((g) => g.objectType),
    f.from ?? null,
    f.to ?? null,
    perGroup,
  ];
  const where = groupFilterSql(f, params);
  const rows = await db.sql.query<FailureTemplateRow>(
    `WITH g AS (
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[]) AS g("errorType", "connectedSystemId", "objectType")
     ),
     o AS (
       SELECT f.id, f."lastErrorType"::text AS "errorType", f."connectedSystemId", f."objectType",
              f."lastErrorTemplate" AS template, f."firstSeenAt", f."lastSeenAt"
       FROM "ObjectFailure" f JOIN g ON g."errorType" = f."lastErrorType"::text
         AND g."connectedSystemId" = f."connectedSystemId" AND g."objectType" IS NOT DISTINCT FROM f."objectType"
       WHERE ${where}
     ),
     t AS (
       SELECT "errorType", "connectedSystemId", "objectType", template, count(*)::int AS objects,
              min("firstSeenAt") AS "firstSeenAt", max("lastSeenAt") AS "lastSeenAt",
              row_number() OVER (PARTITION BY "errorType", "connectedSystemId", "objectType"
                ORDER BY count(*) DESC, template NULLS LAST) AS rank,
              (count(*) OVER (PARTITION BY "errorType", "connectedSystemId", "objectType"))::int AS "templateCount"
       FROM o GROUP BY "errorType", "connectedSystemId", "objectType", template
     ),
     ev AS MATERIALIZED (
       SELECT o."errorType", o."connectedSystemId", o."objectType", o.template,
              count(*) FILTER (WHERE ($4::timestamptz IS NULL OR e.at >= $4::timestamptz)
                AND ($5::timestamptz IS NULL OR e.at <= $5::timestamptz)) AS failed,
              min(e.at) AS first, max(e.at) AS last
       FROM o JOIN "ObjectFailureEvent" e ON e."failureId" = o.id AND e.kind = 'Failed'
         AND COALESCE(e."errorType"::text, o."errorType") = o."errorType"
         AND e."errorTemplate" IS NOT DISTINCT FROM o.template
       GROUP BY o."errorType", o."connectedSystemId", o."objectType", o.template
     )
     SELECT t."errorType", t."connectedSystemId", t."objectType", t.template, t.objects, t."templateCount",
            COALESCE(ev.failed, 0)::int AS "failedInRange",
            COALESCE(ev.first, t."firstSeenAt") AS "firstSeen", COALESCE(ev.last, t."lastSeenAt") AS "lastSeen"
     FROM t LEFT JOIN ev ON ev."errorType" = t."errorType" AND ev."connectedSystemId" = t."connectedSystemId"
       AND ev."objectType" IS NOT DISTINCT FROM t."objectType" AND ev.template IS NOT DISTINCT FROM t.template
     WHERE t.rank <= $6::int
     ORDER BY t."errorType", t."connectedSystemId", t."objectType", t.rank`,
    params,
  );
  return rows.map((r) => ({
    ...r,
    connectedSystemId: Number(r.connectedSystemId),
    firstSeen: new Date(r.firstSeen),
    lastSeen: new Date(r.lastSeen),
  }));
}
