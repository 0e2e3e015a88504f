import { getPrisma } from "@/lib/db/client";
import type { Activity, Prisma } from "@/lib/generated/prisma/client";
import { ACTIVITY_STATUSES, ACTIVITY_TARGET_TYPES } from "@/lib/domain/enums";
import type { ActivityListQuery } from "@/lib/api/schemas";
import { keysetWhere, orderBy, type Dir, type KeysetField } from "./keyset";
import { cachedCount } from "./count-cache";

export type ActivityRow = Activity;

/** Exact counts up to this many rows; above it totalCount reports the cap (X-Total-Count-Capped: true). */
export const ACTIVITY_COUNT_CAP = Number(process.env.SYNCWATCH_COUNT_CAP ?? 100_000);

export const ACTIVITY_SORTS: Record<ActivityListQuery["sort"], KeysetField> = {
  created: { column: "createdAt", nullable: false, kind: "date" },
  started: { column: "startedAt", nullable: true, kind: "date" },
  ended: { column: "endedAt", nullable: true, kind: "date" },
  duration: { column: "executionTimeMs", nullable: true, kind: "number" },
  name: { column: "name", nullable: false, kind: "string" },
  target: { column: "targetName", nullable: false, kind: "string" },
  type: { column: "targetType", nullable: false, kind: "enum", enumValues: ACTIVITY_TARGET_TYPES },
  initiator: { column: "initiatorName", nullable: false, kind: "string" },
  status: { column: "status", nullable: false, kind: "enum", enumValues: ACTIVITY_STATUSES },
  errors: { column: "totalObjectErrors", nullable: false, kind: "number" },
  processed: { column: "totalObjectsProcessed", nullable: false, kind: "number" },
  changes: { column: "totalObjectChangeCount", nullable: false, kind: "number" },
};

export type ActivityFilter = Omit<ActivityListQuery, "page" | "pageSize" | "cursor" | "sort" | "order">;

export function activityWhere(f: Partial<ActivityFilter>): Prisma.ActivityWhereInput {
  const and: Prisma.ActivityWhereInput[] = [];
  if (f.status?.length) and.push({ status: { in: f.status } });
  if (f.targetType?.length) and.push({ targetType: { in: f.targetType } });
  if (f.connectedSystemId) and.push({ connectedSystemId: f.connectedSystemId });
  if (f.runProfileId) and.push({ runProfileId: f.runProfileId });
  if (f.scheduleId) and.push({ scheduleId: f.scheduleId });
  if (f.initiatorType) and.push({ initiatorType: f.initiatorType });
  if (f.initiatorName) and.push({ initiatorName: f.initiatorName });
  // ILIKE '%…%', served by the trigram index on name.
  if (f.search) and.push({ name: { contains: f.search, mode: "insensitive" } });
  if (f.from) and.push({ createdAt: { gte: new Date(f.from) } });
  if (f.to) and.push({ createdAt: { lte: new Date(f.to) } });
  if (f.parentId) and.push({ parentActivityId: f.parentId });
  else if (f.topLevelOnly) and.push({ parentActivityId: null });
  if (f.hasErrors === true)
    and.push({ OR: [{ totalObjectErrors: { gt: 0 } }, { status: { in: ["CompleteWithError", "FailedWithError"] } }] });
  if (f.hasErrors === false)
    and.push({ totalObjectErrors: 0, status: { notIn: ["CompleteWithError", "FailedWithError"] } });
  return and.length ? { AND: and } : {};
}

export interface PageRequest {
  field: KeysetField;
  dir: Dir;
  pageSize: number;
  /** Offset paging (page ≥ 1) unless a cursor is given. */
  page: number;
  cursor?: { value: string | number | null; tie: string };
}

const LIST_OMIT = { errorStackTrace: true } as const;

/** One page (plus one row to know whether another follows) and a capped exact count. */
export async function findActivityPage(
  where: Prisma.ActivityWhereInput,
  req: PageRequest,
): Promise<{ rows: ActivityRow[]; hasMore: boolean; total: number; capped: boolean }> {
  const prisma = await getPrisma();
  const pageWhere = req.cursor
    ? { AND: [where, keysetWhere(req.field, "id", req.dir, req.cursor.value, req.cursor.tie)] }
    : where;
  const [rowsPlus, total] = await Promise.all([
    prisma.activity.findMany({
      where: pageWhere as Prisma.ActivityWhereInput,
      orderBy: orderBy(req.field, "id", req.dir) as Prisma.ActivityOrderByWithRelationInput[],
      skip: req.cursor ? 0 : (req.page - 1) * req.pageSize,
      take: req.pageSize + 1,
      omit: LIST_OMIT,
    }),
    cachedCount("activity:" + JSON.stringify(where), () => prisma.activity.count({ where, take: ACTIVITY_COUNT_CAP })),
  ]);
  const hasMore = rowsPlus.length > req.pageSize;
  return {
    rows: (hasMore ? rowsPlus.slice(0, req.pageSize) : rowsPlus) as ActivityRow[],
    hasMore,
    total,
    capped: total >= ACTIVITY_COUNT_CAP,
  };
}

export async function findActivity(id: string): Promise<ActivityRow | null> {
  const prisma = await getPrisma();
  return prisma.activity.findUnique({ where: { id } });
}

export async function findActivityHeader(id: string) {
  const prisma = await getPrisma();
  return prisma.activity.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      targetType: true,
      version: true,
      updatedAt: true,
      connectedSystemId: true,
      connectedSystemName: true,
      cancelRequested: true,
      parentActivityId: true,
    },
  });
}

/** Ids of the activity and all its descendants (any depth), by a recursive CTE. */
export async function findSubtreeIds(rootId: string, limit = 10_000): Promise<string[]> {
  const prisma = await getPrisma();
  const rows = await prisma.$queryRawUnsafe<{ id: string }[]>(
    `WITH RECURSIVE tree(id, depth) AS (
       SELECT id, 0 FROM "Activity" WHERE id = $1::uuid
       UNION ALL
       SELECT a.id, t.depth + 1 FROM "Activity" a JOIN tree t ON a."parentActivityId" = t.id WHERE t.depth < 100
     )
     SELECT id::text AS id FROM tree LIMIT ${Math.max(1, Math.floor(limit))}`,
    rootId,
  );
  return rows.map((r) => r.id);
}

export async function findActivitiesByIds(ids: string[]): Promise<ActivityRow[]> {
  const prisma = await getPrisma();
  const out: ActivityRow[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    out.push(
      ...((await prisma.activity.findMany({
        where: { id: { in: ids.slice(i, i + 1000) } },
        omit: LIST_OMIT,
      })) as ActivityRow[]),
    );
  }
  return out;
}

export async function findProgressSamples(activityId: string, since?: Date, limit = 5000) {
  const prisma = await getPrisma();
  // Newest `limit` samples after `since`, returned oldest first.
  const rows = await prisma.progressSample.findMany({
    where: { activityId, ...(since ? { at: { gt: since } } : {}) },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: limit,
  });
  return rows.reverse();
}
