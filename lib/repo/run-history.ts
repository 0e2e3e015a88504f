/**
 * A run profile's runs around one run: the recent runs up to it, the earlier completed runs that
 * form its usual run, and what earlier runs had done at a given number of processed objects
 * (from their progress samples).
 */
import { withPrisma } from "@/lib/db/client";
import { COMPLETED_STATUSES, type BaselineRun } from "@/lib/domain/usual-run";
import { LIST_OMIT, type ActivityListRow, type ActivityRow } from "./activities";
import { fileUnder, queryByKeys } from "./batch";

/** Where a run sits in its profile's order: (createdAt, id), as the list sorts. */
export interface RunPlace {
  id: string;
  runProfileId: number;
  createdAt: Date;
}

/*
 * Before / after a run in (createdAt, id) order. The bare OR is no index condition: PostgreSQL
 * walked the profile's (runProfileId, createdAt) index from its newest run and filtered every
 * row on the way, so an old run's baseline read its whole later history (1.5-3.9 s for a list
 * page of year-old runs at 1M activities). The redundant bound on createdAt starts the walk at the run.
 */
const before = (r: Omit<RunPlace, "runProfileId">) => ({
  createdAt: { lte: r.createdAt },
  OR: [{ createdAt: { lt: r.createdAt } }, { createdAt: r.createdAt, id: { lt: r.id } }],
});
const after = (r: RunPlace) => ({
  createdAt: { gte: r.createdAt },
  OR: [{ createdAt: { gt: r.createdAt } }, { createdAt: r.createdAt, id: { gt: r.id } }],
});
const profileRuns = (runProfileId: number) => ({
  runProfileId,
  targetType: "ConnectedSystemRunProfile" as const,
  // queued runs have not run: they have no figures to show
  startedAt: { not: null },
});

/** The profile's started runs before `run`, newest first, at most `limit`. */
export async function findRunsBefore(run: RunPlace, limit: number): Promise<ActivityListRow[]> {
  return withPrisma((prisma) =>
    prisma.activity.findMany({
      where: { AND: [profileRuns(run.runProfileId), before(run)] },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      omit: LIST_OMIT,
    }),
  );
}

/** How many started runs of the profile came after `run`, and the newest of them. */
export async function findRunsAfter(run: RunPlace): Promise<{ count: number; latestId: string | null }> {
  const where = { AND: [profileRuns(run.runProfileId), after(run)] };
  const [count, latest] = await Promise.all([
    withPrisma((prisma) => prisma.activity.count({ where })),
    withPrisma((prisma) =>
      prisma.activity.findFirst({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } }),
    ),
  ]);
  return { count, latestId: latest?.id ?? null };
}

export interface BaselineRow extends BaselineRun {
  id: string;
  totalObjectsProcessed: number;
  totalObjectChangeCount: number;
}

/**
 * For each run: the completed runs of its profile before it, newest first, at most `perRun`
 * (one statement for a whole list page; served by the (runProfileId, createdAt) index).
 */
export async function findBaselineRuns(runs: RunPlace[], perRun: number): Promise<Map<string, BaselineRow[]>> {
  return queryByKeys<BaselineRow & { runId: string }, string, BaselineRow[]>(
    runs,
    `SELECT r.id::text AS "runId", b.id::text AS id, b.status::text AS status, b."totalObjectErrors",
            b."totalObjectsProcessed", b."totalObjectChangeCount", b."executionTimeMs"
     FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS r(id, "runProfileId", "createdAt")
     CROSS JOIN LATERAL (
       SELECT a.id, a.status, a."totalObjectErrors", a."totalObjectsProcessed", a."totalObjectChangeCount",
              a."executionTimeMs", a."createdAt"
       FROM "Activity" a
       WHERE a."runProfileId" = r."runProfileId" AND a."targetType" = 'ConnectedSystemRunProfile'
         AND a.status::text = ANY($4::text[]) AND a."startedAt" IS NOT NULL
         AND a."createdAt" <= r."createdAt" -- the index bound (see before())
         AND (a."createdAt" < r."createdAt" OR (a."createdAt" = r."createdAt" AND a.id < r.id))
       ORDER BY a."createdAt" DESC, a.id DESC
       LIMIT $5::int
     ) b
     ORDER BY r.id, b."createdAt" DESC, b.id DESC`,
    [
      runs.map((r) => r.id),
      runs.map((r) => r.runProfileId),
      runs.map((r) => r.createdAt.toISOString()),
      COMPLETED_STATUSES,
      perRun,
    ],
    (out, r) =>
      fileUnder(out, r.runId, {
        id: r.id,
        status: r.status,
        totalObjectErrors: Number(r.totalObjectErrors),
        totalObjectsProcessed: Number(r.totalObjectsProcessed),
        totalObjectChangeCount: Number(r.totalObjectChangeCount),
        executionTimeMs: r.executionTimeMs === null ? null : Number(r.executionTimeMs),
      }),
  );
}

/** What a run had done when it had processed a given number of objects. */
export interface FiguresAt {
  objectsProcessed: number;
  totalObjectErrors: number;
  totalObjectChangeCount: number;
  /** Milliseconds from the run's start to that sample. */
  elapsedMs: number;
}

/**
 * For each run: its last progress sample with at most `processed` objects processed (a run that
 * ended before reaching that many gives its last sample). Runs without samples are left out.
 */
export async function findFiguresAtProgress(ids: string[], processed: number): Promise<Map<string, FiguresAt>> {
  return queryByKeys<FiguresAt & { id: string }, string, FiguresAt>(
    ids,
    `SELECT a.id::text AS id, s."objectsProcessed", s."totalObjectErrors", s."totalObjectChangeCount",
            GREATEST(0, (EXTRACT(EPOCH FROM (s.at - a."startedAt")) * 1000))::float8 AS "elapsedMs"
     FROM "Activity" a
     CROSS JOIN LATERAL (
       SELECT at, "objectsProcessed", "totalObjectErrors", "totalObjectChangeCount" FROM "ProgressSample"
       WHERE "activityId" = a.id AND "objectsProcessed" <= $2::int
       ORDER BY at DESC, id DESC LIMIT 1
     ) s
     WHERE a.id = ANY($1::uuid[]) AND a."startedAt" IS NOT NULL`,
    [ids, processed],
    (out, r) =>
      out.set(r.id, {
        objectsProcessed: Number(r.objectsProcessed),
        totalObjectErrors: Number(r.totalObjectErrors),
        totalObjectChangeCount: Number(r.totalObjectChangeCount),
        elapsedMs: Math.round(Number(r.elapsedMs)),
      }),
  );
}

/** The schedule's started execution before this one (with its planned steps), if there is one. */
export async function findPreviousExecution(execution: {
  id: string;
  scheduleId: number;
  createdAt: Date;
}): Promise<ActivityRow | null> {
  return withPrisma((prisma) =>
    prisma.activity.findFirst({
      where: {
        AND: [
          { scheduleId: execution.scheduleId, targetType: "Schedule", startedAt: { not: null } },
          before(execution),
        ],
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    }),
  );
}
