/** Execution items: pages with facets, one item with its history, and the CSV export. */
import { filtersOf, type FiltersConform } from "@/lib/api/kit";
import type {
  ExecutionItemDetail,
  ExecutionItemList,
  ItemExportQuery,
  ItemListQuery,
  ItemQueryFilters,
} from "@/lib/api/items";
import { getConfig } from "@/lib/config";
import { GoneError, NotFoundError } from "@/lib/domain/errors";
import type { ActivityHeader } from "@/lib/repo/activities";
import { findRootCreatedAt } from "@/lib/repo/retention";
import { findConnectedSystem } from "@/lib/repo/config";
import { findFailureByKey } from "@/lib/repo/failures";
import { objectKeyOf } from "@/lib/domain/failures";
import { findItem, itemFacets, listItems as listItemRows, type ItemFacets, type ItemFilter } from "@/lib/repo/items";
import { csvStream, exportBatch } from "./csv-export";
import { itemsOfObject, storyOf } from "./failures";
import type { Versioned } from "@/lib/live/answers";
import { dependsOn, envelope, pageDepends, requireActivity } from "./activities";
import { iso, toItemSummary } from "./mappers";

type _ItemFilterConforms = FiltersConform<Omit<ItemFilter, "failedOnly">, ItemQueryFilters>;

const DAY = 86_400_000;

/** What retention kept of the run's items and until when the rest stays (the items list's `retention`). */
export async function retentionOf(a: ActivityHeader): Promise<ExecutionItemList["retention"]> {
  const days = getConfig().retention.days;
  const root = days > 0 && a.failedItemCount > 0 ? await findRootCreatedAt(a.id) : null;
  return {
    itemsKept: a.itemsKept,
    purgedAt: iso(a.itemsPurgedAt),
    purgedItems: a.itemsKept === "All" ? 0 : a.itemsKept === "Failed" ? a.itemCount - a.failedItemCount : a.itemCount,
    keptItems: a.itemsKept === "All" ? a.itemCount : a.itemsKept === "Failed" ? a.failedItemCount : 0,
    failedItemsKeptUntil: root ? new Date(root.getTime() + days * DAY).toISOString() : null,
    keepItemRuns: getConfig().retention.keepItemRuns,
  };
}

async function gone(a: ActivityHeader, why: string): Promise<GoneError> {
  const r = await retentionOf(a);
  return new GoneError(why, { ...r, itemCount: a.itemCount });
}

const purgeSentence = (a: ActivityHeader, keep: number) =>
  `on ${a.itemsPurgedAt?.toISOString() ?? "an earlier date"}: items that did not fail are kept for the last ${keep} runs of each run profile and run type`;

/** Items of the activity must still be kept: 410 with the reason when retention removed them all. */
export async function assertItemsRetained(a: ActivityHeader): Promise<void> {
  if (a.itemsKept !== "None") return;
  const keep = getConfig().retention.keepItemRuns;
  throw await gone(
    a,
    `The execution items of this run were purged ${purgeSentence(a, keep)}${a.failedItemCount ? "" : " (it had no failed item)"}.`,
  );
}

/** A run that kept only its failed items cannot answer a filter that only items without an error match. */
async function assertFilterAnswerable(a: ActivityHeader, filter: ItemFilter): Promise<void> {
  if (a.itemsKept !== "Failed" || !filter.errorType?.length || filter.errorType.some((t) => t !== "none")) return;
  const keep = getConfig().retention.keepItemRuns;
  throw await gone(
    a,
    `The items of this run without an error were purged ${purgeSentence(a, keep)}; its ${a.failedItemCount} failed items are kept.`,
  );
}

/** The list's filter; a run that kept only its failed items answers with those. */
function filterOf(
  a: ActivityHeader,
  q: ItemExportQuery & Partial<Pick<ItemListQuery, "page" | "pageSize" | "cursor">>,
): ItemFilter {
  return { ...filtersOf(q), failedOnly: a.itemsKept === "Failed" || undefined };
}
/** No filter of the query's (the purge's failedOnly is the run's, not the viewer's). */
const unfiltered = (f: ItemFilter) => Object.entries(f).every(([k, v]) => k === "failedOnly" || !v);
/** Items still stored: all recorded, or the failed ones after a purge. */
const keptCount = (a: ActivityHeader) => (a.itemsKept === "Failed" ? a.failedItemCount : a.itemCount);

/** The activity's header, for the ETag: finished runs' items never change. */
export async function itemsHeader(id: string): Promise<ActivityHeader> {
  const a = await requireActivity(id, { runProfile: true });
  await assertItemsRetained(a);
  return a;
}

export async function listItems(a: ActivityHeader, q: ItemListQuery): Promise<ExecutionItemList> {
  const filter = filterOf(a, q);
  await assertFilterAnswerable(a, filter);
  // Unfiltered, the count is the run's item count: no counting query.
  const counting = unfiltered(filter) ? "none" : a.status === "InProgress" ? "fresh" : "cached";
  const [page, facets, retention] = await Promise.all([
    listItemRows(a.id, filter, {
      sort: q.sort,
      order: q.order,
      page: q.page,
      pageSize: q.pageSize,
      cursor: q.cursor,
      counting,
    }),
    facetsOf(a, filter),
    retentionOf(a),
  ]);
  if (counting === "none") page.total = { count: keptCount(a), status: "exact" };
  return { ...envelope(page.rows.map(toItemSummary), page, q), facets, retention };
}

/** Items of a finished run never change: a private cache may keep them for five minutes. */
export const FINISHED_ITEMS_CACHE = "private, max-age=300";

/** A page of the run's items, current while the run's version is (each batch bumps it). */
export async function readItems(id: string, q: ItemListQuery): Promise<Versioned & { body: ExecutionItemList }> {
  const a = await itemsHeader(id);
  const body = await listItems(a, q);
  const settled = a.status !== "InProgress" && body.countStatus !== "unknown";
  return {
    body,
    depends: pageDepends(body.countStatus, dependsOn([a])),
    cacheControl: settled ? FINISHED_ITEMS_CACHE : undefined,
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
  const key = `${a.id}:${a.itemsKept}:${JSON.stringify(filter)}`;
  const known = finishedFacets.get(key);
  if (known) return known;
  const facets = await itemFacets(a.id, filter);
  if (finishedFacets.size >= FINISHED_FACETS_KEPT) finishedFacets.delete(finishedFacets.keys().next().value!);
  finishedFacets.set(key, facets);
  return facets;
}

/** Other runs of the object an item shows (the failure object's page shows its whole story). */
const OTHER_RUNS = 20;

export async function getItem(a: ActivityHeader, itemId: string): Promise<ExecutionItemDetail> {
  const item = await findItem(a.id, itemId);
  // A run that kept its failed items only: any other item of it was purged (or is being purged).
  if (a.itemsKept === "Failed" && (!item || item.errorType === null))
    throw await gone(
      a,
      `Execution item ${itemId} is not kept: the items of this run without an error were purged ${purgeSentence(a, getConfig().retention.keepItemRuns)}.`,
    );
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
  const [items, failure] = await Promise.all([
    itemsOfObject(systemId, item.externalIdValue),
    systemId !== null && key ? findFailureByKey(systemId, key) : Promise.resolve(null),
  ]);
  const others = items.filter((o) => o.activityId !== a.id).slice(0, OTHER_RUNS);
  // The object as of this run, from the facts New and Recurring were decided on.
  const story = failure ? (await storyOf(failure, a.id, { items })).asOf : null;
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
    story,
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
  const filter = filterOf(a, q);
  await assertFilterAnswerable(a, filter);
  const stream = await csvStream(CSV_COLUMNS, async (cursor) => {
    const page = await listItemRows(a.id, filter, {
      sort: q.sort,
      order: q.order,
      ...exportBatch(cursor),
    });
    return {
      rows: page.rows.map((r) => ({ ...r, processedAt: r.processedAt.toISOString() })),
      nextCursor: page.nextCursor,
    };
  });
  return { stream, filename: `activity-${id}-items.csv` };
}
