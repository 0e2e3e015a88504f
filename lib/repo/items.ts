/** Reads of execution items: pages with filters and facet counts, one item, the same object in other runs. */
import { withPrisma } from "@/lib/db/client";
import type { ExecutionItem, Prisma } from "@/lib/generated/prisma/client";
import {
  ERROR_TYPES,
  OBJECT_CHANGE_TYPES,
  type ErrorType,
  type FailureRecurrence,
  type ObjectChangeType,
} from "@/lib/domain/enums";
import { isAnyOf, searchesAny } from "./where";
import {
  paginate,
  type Counting,
  type KeysetField,
  type ListDef,
  type Page,
  type PageQuery,
  type PageSource,
} from "./paginate";

export type ItemRow = ExecutionItem;
export type ItemListRow = Omit<ItemRow, "outcomes" | "attributeChanges" | "errorDetail">;
const SUMMARY_OMIT = { outcomes: true, attributeChanges: true, errorDetail: true } as const;

/** Item counts are exact up to this many per activity. */
export const ITEM_COUNT_CAP = 2_000_000;

const ITEM_SORTS = {
  sequence: { column: "sequence", nullable: false, kind: "int" },
  displayName: { column: "displayName", nullable: true, kind: "string" },
  externalIdValue: { column: "externalIdValue", nullable: true, kind: "string" },
  objectChangeType: { column: "objectChangeType", nullable: false, kind: "enum", enumValues: OBJECT_CHANGE_TYPES },
  errorType: { column: "errorType", nullable: true, kind: "enum", enumValues: ERROR_TYPES },
  connectedSystemObjectType: { column: "connectedSystemObjectType", nullable: true, kind: "string" },
} as const satisfies Record<string, KeysetField>;
export type ItemSort = keyof typeof ITEM_SORTS;
const ITEMS: ListDef<ItemSort> = { name: "items", sorts: ITEM_SORTS, tie: { column: "sequence", kind: "int" } };

/**
 * What a run's execution items can be filtered by, in the API's own names: the fields itemWhere reads.
 * Declared here, beside the where clause, so that a new filter is one edit in this file; the
 * contract's queries are checked against it where the services hand them over.
 */
export interface ItemFilter {
  /** Error types, or "any" (some error) / "none" (no error). */
  errorType?: (ErrorType | "any" | "none")[];
  changeType?: ObjectChangeType[];
  objectType?: string[];
  recurrence?: FailureRecurrence[];
  search?: string;
  /** Only items with an error: a run whose other items retention purged; not a query parameter. */
  failedOnly?: boolean;
}

function errorTypeWhere(list: NonNullable<ItemFilter["errorType"]>): Prisma.ExecutionItemWhereInput {
  const specific = list.filter((e): e is ErrorType => e !== "any" && e !== "none");
  const or: Prisma.ExecutionItemWhereInput[] = [];
  if (list.includes("any")) or.push({ errorType: { not: null } });
  if (list.includes("none")) or.push({ errorType: null });
  if (specific.length) or.push(isAnyOf("errorType", specific));
  return or.length === 1 ? or[0] : { OR: or };
}

type Facet = "errorType" | "changeType" | "objectType" | "recurrence";

/** The filter of the list; `ignore` leaves one dimension out (for that dimension's facet counts). */
export function itemWhere(activityId: string, f: ItemFilter, ignore?: Facet): Prisma.ExecutionItemWhereInput {
  const and: Prisma.ExecutionItemWhereInput[] = [{ activityId }];
  if (f.failedOnly) and.push({ errorType: { not: null } });
  if (f.errorType?.length && ignore !== "errorType") and.push(errorTypeWhere(f.errorType));
  if (f.changeType?.length && ignore !== "changeType") and.push(isAnyOf("objectChangeType", f.changeType));
  if (f.objectType?.length && ignore !== "objectType") and.push(isAnyOf("connectedSystemObjectType", f.objectType));
  if (f.recurrence?.length && ignore !== "recurrence") and.push(isAnyOf("recurrence", f.recurrence));
  if (f.search) and.push(searchesAny(["displayName", "externalIdValue"], f.search));
  return { AND: and };
}

const ITEM_SOURCE: PageSource<ItemListRow> = {
  findMany: (args) =>
    withPrisma((prisma) =>
      prisma.executionItem.findMany({ ...(args as Prisma.ExecutionItemFindManyArgs), omit: SUMMARY_OMIT }),
    ),
  count: (args) => withPrisma((prisma) => prisma.executionItem.count(args as Prisma.ExecutionItemCountArgs)),
};

export async function listItems(
  activityId: string,
  filter: ItemFilter,
  q: PageQuery<ItemSort> & { counting: Counting["cache"] },
): Promise<Page<ItemListRow>> {
  const where = itemWhere(activityId, filter) as Record<string, unknown>;
  // The list's name carries the activity, so a cursor from one run's items is refused on another's.
  return paginate(ITEM_SOURCE, { ...ITEMS, name: `items:${activityId}` }, where, q, {
    cap: ITEM_COUNT_CAP,
    cache: q.counting,
  });
}

export interface ItemFacets {
  errorTypes: Record<string, number>;
  changeTypes: Record<string, number>;
  objectTypes: Record<string, number>;
  recurrence: Record<string, number>;
}

/** Facet counts: per error type ("none" = no error), change type, object type and New/Recurring. */
export async function itemFacets(activityId: string, f: ItemFilter): Promise<ItemFacets> {
  const [errors, changes, objects, recurrence] = await withPrisma((prisma) =>
    Promise.all([
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
      prisma.executionItem.groupBy({
        by: ["recurrence"],
        where: itemWhere(activityId, f, "recurrence"),
        _count: { _all: true },
      }),
    ]),
  );
  const out: ItemFacets = { errorTypes: {}, changeTypes: {}, objectTypes: {}, recurrence: {} };
  for (const r of errors) out.errorTypes[r.errorType ?? "none"] = r._count._all;
  for (const r of changes) out.changeTypes[r.objectChangeType] = r._count._all;
  for (const r of objects)
    if (r.connectedSystemObjectType !== null) out.objectTypes[r.connectedSystemObjectType] = r._count._all;
  for (const r of recurrence) if (r.recurrence !== null) out.recurrence[r.recurrence] = r._count._all;
  return out;
}

export async function findItem(activityId: string, itemId: string): Promise<ItemRow | null> {
  return withPrisma((prisma) => prisma.executionItem.findFirst({ where: { id: itemId, activityId } }));
}

/** Items of the same object (same system and external id) in runs whose items are kept (but one), newest first. */
export async function findItemsOfObject(
  connectedSystemId: number,
  externalIdValue: string,
  exceptActivityId: string | null,
  limit = 20,
) {
  return withPrisma((prisma) =>
    prisma.executionItem.findMany({
      where: {
        connectedSystemId,
        externalIdValue,
        ...(exceptActivityId ? { activityId: { not: exceptActivityId } } : {}),
      },
      orderBy: [{ processedAt: "desc" }],
      take: limit,
      select: {
        id: true,
        activityId: true,
        objectChangeType: true,
        errorType: true,
        errorMessage: true,
        outcomeSummary: true,
        processedAt: true,
        activity: { select: { name: true, status: true } },
      },
    }),
  );
}

/** Failed items of the run that are new, and that failed in the previous run too. */
export async function countRecurrence(activityId: string): Promise<{ new: number; recurring: number }> {
  const rows = await withPrisma((prisma) =>
    prisma.executionItem.groupBy({
      by: ["recurrence"],
      where: { activityId, recurrence: { not: null } },
      _count: { _all: true },
    }),
  );
  const of = (r: FailureRecurrence) => rows.find((x) => x.recurrence === r)?._count._all ?? 0;
  return { new: of("New"), recurring: of("Recurring") };
}
