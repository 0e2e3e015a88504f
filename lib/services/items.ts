import type { ExecutionItemDetail, ExecutionItemList, ItemExportQuery, ItemListQuery } from "@/lib/api/schemas";
import { BadRequestError, NotFoundError } from "@/lib/domain/errors";
import { findActivityHeader } from "@/lib/repo/activities";
import { findConnectedSystem } from "@/lib/repo/config";
import { ITEM_SORTS, findItem, findItemBatch, findItemPage, itemFacets, itemWhere } from "@/lib/repo/items";
import { csvRow } from "@/lib/http/csv";
import { toItemDetail, toItemSummary } from "./mappers";
import { envelope, nextCursorOf, readCursor } from "./paging";

/** Items exist only for run-profile activities (seed 002): 404 for an unknown activity, 400 for another kind. */
export async function requireRunProfileActivity(id: string) {
  const a = await findActivityHeader(id);
  if (!a) throw new NotFoundError(`Activity ${id} does not exist.`, { id });
  if (a.targetType !== "ConnectedSystemRunProfile")
    throw new BadRequestError("Activity is not a run profile activity.", { id, targetType: a.targetType });
  return a;
}

export async function listItems(id: string, q: ItemListQuery): Promise<ExecutionItemList> {
  const activity = await requireRunProfileActivity(id);
  // Items of an ended run never change: their counts and facets can be cached.
  const frozen = activity.status !== "InProgress";
  const field = ITEM_SORTS[q.sort];
  const sortKey = `i:${q.sort}:${q.order}`;
  const cursor = readCursor(q.cursor, sortKey, field, "int") as
    { value: string | number | null; tie: number } | undefined;
  const where = itemWhere(id, q);
  const [r, facets] = await Promise.all([
    findItemPage(where, { field, dir: q.order, page: q.page, pageSize: q.pageSize, cursor, frozen }),
    itemFacets(
      id,
      { errorType: q.errorType, changeType: q.changeType, objectType: q.objectType, search: q.search },
      frozen,
    ),
  ]);
  return {
    ...envelope(r.rows.map(toItemSummary), {
      total: r.total,
      page: q.page,
      pageSize: q.pageSize,
      hasMore: r.hasMore,
      cursorUsed: Boolean(cursor),
      nextCursor: nextCursorOf(
        sortKey,
        field,
        "sequence",
        r.rows.at(-1) as Record<string, unknown> | undefined,
        r.hasMore,
      ),
    }),
    facets,
  };
}

export async function getItem(id: string, itemId: string): Promise<ExecutionItemDetail> {
  const a = await findActivityHeader(id);
  if (!a) throw new NotFoundError(`Activity ${id} does not exist.`, { id });
  const item = await findItem(id, itemId);
  if (!item) throw new NotFoundError(`Execution item ${itemId} does not exist in activity ${id}.`, { id, itemId });
  let name: string | null = null;
  if (item.connectedSystemId !== null) {
    name =
      item.connectedSystemId === a.connectedSystemId
        ? a.connectedSystemName
        : ((await findConnectedSystem(item.connectedSystemId))?.name ?? null);
  } else if (a.connectedSystemId !== null) {
    name = a.connectedSystemName;
  }
  return toItemDetail(item, name);
}

export const CSV_COLUMNS = [
  "sequence",
  "id",
  "externalIdValue",
  "displayName",
  "connectedSystemObjectType",
  "objectChangeType",
  "errorType",
  "errorMessage",
  "outcomeSummary",
  "processedAt",
  "connectedSystemObjectId",
  "metaverseObjectId",
] as const;

const BATCH = 1000;

/** Every matching item as CSV, fetched in keyset batches of 1,000 while the client reads. */
export async function exportItemsCsv(
  id: string,
  q: ItemExportQuery,
): Promise<{ stream: ReadableStream<Uint8Array>; filename: string }> {
  await requireRunProfileActivity(id);
  const field = ITEM_SORTS[q.sort];
  const where = itemWhere(id, q);
  const encoder = new TextEncoder();
  let after: { value: string | number | null; tie: number } | null = null;
  let headerSent = false;
  let done = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvRow([...CSV_COLUMNS])));
          return;
        }
        if (done) return controller.close();
        const rows = await findItemBatch(where, field, q.order, after, BATCH);
        if (rows.length < BATCH) done = true;
        if (rows.length === 0) return controller.close();
        const last = rows[rows.length - 1] as unknown as Record<string, unknown>;
        const v = last[field.column];
        after = {
          value: v instanceof Date ? v.toISOString() : ((v ?? null) as string | number | null),
          tie: rows[rows.length - 1].sequence,
        };
        let text = "";
        for (const r of rows) text += csvRow(CSV_COLUMNS.map((c) => (r as unknown as Record<string, unknown>)[c]));
        controller.enqueue(encoder.encode(text));
      } catch (e) {
        console.error("[syncwatch] CSV export failed:", e);
        controller.error(e);
      }
    },
  });
  return { stream, filename: `activity-${id}-items.csv` };
}
