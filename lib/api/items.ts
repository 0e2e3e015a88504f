/**
 * Execution items: what happened to each connector-space object in a run.
 * Schemas (validated at the edge, typed for the pages, documented in OpenAPI) and endpoints.
 */
import { z } from "zod";
import { endpoint } from "./endpoint";
import { StoryAsOf } from "./failures";
import type { NewExecutionItem as DomainNewItem } from "@/lib/domain/activity";
import { ITEM_SORT_FIELDS, MAX_BODY_BYTES, MAX_ITEMS_PER_BATCH } from "./limits";
import {
  ActivityStatus,
  AttributeOperation,
  type Conforms,
  Count,
  ErrorType,
  FailureRecurrence,
  ITEMS_RULE,
  IdParam,
  IsoDateTime,
  ItemsKept,
  Name,
  ObjectChangeType,
  ObjectFailureState,
  OutcomeType,
  PageQuery,
  QueryText,
  Text,
  Uuid,
  listOf,
  pageEnvelope,
  sortOrder,
} from "./kit";

// ---------- execution items ----------
const ItemFilterQuery = {
  errorType: listOf(z.union([ErrorType, z.enum(["any", "none"])]))
    .optional()
    .describe('Error types (any of), or "any" (some error) / "none" (no error)'),
  changeType: listOf(ObjectChangeType).optional().describe("Change types (any of)"),
  objectType: listOf(QueryText(100)).optional().describe("Object types (any of)"),
  recurrence: listOf(FailureRecurrence)
    .optional()
    .describe("New (began failing in this run) or Recurring (already failing) failures, any of"),
  search: QueryText(200).optional().describe("Part of the display name or external id, any case"),
  sort: z.enum(ITEM_SORT_FIELDS).default("sequence").describe("Sort column"),
  order: sortOrder.default("asc"),
};
export const ItemListQuery = z.strictObject({ ...PageQuery, ...ItemFilterQuery });
export type ItemListQuery = z.infer<typeof ItemListQuery>;
export const ItemExportQuery = z.strictObject(ItemFilterQuery);
export type ItemExportQuery = z.infer<typeof ItemExportQuery>;
/** The item queries' filters: what the repository's itemWhere reads (checked in lib/services/items.ts). */
export type ItemQueryFilters = Omit<ItemExportQuery, "sort" | "order">;

export const ExecutionItemSummary = z
  .object({
    id: Uuid,
    externalIdValue: z.string().nullable().describe("External id of the processed object"),
    displayName: z.string().nullable().describe("Display name of the object"),
    connectedSystemObjectType: z.string().nullable().describe("Object type (user, group, ...)"),
    objectChangeType: ObjectChangeType,
    errorType: ErrorType.nullable().describe("Why processing the object failed; null when it did not"),
    recurrence: FailureRecurrence.nullable().describe(
      "For a failed item: New (the object began failing in this run) or Recurring (it was already failing)",
    ),
    outcomeSummary: z.string().nullable().describe('Comma-separated outcomes, e.g. "Projected:1,AttributeFlow:12"'),
    errorMessage: z.string().nullable().describe("The error message, when there is one"),
    sequence: z.number().int().describe("Order of processing within the run"),
    processedAt: IsoDateTime,
  })
  .meta({ id: "ExecutionItemSummary", description: "What happened to one connector-space object" });
export type ExecutionItemSummary = z.infer<typeof ExecutionItemSummary>;

export const ItemFacets = z.object({
  errorTypes: z
    .record(z.string(), z.number().int())
    .describe('Counts per error type for the other filters; "none" = no error'),
  changeTypes: z.record(z.string(), z.number().int()).describe("Counts per change type for the other filters"),
  objectTypes: z.record(z.string(), z.number().int()).describe("Counts per object type for the other filters"),
  recurrence: z
    .record(z.string(), z.number().int())
    .describe("Failed items that are New or Recurring, for the other filters"),
});
export const ItemRetention = z
  .object({
    itemsKept: ItemsKept,
    purgedAt: IsoDateTime.nullable().describe("When retention purged items of the run; null while every item is kept"),
    purgedItems: z.number().int().describe("Items of the run no longer kept"),
    keptItems: z.number().int().describe("Items of the run still kept: the rows this list can answer with"),
    failedItemsKeptUntil: IsoDateTime.nullable().describe(
      "When the failed items go, with the run (its schedule execution's, or its own, creation + " +
        "SYNCWATCH_RETENTION_DAYS); null when the run has none or retention never removes runs",
    ),
    keepItemRuns: z
      .number()
      .int()
      .describe(
        "SYNCWATCH_KEEP_ITEM_RUNS: items that did not fail are kept for this many runs per run profile and run type",
      ),
  })
  .meta({ id: "ItemRetention", description: "What retention kept of the run's items" });
export const ExecutionItemList = pageEnvelope(ExecutionItemSummary)
  .extend({
    facets: ItemFacets.describe("Counts per error type, change type, object type and recurrence for the other filters"),
    retention: ItemRetention.describe(
      "What retention kept: with itemsKept Failed the rows, counts and facets cover the failed items only",
    ),
  })
  .meta({ id: "ExecutionItemList", description: "A page of execution items with facet counts" });
export type ExecutionItemList = z.infer<typeof ExecutionItemList>;

export const Outcome = z.strictObject({
  type: OutcomeType,
  count: z.number().int().min(1).max(1_000_000).describe("How many times it happened to the object"),
});
export const AttributeChange = z.strictObject({
  attribute: Name(200).describe("Attribute name"),
  operation: AttributeOperation,
  oldValue: Text(4000).nullable().default(null).describe("Value before; null when there was none"),
  newValue: Text(4000).nullable().default(null).describe("Value after; null when removed"),
});
export type AttributeChange = z.infer<typeof AttributeChange>;

export const ExecutionItemDetail = ExecutionItemSummary.extend({
  activityId: Uuid,
  errorDetail: z.string().nullable().describe("The full error, e.g. a stack trace"),
  outcomes: z
    .array(z.object({ type: OutcomeType, count: z.number().int().describe("How many times") }))
    .describe("What happened to the object, by outcome"),
  attributeChanges: z
    .array(
      z.object({
        attribute: z.string().describe("Attribute name"),
        operation: AttributeOperation,
        oldValue: z.string().nullable().describe("Value before; null when there was none"),
        newValue: z.string().nullable().describe("Value after; null when removed"),
      }),
    )
    .describe("Attribute values changed (or, for a failed item, the changes that were attempted)"),
  connectedSystemId: z.number().int().nullable().describe("Id of the connected system"),
  connectedSystemName: z.string().nullable().describe("Name of the connected system"),
  connectedSystemObjectId: z.string().nullable().describe("Id of the connector-space object"),
  metaverseObjectId: z.string().nullable().describe("Id of the metaverse object it is joined to"),
  otherRuns: z
    .array(
      z.object({
        activityId: Uuid,
        activityName: z.string().describe("Name of the run"),
        activityStatus: ActivityStatus,
        itemId: Uuid,
        objectChangeType: ObjectChangeType,
        errorType: ErrorType.nullable().describe("Why it failed in that run; null when it did not"),
        outcomeSummary: z.string().nullable().describe("What happened to it in that run"),
        processedAt: IsoDateTime,
      }),
    )
    .describe("The same object (system and external id) in other runs, newest first (runs whose items are kept)"),
  failure: z
    .object({
      id: Uuid,
      state: ObjectFailureState,
      consecutiveRuns: z.number().int().describe("Runs in a row of the same run profile in which it failed"),
      firstSeen: IsoDateTime,
      totalFailures: z.number().int().describe("Runs in which it failed"),
    })
    .nullable()
    .describe("The object's failure record across runs, as it is now, when it has one"),
  story: StoryAsOf.nullable().describe(
    "The object as of this run (New, streak, first occurred, what came later), from the same facts as recurrence; " +
      "null when the object never failed",
  ),
}).meta({ id: "ExecutionItemDetail", description: "One execution item with its outcomes, changes and history" });
export type ExecutionItemDetail = z.infer<typeof ExecutionItemDetail>;

export const NewExecutionItem = z.strictObject({
  sequence: Count.describe(
    "Position of the object in this run; (activity, sequence) is unique, so a retried batch adds nothing",
  ),
  id: Uuid.optional(),
  externalIdValue: Text(400).nullable().default(null).describe("External id of the object"),
  displayName: Text(400).nullable().default(null).describe("Display name of the object"),
  connectedSystemObjectType: Text(100).nullable().default(null).describe("Object type (user, group, ...)"),
  objectChangeType: ObjectChangeType,
  errorType: ErrorType.nullable().default(null).describe("Why processing the object failed; null when it did not"),
  errorMessage: Text(4000).nullable().default(null).describe("The error message, when there is one"),
  errorDetail: Text(20000).nullable().default(null).describe("The full error, e.g. a stack trace"),
  outcomes: z.array(Outcome).max(50).default([]).describe("What happened to the object, by outcome"),
  attributeChanges: z.array(AttributeChange).max(500).default([]).describe("Attribute values changed"),
  connectedSystemObjectId: Text(200).nullable().default(null).describe("Id of the connector-space object"),
  metaverseObjectId: Text(200).nullable().default(null).describe("Id of the metaverse object it is joined to"),
  processedAt: IsoDateTime.optional().describe("Default: when the batch arrives"),
});
export type NewExecutionItem = z.infer<typeof NewExecutionItem>;
export const AppendItemsBody = z
  .strictObject({
    items: z.array(NewExecutionItem).min(1).max(MAX_ITEMS_PER_BATCH).describe("The items, each with its sequence"),
  })
  .refine((b) => new Set(b.items.map((i) => i.sequence)).size === b.items.length, {
    message: "Each sequence may appear once in a batch",
    path: ["items"],
  })
  .meta({ id: "AppendItemsBody", description: `Up to ${MAX_ITEMS_PER_BATCH} execution items` });
export type AppendItemsBody = z.infer<typeof AppendItemsBody>;
export const AppendItemsResult = z
  .object({
    received: z.number().int().describe("Items in the batch"),
    inserted: z.number().int().describe("Items stored by this batch"),
    duplicates: z.number().int().describe("Items already stored with the same sequence and content (a retried batch)"),
  })
  .meta({ id: "AppendItemsResult" });

export const ItemIdParams = z.strictObject({ id: Uuid, itemId: Uuid });

type _ItemConforms = Conforms<DomainNewItem, NewExecutionItem>;

// ---------- endpoints ----------
export const itemEndpoints = {
  listExecutionItems: endpoint({
    id: "listExecutionItems",
    method: "GET",
    path: "/activities/{id}/items",
    tag: "Execution items",
    summary: "List execution items",
    description:
      `${ITEMS_RULE} Retention: the items that did not fail are purged from runs beyond the last ` +
      "SYNCWATCH_KEEP_ITEM_RUNS runs of each run profile and run type; failed items stay as long as the run " +
      "(SYNCWATCH_RETENTION_DAYS). A run that kept its failed items answers 200 with those only (retention.itemsKept " +
      "Failed; totals and facets count them), and 410 when the filter can only match purged items " +
      "(errorType=none); a run with no item kept answers 410. The 410 details carry the retention object.",
    access: "admin",
    params: IdParam,
    query: ItemListQuery,
    response: { status: 200, schema: ExecutionItemList, description: "A page of items with facet counts" },
    errors: ["GONE"],
    conditional: true,
  }),
  appendExecutionItems: endpoint({
    id: "appendExecutionItems",
    method: "POST",
    path: "/activities/{id}/items",
    tag: "Execution items",
    summary: "Append execution items",
    description:
      `${ITEMS_RULE} Up to ${MAX_ITEMS_PER_BATCH} items a batch (more: 400; a body over ${MAX_BODY_BYTES} bytes: 413; ` +
      "nothing of a refused batch is stored). Idempotent per sequence: a retried batch inserts nothing twice; a " +
      "sequence already stored with other content, or an item id already stored (in any run), refuses the whole batch " +
      "(409, details name the sequences or the ids).",
    access: "admin",
    params: IdParam,
    body: AppendItemsBody,
    response: { status: 200, schema: AppendItemsResult, description: "What was stored" },
    errors: ["CONFLICT"],
  }),
  getExecutionItem: endpoint({
    id: "getExecutionItem",
    method: "GET",
    path: "/activities/{id}/items/{itemId}",
    tag: "Execution items",
    summary: "Get an execution item",
    description:
      "410 when retention purged the item: all of the run's items, or (itemsKept Failed) every item without an error.",
    access: "admin",
    params: ItemIdParams,
    response: { status: 200, schema: ExecutionItemDetail, description: "The item" },
    errors: ["GONE"],
    conditional: true,
  }),
  exportExecutionItems: endpoint({
    id: "exportExecutionItems",
    method: "GET",
    path: "/activities/{id}/items.csv",
    tag: "Execution items",
    summary: "Export execution items as CSV",
    description:
      "Every item matching the filters, streamed (after a purge that kept the failed items: those only). Errors " +
      "found before the first byte answer JSON; a download interrupted later is cut off (never ends as if complete).",
    access: "admin",
    params: IdParam,
    query: ItemExportQuery,
    response: { status: 200, description: "RFC 4180 CSV", contentType: "text/csv" },
    errors: ["GONE"],
  }),
  exportExecutionItemsLegacy: endpoint({
    id: "exportExecutionItemsLegacy",
    method: "GET",
    path: "/activities/{id}/items/export",
    tag: "Execution items",
    summary: "Export execution items as CSV (the 1.0 address)",
    description: "The first release's address of GET /activities/{id}/items.csv, answered the same way.",
    access: "admin",
    params: IdParam,
    query: ItemExportQuery,
    response: { status: 200, description: "RFC 4180 CSV", contentType: "text/csv" },
    errors: ["GONE"],
    deprecated: { since: "2026-11-25", sunset: "2027-06-30", successor: "/activities/{id}/items.csv" },
  }),
} as const;
