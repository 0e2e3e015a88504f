import { getPrisma } from "@/lib/db/client";
import type { ExecutionItem, Prisma } from "@/lib/generated/prisma/client";
import { ERROR_TYPES, OBJECT_CHANGE_TYPES } from "@/lib/domain/enums";
import type { ItemListQuery } from "@/lib/api/schemas";
import { keysetWhere, orderBy, type Dir, type KeysetField } from "./keyset";
import { cachedImmutable } from "./count-cache";
import { getBulkPool } from "./bulk-pool";

export type ItemRow = ExecutionItem;

/** Exact counts up to this many items per activity; beyond it the count reports the cap. */
export const ITEM_COUNT_CAP = Number(process.env.SYNCWATCH_ITEM_COUNT_CAP ?? 2_000_000);

export const ITEM_SORTS: Record<ItemListQuery["sort"], KeysetField> = {
  sequence: { column: "sequence", nullable: false, kind: "number" },
  displayName: { column: "displayName", nullable: true, kind: "string" },
  externalIdValue: { column: "externalIdValue", nullable: true, kind: "string" },
  objectChangeType: { column: "objectChangeType", nullable: false, kind: "enum", enumValues: OBJECT_CHANGE_TYPES },
  errorType: { column: "errorType", nullable: true, kind: "enum", enumValues: ERROR_TYPES },
  connectedSystemObjectType: { column: "connectedSystemObjectType", nullable: true, kind: "string" },
};

export type ItemFilter = Pick<ItemListQuery, "errorType" | "changeType" | "objectType" | "search">;

function errorTypeWhere(list: NonNullable<ItemListQuery["errorType"]>): Prisma.ExecutionItemWhereInput {
  const specific = list.filter((e) => e !== "any" && e !== "none") as (typeof ERROR_TYPES)[number][];
  const or: Prisma.ExecutionItemWhereInput[] = [];
  if (list.includes("any")) or.push({ errorType: { not: null } });
  if (list.includes("none")) or.push({ errorType: null });
  if (specific.length) or.push({ errorType: { in: specific } });
  return or.length === 1 ? or[0] : { OR: or };
}

/** The filter of the list; `ignore` leaves one dimension out (for that dimension's facet counts). */
export function itemWhere(
  activityId: string,
  f: ItemFilter,
  ignore?: "errorType" | "changeType" | "objectType",
): Prisma.ExecutionItemWhereInput {
  const and: Prisma.ExecutionItemWhereInput[] = [{ activityId }];
  if (f.errorType?.length && ignore !== "errorType") and.push(errorTypeWhere(f.errorType));
  if (f.changeType?.length && ignore !== "changeType") and.push({ objectChangeType: { in: f.changeType } });
  if (f.objectType?.length && ignore !== "objectType") and.push({ connectedSystemObjectType: { in: f.objectType } });
  if (f.search)
    and.push({
      OR: [
        { displayName: { contains: f.search, mode: "insensitive" } },
        { externalIdValue: { contains: f.search, mode: "insensitive" } },
      ],
    });
  return { AND: and };
}

const SUMMARY_OMIT = { outcomes: true, attributeChanges: true, errorDetail: true } as const;

export async function findItemPage(
  where: Prisma.ExecutionItemWhereInput,
  req: {
    field: KeysetField;
    dir: Dir;
    page: number;
    pageSize: number;
    cursor?: { value: string | number | null; tie: number };
    frozen?: boolean;
  },
): Promise<{
  rows: Omit<ItemRow, "outcomes" | "attributeChanges" | "errorDetail">[];
  hasMore: boolean;
  total: number;
}> {
  const prisma = await getPrisma();
  const pageWhere = req.cursor
    ? { AND: [where, keysetWhere(req.field, "sequence", req.dir, req.cursor.value, req.cursor.tie)] }
    : where;
  const [rowsPlus, total] = await Promise.all([
    prisma.executionItem.findMany({
      where: pageWhere as Prisma.ExecutionItemWhereInput,
      orderBy: orderBy(req.field, "sequence", req.dir) as Prisma.ExecutionItemOrderByWithRelationInput[],
      skip: req.cursor ? 0 : (req.page - 1) * req.pageSize,
      take: req.pageSize + 1,
      omit: SUMMARY_OMIT,
    }),
    req.frozen
      ? cachedImmutable("items-count:" + JSON.stringify(where), () =>
          prisma.executionItem.count({ where, take: ITEM_COUNT_CAP }),
        )
      : prisma.executionItem.count({ where, take: ITEM_COUNT_CAP }),
  ]);
  const hasMore = rowsPlus.length > req.pageSize;
  return { rows: hasMore ? rowsPlus.slice(0, req.pageSize) : rowsPlus, hasMore, total };
}

/** Facet counts: per error type ("none" = no error), change type and object type. */
export async function itemFacets(activityId: string, f: ItemFilter, frozen = false) {
  if (frozen)
    return cachedImmutable("items-facets:" + activityId + JSON.stringify(f), () => computeFacets(activityId, f));
  return computeFacets(activityId, f);
}

async function computeFacets(activityId: string, f: ItemFilter) {
  const prisma = await getPrisma();
  const [errors, changes, objects] = await Promise.all([
    prisma.executionItem.groupBy({
      by: ["errorType"],
      where: itemWhere(activityId, f, "errorType"),
      _count: { _all: true },
    }),
    prisma.executionItem.groupBy({
      by: ["objectChangeType"],
      where: itemWhere(activityId, f, "changeType"),
      _count: { _all: true },
    }),
    prisma.executionItem.groupBy({
      by: ["connectedSystemObjectType"],
      where: itemWhere(activityId, f, "objectType"),
      _count: { _all: true },
      take: 200,
      orderBy: { connectedSystemObjectType: "asc" },
    }),
  ]);
  const errorTypes: Record<string, number> = {};
  for (const r of errors) errorTypes[r.errorType ?? "none"] = r._count._all;
  const changeTypes: Record<string, number> = {};
  for (const r of changes) changeTypes[r.objectChangeType] = r._count._all;
  const objectTypes: Record<string, number> = {};
  for (const r of objects)
    if (r.connectedSystemObjectType !== null) objectTypes[r.connectedSystemObjectType] = r._count._all;
  return { errorTypes, changeTypes, objectTypes };
}

export async function findItem(activityId: string, itemId: string): Promise<ItemRow | null> {
  const prisma = await getPrisma();
  return prisma.executionItem.findFirst({ where: { id: itemId, activityId } });
}

/** A keyset batch for the CSV export (no OFFSET, so exporting a million rows stays linear). */
export async function findItemBatch(
  where: Prisma.ExecutionItemWhereInput,
  field: KeysetField,
  dir: Dir,
  after: { value: string | number | null; tie: number } | null,
  take: number,
) {
  const prisma = await getPrisma();
  return prisma.executionItem.findMany({
    where: (after
      ? { AND: [where, keysetWhere(field, "sequence", dir, after.value, after.tie)] }
      : where) as Prisma.ExecutionItemWhereInput,
    orderBy: orderBy(field, "sequence", dir) as Prisma.ExecutionItemOrderByWithRelationInput[],
    take,
    omit: { attributeChanges: true },
  });
}

export interface ItemInsertRow {
  id: string;
  sequence: number;
  externalIdValue: string | null;
  displayName: string | null;
  connectedSystemObjectType: string | null;
  objectChangeType: string;
  errorType: string | null;
  errorMessage: string | null;
  errorDetail: string | null;
  outcomeSummary: string | null;
  outcomes: unknown;
  attributeChanges: unknown;
  connectedSystemObjectId: string | null;
  metaverseObjectId: string | null;
  processedAt: string;
}

/**
 * One multi-row INSERT from a single JSON parameter (jsonb_to_recordset), ON CONFLICT DO NOTHING:
 * idempotent per (activityId, sequence), one round trip per batch. Inserts only while the
 * activity is a running run-profile activity, which the statement locks (FOR SHARE) so a
 * concurrent complete/cancel waits: 0 rows means "all duplicates" or "not accepting items", and
 * the caller tells them apart. Returns the number of rows inserted.
 */
export async function insertItems(activityId: string, rows: ItemInsertRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const sql = `WITH a AS (
       SELECT id, "connectedSystemId" FROM "Activity"
       WHERE id = $2::uuid AND status = 'InProgress' AND "targetType" = 'ConnectedSystemRunProfile'
       FOR SHARE
     )
     INSERT INTO "ExecutionItem" ("id","activityId","sequence","externalIdValue","displayName","connectedSystemObjectType","objectChangeType","errorType","errorMessage","errorDetail","outcomeSummary","outcomes","attributeChanges","connectedSystemId","connectedSystemObjectId","metaverseObjectId","processedAt")
     SELECT x."id", a.id, x."sequence", x."externalIdValue", x."displayName", x."connectedSystemObjectType",
            x."objectChangeType"::"ObjectChangeType", x."errorType"::"ExecutionErrorType", x."errorMessage", x."errorDetail", x."outcomeSummary",
            COALESCE(x."outcomes", '[]'::jsonb), COALESCE(x."attributeChanges", '[]'::jsonb), a."connectedSystemId", x."connectedSystemObjectId", x."metaverseObjectId", x."processedAt"
     FROM a, jsonb_to_recordset($1::jsonb) AS x("id" uuid, "sequence" int, "externalIdValue" text, "displayName" text,
            "connectedSystemObjectType" text, "objectChangeType" text, "errorType" text, "errorMessage" text, "errorDetail" text, "outcomeSummary" text,
            "outcomes" jsonb, "attributeChanges" jsonb, "connectedSystemObjectId" text, "metaverseObjectId" text, "processedAt" timestamptz)
     ON CONFLICT DO NOTHING`;
  const payload = JSON.stringify(rows);
  const pool = getBulkPool();
  if (pool) return (await pool.query(sql, [payload, activityId])).rowCount ?? 0;
  const prisma = await getPrisma();
  return prisma.$executeRawUnsafe(sql, payload, activityId);
}
