/** Execution items: pages with facets, one item with its history, and the CSV export. */
import type { ExecutionItemDetail, ExecutionItemList, ItemExportQuery, ItemListQuery } from "@/lib/api/items";
import { getConfig } from "@/lib/config";
import { GoneError, NotFoundError } from "@/lib/domain/errors";
import type { ActivityHeader } from "@/lib/repo/activities";
import { findConnectedSystem } from "@/lib/repo/config";
import { findFailureByKey } from "@/lib/repo/failures";
import { objectKeyOf } from "@/lib/domain/failures";
import {
  findItem,
  findItemsOfObject,
  itemFacets,
  listItems as listItemRows,
  type ItemFacets,
  type ItemFilter,
} from "@/lib/repo/items";
import { csvStream } from "./csv-export";
import type { Versioned } from "@/lib/live/answers";
import { dependsOn, envelope, requireActivity } from "./activities";
import { iso, toItemSummary } from "./mappers";

/** Items of the activity must still be kept: 410 with the reason when retention removed them. */
export function assertItemsRetained(a: ActivityHeader): void {
  if (!a.itemsPurgedAt) return;
  const keep = getConfig().retention.keepItemRuns;
  throw new GoneError(
    `The execution items of this run were purged on ${a.itemsPurgedAt.toISOString()}: items are kept for the last ${keep} runs of each run profile.`,
    { purgedAt: a.itemsPurgedAt.toISOString(), keepItemRuns: keep, itemCount: a.itemCount },
  );
}

const filterOf = (q: ItemExportQuery | ItemListQuery): ItemFilter => ({
  errorType: q.errorType,
  changeType: q.changeType,
  objectType: q.objectType,
  recurrence: q.recurrence,
  search: q.search,
});
const unfiltered = (f: ItemFilter) => !f.errorType && !f.changeType && !f.objectType && !f.recurrence && !f.search;

/** The activity's header, for the ETag: finished runs' items never change. */
export async function itemsHeader(id: string): Promise<ActivityHeader> {
  const a = await requireActivity(id, { runProfile: true });
  assertItemsRetained(a);
  return a;
}

export async function listItems(a: ActivityHeader, q: ItemListQuery): Promise<ExecutionItemList> {
  const filter = filterOf(q);
  // Unfiltered, the count is the run's item count: no counting query.
  const counting = unfiltered(filter) ? "none" : a.status === "InProgress" ? "fresh" : "cached";
  const [page, facets] = await Promise.all([
    listItemRows(a.id, filter, {
      sort: q.sort,
      order: q.order,
      page: q.page,
      pageSize: q.pageSize,
      cursor: q.cursor,
      counting,
    }),
    facetsOf(a, filter),
  ]);
  if (counting === "none") page.total = a.itemCount;
  return { ...envelope(page.rows.map(toItemSummary), page, q), facets };
}

/** Items of a finished run never change: a private cache may keep them for five minutes. */
export const FINISHED_ITEMS_CACHE = "private, max-age=300";

/** A page of the run's items, current while the run's version is (each batch bumps it). */
export async function readItems(id: string, q: ItemListQuery): Promise<Versioned & { body: ExecutionItemList }> {
  const a = await itemsHeader(id);
  return {
    body: await listItems(a, q),
    depends: dependsOn([a]),
    cacheControl: a.status === "InProgress" ? undefined : FINISHED_ITEMS_CACHE,
  };
}

/**
 * One item with the object's other runs and failure state, which later runs change: current only
 * until any activity changes.
 */
export async function readItem(id: string, itemId: string): Promise<Versioned & { body: ExecutionItemDetail }> {
  const a = await itemsHeader(id);
  return {
    body: await getItem(a, itemId),
    depends: { ...dependsOn([a]), anyChange: true },
    cacheControl: a.status === "InProgress" ? undefined : FINISHED_ITEMS_CACHE,
  };
}

/** Facets of finished runs, by run and filter: their items never change (a purge answers 410 before). */
const finishedFacets = new Map<string, ItemFacets>();
const FINISHED_FACETS_KEPT = 500;

/** The facet counts group over all of a run's items: a finished run's are counted once, then remembered. */
async function facetsOf(a: ActivityHeader, filter: ItemFilter): Promise<ItemFacets> {
  if (a.status === "InProgress") return itemFacets(a.id, filter);
  const key = `${a.id}:${JSON.stringify(filter)}`;
  const known = finishedFacets.get(key);
  if (known) return known;
  const facets = await itemFacets(a.id, filter);
  if (finishedFacets.size >= FINISHED_FACETS_KEPT) finishedFacets.delete(finishedFacets.keys().next().value!);
  finishedFacets.set(key, facets);
  return facets;
}

export async function getItem(a: ActivityHeader, itemId: string): Promise<ExecutionItemDetail> {
  const item = await findItem(a.id, itemId);
  if (!item)
    throw new NotFoundError(`Execution item ${itemId} does not exist in activity ${a.id}.`, { id: a.id, itemId });
  const systemId = item.connectedSystemId ?? a.connectedSystemId;
  const name =
    systemId === a.connectedSystemId
      ? a.connectedSystemName
      : systemId !== null
        ? ((await findConnectedSystem(systemId))?.name ?? null)
        : null;
  const key = objectKeyOf(item);
  const [others, failure] = await Promise.all([
    systemId !== null && item.externalIdValue
      ? findItemsOfObject(systemId, item.externalIdValue, a.id)
      : Promise.resolve([]),
    systemId !== null && key ? findFailureByKey(systemId, key) : Promise.resolve(null),
  ]);
  return {
    ...toItemSummary(item),
    activityId: item.activityId,
    errorDetail: item.errorDetail,
    outcomes: (Array.isArray(item.outcomes) ? item.outcomes : []) as ExecutionItemDetail["outcomes"],
    attributeChanges: (Array.isArray(item.attributeChanges)
      ? item.attributeChanges
      : []) as ExecutionItemDetail["attributeChanges"],
    connectedSystemId: systemId,
    connectedSystemName: name,
    connectedSystemObjectId: item.connectedSystemObjectId,
    metaverseObjectId: item.metaverseObjectId,
    otherRuns: others.map((o) => ({
      activityId: o.activityId,
      activityName: o.activity.name,
      activityStatus: o.activity.status,
      itemId: o.id,
      objectChangeType: o.objectChangeType,
      errorType: o.errorType,
      outcomeSummary: o.outcomeSummary,
      processedAt: o.processedAt.toISOString(),
    })),
    failure: failure
      ? {
          id: failure.id,
          state: failure.state,
          consecutiveRuns: failure.consecutiveRuns,
          firstSeen: iso(failure.firstSeenAt)!,
          totalFailures: failure.totalFailures,
        }
      : null,
  };
}

export const CSV_COLUMNS = [
  "sequence",
  "id",
  "externalIdValue",
  "displayName",
  "connectedSystemObjectType",
  "objectChangeType",
  "errorType",
  "recurrence",
  "errorMessage",
  "outcomeSummary",
  "processedAt",
] as const;

/** Every matching item as CSV, read by cursor in batches while the client reads. */
export async function exportItemsCsv(
  id: string,
  q: ItemExportQuery,
): Promise<{ stream: ReadableStream<Uint8Array>; filename: string }> {
  const a = await itemsHeader(id);
  const filter = filterOf(q);
  const stream = await csvStream(CSV_COLUMNS, async (cursor) => {
    const page = await listItemRows(a.id, filter, {
      sort: q.sort,
      order: q.order,
      page: 1,
      pageSize: 1000,
      cursor,
      counting: "none",
    });
    return {
      rows: page.rows.map((r) => ({ ...r, processedAt: r.processedAt.toISOString() })),
      nextCursor: page.nextCursor,
    };
  });
  return { stream, filename: `activity-${id}-items.csv` };
}
