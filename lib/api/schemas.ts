/**
 * The /api/v1 contract: one zod schema per request and response shape. Route handlers validate
 * with these, the pages take their TypeScript types from them, and /api/v1/openapi.json is built
 * from them. Browser-safe (no server imports).
 */
import { z } from "zod";
import {
  ACTIVITY_STATUSES,
  ACTIVITY_TARGET_TYPES,
  API_KEY_ROLES,
  ATTRIBUTE_OPERATIONS,
  CONNECTED_SYSTEM_KINDS,
  ERROR_TYPES,
  INITIATOR_TYPES,
  OBJECT_CHANGE_TYPES,
  OUTCOME_TYPES,
  RUN_TYPES,
} from "@/lib/domain/enums";
import { COUNTER_FIELDS } from "@/lib/domain/counters";

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_ITEMS_PER_BATCH = 1000;
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

// ---------- building blocks ----------
export const Uuid = z.uuid();
export const ActivityStatus = z.enum(ACTIVITY_STATUSES);
export const ActivityTargetType = z.enum(ACTIVITY_TARGET_TYPES);
export const InitiatorType = z.enum(INITIATOR_TYPES);
export const RunType = z.enum(RUN_TYPES);
export const ObjectChangeType = z.enum(OBJECT_CHANGE_TYPES);
export const ErrorType = z.enum(ERROR_TYPES);
export const OutcomeType = z.enum(OUTCOME_TYPES);
export const AttributeOperation = z.enum(ATTRIBUTE_OPERATIONS);
export const ApiKeyRole = z.enum(API_KEY_ROLES);
export const ConnectedSystemKind = z.enum(CONNECTED_SYSTEM_KINDS);
const IsoDateTime = z.iso.datetime({ offset: true });
const PositiveIntId = z.coerce.number().int().positive();

/** Query values arrive as strings; lists may be repeated (?status=A&status=B) or comma-separated. */
const listOf = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(","))
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1));
const queryBoolean = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const sortOrder = z.enum(["asc", "desc"]);

export const PageQuery = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
};

export const ErrorCode = z.enum([
  "BAD_REQUEST",
  "UNAUTHORISED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "SERVICE_UNAVAILABLE",
  "INTERNAL_ERROR",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;
export const ErrorBody = z.object({ code: ErrorCode, message: z.string(), details: z.unknown().optional() });
export type ErrorBody = z.infer<typeof ErrorBody>;

const pageEnvelope = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    totalCount: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    totalPages: z.number().int(),
    hasNextPage: z.boolean(),
    hasPreviousPage: z.boolean(),
    /** Keyset cursor for the next page (deep paging without OFFSET); null on the last page. */
    nextCursor: z.string().nullable(),
  });

// ---------- counters (seed 001) ----------
export const ExecutionStats = z.strictObject(
  Object.fromEntries(COUNTER_FIELDS.map((f) => [f, z.number().int()])) as Record<
    (typeof COUNTER_FIELDS)[number],
    z.ZodNumber
  >,
);
export type ExecutionStats = z.infer<typeof ExecutionStats>;
const CounterDeltas = z.strictObject(
  Object.fromEntries(COUNTER_FIELDS.map((f) => [f, z.number().int().min(0).optional()])) as Record<
    (typeof COUNTER_FIELDS)[number],
    z.ZodOptional<z.ZodNumber>
  >,
);

// ---------- activities: reads ----------
export const ACTIVITY_SORT_FIELDS = [
  "created",
  "started",
  "ended",
  "duration",
  "name",
  "target",
  "type",
  "initiator",
  "status",
  "errors",
  "processed",
  "changes",
] as const;
export const ActivityListQuery = z.strictObject({
  ...PageQuery,
  cursor: z.string().max(200).optional(),
  status: listOf(ActivityStatus).optional(),
  targetType: listOf(ActivityTargetType).optional(),
  connectedSystemId: PositiveIntId.optional(),
  runProfileId: PositiveIntId.optional(),
  scheduleId: PositiveIntId.optional(),
  initiatorType: InitiatorType.optional(),
  initiatorName: z.string().min(1).max(200).optional(),
  search: z.string().min(1).max(200).optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  topLevelOnly: queryBoolean.default(true),
  hasErrors: queryBoolean.optional(),
  parentId: Uuid.optional(),
  sort: z.enum(ACTIVITY_SORT_FIELDS).default("created"),
  order: sortOrder.default("desc"),
});
export type ActivityListQuery = z.infer<typeof ActivityListQuery>;

export const Initiator = z.object({
  type: InitiatorType,
  /** Metaverse object id for a User, API key id for an ApiKey, e.g. the schedule id for System. */
  id: z.string().nullable(),
  name: z.string(),
});

export const ActivityProgress = z.object({
  objectsToProcess: z.number().int().nullable(),
  objectsProcessed: z.number().int(),
  /** 0–100, null while the total is unknown. */
  percent: z.number().nullable(),
  message: z.string().nullable(),
});

export const ActivitySummary = z.object({
  id: Uuid,
  name: z.string(),
  targetType: ActivityTargetType,
  connectedSystemId: z.number().int().nullable(),
  connectedSystemName: z.string().nullable(),
  runProfileId: z.number().int().nullable(),
  runProfileName: z.string().nullable(),
  runType: RunType.nullable(),
  scheduleId: z.number().int().nullable(),
  scheduleName: z.string().nullable(),
  /** The schedule, "system / run profile", or the target type: what the list shows and sorts as Target. */
  targetName: z.string(),
  status: ActivityStatus,
  initiatedBy: Initiator,
  created: IsoDateTime,
  started: IsoDateTime.nullable(),
  ended: IsoDateTime.nullable(),
  /** Milliseconds from start to end (or to now while running). */
  executionTimeMs: z.number().int().nullable(),
  /** Milliseconds from creation (including any queueing) to end. */
  totalActivityTimeMs: z.number().int().nullable(),
  progress: ActivityProgress,
  totalObjectsProcessed: z.number().int(),
  totalObjectChangeCount: z.number().int(),
  totalObjectErrors: z.number().int(),
  errorMessage: z.string().nullable(),
  warningCount: z.number().int(),
  parentActivityId: Uuid.nullable(),
  childCount: z.number().int(),
});
export type ActivitySummary = z.infer<typeof ActivitySummary>;
export const ActivityList = pageEnvelope(ActivitySummary);
export type ActivityList = z.infer<typeof ActivityList>;

export const ActivityDetail = ActivitySummary.extend({
  warnings: z.array(z.string()),
  errorStackTrace: z.string().nullable(),
  cancelRequested: z.boolean(),
  counters: ExecutionStats,
  version: z.number().int(),
});
export type ActivityDetail = z.infer<typeof ActivityDetail>;

export const ActivityTreeNode: z.ZodType<ActivityTreeNode> = z.lazy(() =>
  ActivitySummary.extend({ counters: ExecutionStats, children: z.array(ActivityTreeNode) }),
);
export type ActivityTreeNode = ActivitySummary & { counters: ExecutionStats; children: ActivityTreeNode[] };
export const ActivityTree = z.object({
  root: ActivityTreeNode,
  /** Counters summed over every run-profile descendant. */
  rollup: ExecutionStats,
  nodeCount: z.number().int(),
});
export type ActivityTree = z.infer<typeof ActivityTree>;

export const ProgressSample = z.object({
  at: IsoDateTime,
  objectsToProcess: z.number().int().nullable(),
  objectsProcessed: z.number().int(),
  totalObjectChangeCount: z.number().int(),
  totalObjectErrors: z.number().int(),
  counters: CounterDeltas,
});
export type ProgressSample = z.infer<typeof ProgressSample>;
export const ProgressSampleList = z.object({
  activityId: Uuid,
  status: ActivityStatus,
  samples: z.array(ProgressSample),
});
export type ProgressSampleList = z.infer<typeof ProgressSampleList>;
export const ProgressQuery = z.strictObject({ since: IsoDateTime.optional() });

// ---------- execution items (seed 002) ----------
export const ITEM_SORT_FIELDS = [
  "sequence",
  "displayName",
  "externalIdValue",
  "objectChangeType",
  "errorType",
  "connectedSystemObjectType",
] as const;
export const ItemListQuery = z.strictObject({
  ...PageQuery,
  cursor: z.string().max(200).optional(),
  /** Error types, or the words "any" (some error) / "none" (no error). */
  errorType: listOf(z.union([ErrorType, z.enum(["any", "none"])])).optional(),
  changeType: listOf(ObjectChangeType).optional(),
  objectType: listOf(z.string().min(1).max(100)).optional(),
  search: z.string().min(1).max(200).optional(),
  sort: z.enum(ITEM_SORT_FIELDS).default("sequence"),
  order: sortOrder.default("asc"),
});
export type ItemListQuery = z.infer<typeof ItemListQuery>;

export const ExecutionItemSummary = z.object({
  id: Uuid,
  externalIdValue: z.string().nullable(),
  displayName: z.string().nullable(),
  connectedSystemObjectType: z.string().nullable(),
  objectChangeType: ObjectChangeType,
  errorType: ErrorType.nullable(),
  outcomeSummary: z.string().nullable(),
  errorMessage: z.string().nullable(),
  sequence: z.number().int(),
  processedAt: IsoDateTime,
});
export type ExecutionItemSummary = z.infer<typeof ExecutionItemSummary>;

export const ItemFacets = z.object({
  /** Counts for the current filter, ignoring the error-type filter itself; key "none" = no error. */
  errorTypes: z.record(z.string(), z.number().int()),
  /** Counts for the current filter, ignoring the change-type filter itself. */
  changeTypes: z.record(z.string(), z.number().int()),
  objectTypes: z.record(z.string(), z.number().int()),
});
export const ExecutionItemList = pageEnvelope(ExecutionItemSummary).extend({ facets: ItemFacets });
export type ExecutionItemList = z.infer<typeof ExecutionItemList>;

export const Outcome = z.strictObject({ type: OutcomeType, count: z.number().int().min(1).max(1_000_000) });
export const AttributeChange = z.strictObject({
  attribute: z.string().min(1).max(200),
  operation: AttributeOperation,
  oldValue: z.string().max(4000).nullable().default(null),
  newValue: z.string().max(4000).nullable().default(null),
});
export type AttributeChange = z.infer<typeof AttributeChange>;

export const ExecutionItemDetail = ExecutionItemSummary.extend({
  activityId: Uuid,
  errorDetail: z.string().nullable(),
  outcomes: z.array(Outcome),
  attributeChanges: z.array(AttributeChange),
  connectedSystemId: z.number().int().nullable(),
  connectedSystemName: z.string().nullable(),
  connectedSystemObjectId: z.string().nullable(),
  metaverseObjectId: z.string().nullable(),
});
export type ExecutionItemDetail = z.infer<typeof ExecutionItemDetail>;

// ---------- activities: writes ----------
export const CreateActivityBody = z
  .strictObject({
    name: z.string().trim().min(1).max(300),
    targetType: ActivityTargetType,
    connectedSystemId: z.number().int().positive().optional(),
    runProfileId: z.number().int().positive().optional(),
    scheduleId: z.number().int().positive().optional(),
    parentActivityId: Uuid.optional(),
    objectsToProcess: z.number().int().min(0).optional(),
    message: z.string().max(1000).optional(),
    /** Initiator for engine-side callers; otherwise the API key that made the request. */
    initiatedBy: z
      .strictObject({
        type: InitiatorType,
        id: z.string().max(200).nullable().default(null),
        name: z.string().min(1).max(200),
      })
      .optional(),
  })
  .refine((b) => b.targetType !== "ConnectedSystemRunProfile" || (b.connectedSystemId && b.runProfileId), {
    message: "A ConnectedSystemRunProfile activity needs connectedSystemId and runProfileId",
    path: ["runProfileId"],
  })
  .refine((b) => b.targetType !== "Schedule" || b.scheduleId, {
    message: "A Schedule activity needs scheduleId",
    path: ["scheduleId"],
  });
export type CreateActivityBody = z.infer<typeof CreateActivityBody>;

export const ProgressBody = z.strictObject({
  objectsToProcess: z.number().int().min(0).optional(),
  objectsProcessed: z.number().int().min(0).optional(),
  message: z.string().max(1000).optional(),
  /** Current absolute values of the counters (not increments): a retried report changes nothing. */
  counters: CounterDeltas.optional(),
  warnings: z.array(z.string().min(1).max(2000)).max(100).optional(),
});
export type ProgressBody = z.infer<typeof ProgressBody>;

export const NewExecutionItem = z.strictObject({
  /** Position of the object in this run; (activity, sequence) is unique, so a retried batch adds nothing. */
  sequence: z.number().int().min(0),
  id: Uuid.optional(),
  externalIdValue: z.string().max(400).nullable().default(null),
  displayName: z.string().max(400).nullable().default(null),
  connectedSystemObjectType: z.string().max(100).nullable().default(null),
  objectChangeType: ObjectChangeType,
  errorType: ErrorType.nullable().default(null),
  errorMessage: z.string().max(4000).nullable().default(null),
  errorDetail: z.string().max(20000).nullable().default(null),
  outcomes: z.array(Outcome).max(50).default([]),
  attributeChanges: z.array(AttributeChange).max(500).default([]),
  connectedSystemObjectId: z.string().max(200).nullable().default(null),
  metaverseObjectId: z.string().max(200).nullable().default(null),
  processedAt: IsoDateTime.optional(),
});
export type NewExecutionItem = z.infer<typeof NewExecutionItem>;
export const AppendItemsBody = z.strictObject({ items: z.array(NewExecutionItem).min(1).max(MAX_ITEMS_PER_BATCH) });
export type AppendItemsBody = z.infer<typeof AppendItemsBody>;
export const AppendItemsResult = z.object({
  received: z.number().int(),
  inserted: z.number().int(),
  duplicates: z.number().int(),
});

export const CompleteActivityBody = z.strictObject({
  /** Omit to let Syncwatch derive it from errors and warnings. */
  status: z.enum(["Complete", "CompleteWithWarning", "CompleteWithError", "FailedWithError"]).optional(),
  errorMessage: z.string().max(4000).optional(),
  errorStackTrace: z.string().max(20000).optional(),
  warnings: z.array(z.string().min(1).max(2000)).max(100).optional(),
  counters: CounterDeltas.optional(),
  objectsProcessed: z.number().int().min(0).optional(),
});
export type CompleteActivityBody = z.infer<typeof CompleteActivityBody>;
export const CancelActivityBody = z.strictObject({ reason: z.string().max(1000).optional() });

export const TriggerBody = z.strictObject({});
export const TriggerResult = z.object({ activityId: Uuid, status: ActivityStatus, location: z.string() });
export type TriggerResult = z.infer<typeof TriggerResult>;

// ---------- configuration ----------
export const RunProfile = z.object({ id: z.number().int(), name: z.string(), runType: RunType });
export const ConnectedSystem = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: ConnectedSystemKind,
  description: z.string(),
  externalIdAttribute: z.string(),
  objectTypes: z.array(z.string()),
  runProfiles: z.array(RunProfile),
});
export type ConnectedSystem = z.infer<typeof ConnectedSystem>;
export const ConnectedSystemList = z.object({ items: z.array(ConnectedSystem) });
export const Schedule = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  intervalMinutes: z.number().int(),
  enabled: z.boolean(),
  steps: z.array(
    z.object({
      position: z.number().int(),
      runProfileId: z.number().int(),
      runProfileName: z.string(),
      connectedSystemId: z.number().int(),
      connectedSystemName: z.string(),
      runType: RunType,
    }),
  ),
});
export type Schedule = z.infer<typeof Schedule>;
export const ScheduleList = z.object({ items: z.array(Schedule) });

// ---------- auth and API keys ----------
export const SignInBody = z.strictObject({ apiKey: z.string().min(8).max(200) });
export const SessionInfo = z.object({
  keyId: Uuid,
  keyName: z.string(),
  role: ApiKeyRole,
  via: z.enum(["header", "session"]),
});
export type SessionInfo = z.infer<typeof SessionInfo>;
export const CreateApiKeyBody = z.strictObject({ name: z.string().trim().min(1).max(100), role: ApiKeyRole });
export const ApiKeyInfo = z.object({
  id: Uuid,
  name: z.string(),
  prefix: z.string(),
  role: ApiKeyRole,
  created: IsoDateTime,
  lastUsed: IsoDateTime.nullable(),
  revoked: IsoDateTime.nullable(),
});
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;
export const CreatedApiKey = ApiKeyInfo.extend({ secret: z.string().describe("Shown once; only its hash is stored.") });
export const ApiKeyList = z.object({ items: z.array(ApiKeyInfo) });

export const IdParam = z.strictObject({ id: Uuid });
export const ItemIdParams = z.strictObject({ id: Uuid, itemId: Uuid });
export const NumericIdParam = z.strictObject({ id: PositiveIntId });

// ---------- additions (API layer) ----------
/** GET /activities/{id}/children: paging and ordering of the direct children (oldest first by default). */
export const ChildrenQuery = z.strictObject({
  ...PageQuery,
  cursor: z.string().max(200).optional(),
  sort: z.enum(ACTIVITY_SORT_FIELDS).default("created"),
  order: sortOrder.default("asc"),
});
export type ChildrenQuery = z.infer<typeof ChildrenQuery>;
/** GET /activities/{id}/items.csv: the list's filters and order, without paging. */
export const ItemExportQuery = ItemListQuery.omit({ page: true, pageSize: true, cursor: true });
export type ItemExportQuery = z.infer<typeof ItemExportQuery>;
export const RunProfileParams = z.strictObject({ id: PositiveIntId, runProfileId: PositiveIntId });
