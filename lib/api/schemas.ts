/**
 * The shapes of /api/v1: one zod schema per request and response. Route handlers validate with
 * them, the pages take their types from them, and /api/v1/openapi.json is generated from them
 * (descriptions, ranges and examples come from here). Browser-safe: no server imports.
 */
import { z } from "zod";
import {
  ACTIVITY_STATUSES,
  ACTIVITY_TARGET_TYPES,
  API_KEY_ROLES,
  ATTRIBUTE_OPERATIONS,
  CONNECTED_SYSTEM_KINDS,
  ERROR_TYPES,
  FAILURE_RECURRENCES,
  INITIATOR_TYPES,
  OBJECT_CHANGE_TYPES,
  OBJECT_FAILURE_STATES,
  OUTCOME_TYPES,
  PHASE_STATUSES,
  RUN_TYPES,
  SAVED_VIEW_SCOPES,
} from "@/lib/domain/enums";
import { COUNTER_FIELDS, COUNTER_LABELS, type CounterField } from "@/lib/domain/counters";
import { ERROR_CODES } from "@/lib/domain/errors";
import { TREND_BUCKETS } from "@/lib/domain/failures";
import type { Completion, NewActivity, NewExecutionItem as DomainNewItem, ProgressReport } from "@/lib/domain/activity";

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;
export const PAGE_SIZES = [25, 50, 100] as const;
export const MAX_ITEMS_PER_BATCH = 1000;
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Longest wait of a long poll (?wait=). */
export const MAX_WAIT_SECONDS = 25;
export const INT4_MAX = 2_147_483_647;

// ---------- building blocks ----------

/** Text PostgreSQL can store and JSON can carry: no NUL characters, no unpaired surrogates. */
const STORABLE_TEXT = /^(?:[^\u0000\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
export const Text = (max: number) =>
  z.string().max(max).regex(STORABLE_TEXT, { error: "Text may not contain NUL characters or unpaired surrogates" });
const Name = (max: number) => Text(max).trim().min(1);

export const Uuid = z.uuid().describe("A UUID");
/** A non-negative 32-bit integer: counters, sequences, object counts (the store's column type). */
const Count = z.number().int().min(0).max(INT4_MAX);
const PositiveId = z.number().int().min(1).max(INT4_MAX);
const QueryId = z.coerce.number().int().min(1).max(INT4_MAX);
/** An id inside a list-valued query filter (the list's items arrive as text). */
const ListedId = z
  .string()
  .regex(/^\d{1,10}$/, "A positive whole number")
  .transform(Number)
  .pipe(z.number().int().min(1).max(INT4_MAX));

const MIN_DATE = Date.parse("1970-01-01T00:00:00Z");
const MAX_DATE = Date.parse("9999-12-31T23:59:59.999Z");
/** ISO 8601 date-time with an offset, from 1970 to 9999. */
export const IsoDateTime = z.iso
  .datetime({ offset: true })
  .refine((v) => {
    const t = Date.parse(v);
    return t >= MIN_DATE && t <= MAX_DATE;
  }, "Dates must lie between 1970-01-01 and 9999-12-31")
  .describe("ISO 8601 date-time with offset, between 1970 and 9999");

export const ActivityStatus = z.enum(ACTIVITY_STATUSES).meta({
  id: "ActivityStatus",
  description: "Lifecycle status: InProgress (queued or running), then one terminal status.",
});
export const ActivityTargetType = z
  .enum(ACTIVITY_TARGET_TYPES)
  .meta({ id: "ActivityTargetType", description: "What the activity ran against." });
export const InitiatorType = z
  .enum(INITIATOR_TYPES)
  .meta({ id: "InitiatorType", description: "Who triggered the activity." });
export const RunType = z.enum(RUN_TYPES).meta({ id: "RunType", description: "The operation of a run profile." });
export const ObjectChangeType = z
  .enum(OBJECT_CHANGE_TYPES)
  .meta({ id: "ObjectChangeType", description: "What happened to the object." });
export const ErrorType = z.enum(ERROR_TYPES).meta({ id: "ErrorType", description: "Why processing an object failed." });
export const FailureRecurrence = z.enum(FAILURE_RECURRENCES).meta({
  id: "FailureRecurrence",
  description: "New, or Recurring when the object failed in the previous run of the run profile too.",
});
export const ObjectFailureState = z
  .enum(OBJECT_FAILURE_STATES)
  .meta({ id: "ObjectFailureState", description: "Open while it keeps failing." });
export const OutcomeType = z.enum(OUTCOME_TYPES).describe("One outcome of processing an object");
export const AttributeOperation = z.enum(ATTRIBUTE_OPERATIONS).describe("The change made to the attribute");
export const ApiKeyRole = z
  .enum(API_KEY_ROLES)
  .meta({ id: "ApiKeyRole", description: "Administrator may write; ReadOnly may read activities." });
export const ConnectedSystemKind = z.enum(CONNECTED_SYSTEM_KINDS).describe("The kind of connected system");
export const SavedViewScope = z.enum(SAVED_VIEW_SCOPES).describe("The list the view belongs to");

/** The item schema of each list-valued query filter, so the OpenAPI document keeps their enums. */
export const LIST_ITEM_SCHEMAS = new WeakMap<z.ZodType, z.ZodType>();

/** Query values arrive as strings; lists may be repeated (?status=A&status=B) or comma-separated. */
const listOf = <T extends z.ZodType<unknown, string>>(item: T) => {
  const list = z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(","))
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(50));
  LIST_ITEM_SCHEMAS.set(list, item);
  return list;
};
const queryBoolean = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const sortOrder = z.enum(["asc", "desc"]).describe("Sort direction");
const QueryText = (max: number) => Text(max).trim().min(1);

export const PageQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).describe("Page number, 1-based (offset paging)"),
  pageSize: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .describe(`Rows per page, at most ${MAX_PAGE_SIZE}`),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .describe("The nextCursor of the previous page: keyset paging, as fast at any depth (page is then ignored)"),
};
const WaitQuery = {
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_WAIT_SECONDS)
    .optional()
    .describe(
      `Long poll: with If-None-Match, wait up to this many seconds (at most ${MAX_WAIT_SECONDS}) for a change before answering 304`,
    ),
};

export const ErrorCode = z.enum(ERROR_CODES).meta({ id: "ErrorCode", description: "Machine-readable error code" });
export type ErrorCode = z.infer<typeof ErrorCode>;
export const ErrorBody = z
  .object({
    code: ErrorCode,
    message: z.string().describe("What went wrong, for people"),
    details: z.unknown().optional().describe("Structured detail: e.g. the invalid fields [{ path, code, message }]"),
    requestId: z.string().optional().describe("Quote it when reporting a server error (500)"),
  })
  .meta({
    id: "ErrorBody",
    description: "Every error answer",
    examples: [{ code: "NOT_FOUND", message: "Activity 0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00 does not exist." }],
  });
export type ErrorBody = z.infer<typeof ErrorBody>;

const pageFields = {
  totalCount: z.number().int().describe("Rows that match, counted up to a cap (see totalCountCapped)"),
  totalCountCapped: z
    .boolean()
    .describe("True when more rows match than were counted: totalCount is then a lower bound"),
  page: z.number().int().describe("This page's number (1 when paging by cursor)"),
  pageSize: z.number().int().describe("Rows per page"),
  totalPages: z.number().int().describe("Pages of totalCount rows"),
  hasNextPage: z.boolean().describe("Whether another page follows"),
  hasPreviousPage: z.boolean().describe("Whether a page precedes this one"),
  nextCursor: z
    .string()
    .nullable()
    .describe("Cursor of the next page (deep paging without OFFSET); null on the last page"),
};
const pageEnvelope = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item).describe("The rows of this page"), ...pageFields });

// ---------- counters ----------
export const ExecutionStats = z
  .object(
    Object.fromEntries(COUNTER_FIELDS.map((f) => [f, Count.describe(COUNTER_LABELS[f])])) as Record<
      CounterField,
      z.ZodNumber
    >,
  )
  .meta({ id: "ExecutionStats", description: "The 23 counters of a run" });
export type ExecutionStats = z.infer<typeof ExecutionStats>;
/** Sums over many runs outgrow a single run's 32-bit counters: these are whole numbers without that bound. */
const Total = z.number().int().min(0);
export const RolledUpStats = z
  .object(
    Object.fromEntries(COUNTER_FIELDS.map((f) => [f, Total.describe(COUNTER_LABELS[f])])) as Record<
      CounterField,
      z.ZodNumber
    >,
  )
  .meta({ id: "RolledUpStats", description: "The 23 counters summed over several runs" });
const CounterValues = z.strictObject(
  Object.fromEntries(COUNTER_FIELDS.map((f) => [f, Count.optional().describe(COUNTER_LABELS[f])])) as Record<
    CounterField,
    z.ZodOptional<z.ZodNumber>
  >,
);
const TypeCounts = z
  .record(z.string(), z.number().int())
  .describe("Items per type, recorded when the run ended (outlives item retention)");
export const StatsResponse = ExecutionStats.extend({
  errorTypeCounts: TypeCounts,
  objectTypeCounts: TypeCounts,
}).meta({
  id: "ExecutionStatsWithTypes",
  description: "The 23 counters, and the failed items per error type and items per object type",
});
export type StatsResponse = z.infer<typeof StatsResponse>;

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
  status: listOf(ActivityStatus).optional().describe("Statuses (any of)"),
  targetType: listOf(ActivityTargetType).optional().describe("Target types (any of)"),
  runType: listOf(RunType).optional().describe("Run types of run-profile activities (any of)"),
  connectedSystemId: QueryId.optional().describe("Activities of this connected system"),
  runProfileId: QueryId.optional().describe("Activities of this run profile"),
  scheduleId: QueryId.optional().describe("Executions of this schedule, and their steps when topLevelOnly=false"),
  scheduleExecutionId: Uuid.optional().describe("The steps of this schedule execution"),
  initiatorType: InitiatorType.optional().describe("Who triggered it"),
  initiatorName: QueryText(200).optional().describe("Exact initiator name"),
  search: QueryText(200).optional().describe("Part of the activity's name, any case (% and _ are literal)"),
  from: IsoDateTime.optional().describe("Created at or after"),
  to: IsoDateTime.optional().describe("Created at or before"),
  topLevelOnly: queryBoolean.default(true).describe("Leave out the steps of schedule executions (default true)"),
  hasErrors: queryBoolean.optional().describe("Only activities with (true) or without (false) errors"),
  parentId: Uuid.optional().describe("The direct children of this activity"),
  newerThan: IsoDateTime.optional().describe(
    "Also count the matching activities created after this moment (newerCount)",
  ),
  sort: z.enum(ACTIVITY_SORT_FIELDS).default("created").describe("Sort column"),
  order: sortOrder.default("desc"),
  ...WaitQuery,
});
export type ActivityListQuery = z.infer<typeof ActivityListQuery>;
/** Filters a schedule step can match: with one of them, the steps topLevelOnly leaves out are counted (stepMatches). */
export const STEP_MATCHING_FILTERS = [
  "status",
  "runType",
  "connectedSystemId",
  "runProfileId",
  "hasErrors",
  "search",
  "scheduleId",
] as const satisfies readonly (keyof ActivityListQuery)[];

export const Initiator = z
  .object({
    type: InitiatorType,
    id: z
      .string()
      .nullable()
      .describe("Metaverse object id of a User, API key id of an ApiKey, e.g. the schedule id for System"),
    name: z.string().describe("Display name of the initiator"),
  })
  .meta({ id: "Initiator", description: "Who or what triggered the activity" });

export const ActivityProgress = z
  .object({
    objectsToProcess: z.number().int().nullable().describe("Objects the run will process; null while unknown"),
    objectsProcessed: z.number().int().describe("Objects processed so far"),
    percent: z.number().nullable().describe("0–100; null while the total is unknown"),
    message: z.string().nullable().describe("What the run is doing now"),
  })
  .meta({ id: "ActivityProgress", description: "How far the activity is" });

export const QueueInfo = z
  .object({
    position: z.number().int().min(1).describe("Place in the queue of its lane: 1 = next to start"),
    lane: z
      .string()
      .describe('The queue it waits in: one run per connected system ("cs:3") or schedule ("schedule:1")'),
    behind: z
      .object({ id: Uuid.describe("Id of that run"), name: z.string().describe("Name of that run") })
      .nullable()
      .describe("The run it waits behind: the one ahead in the queue, or the one running in its lane"),
  })
  .meta({ id: "QueueInfo", description: "Present while the activity waits to start (started is null)" });

export const ActivitySummary = z
  .object({
    id: Uuid,
    name: z.string().describe("Name of the activity"),
    targetType: ActivityTargetType,
    connectedSystemId: z.number().int().nullable().describe("Connected system of a run profile"),
    connectedSystemName: z.string().nullable().describe("Name of the connected system"),
    runProfileId: z.number().int().nullable().describe("Id of the run profile"),
    runProfileName: z.string().nullable().describe("Name of the run profile"),
    runType: RunType.nullable().describe("Operation of the run profile; null for other activities"),
    scheduleId: z.number().int().nullable().describe("The schedule of a schedule execution or of one of its steps"),
    scheduleName: z.string().nullable().describe("Name of the schedule"),
    scheduleExecutionId: Uuid.nullable().describe("For a step: the schedule execution (the parent activity)"),
    stepIndex: z.number().int().nullable().describe("For a step: its 1-based position in the schedule"),
    targetName: z
      .string()
      .describe('What the list shows and sorts as Target: the schedule, "system / run profile", or the type'),
    status: ActivityStatus,
    queue: QueueInfo.nullable().describe("Where it waits, while it waits to start; null once started"),
    initiatedBy: Initiator,
    created: IsoDateTime.describe("When the activity was created (queued)"),
    started: IsoDateTime.nullable().describe("When processing began; null while queued"),
    ended: IsoDateTime.nullable().describe("When it reached a terminal status"),
    executionTimeMs: z
      .number()
      .int()
      .nullable()
      .describe("Milliseconds from start to end (to now while running); null while queued"),
    totalActivityTimeMs: z.number().int().nullable().describe("Milliseconds from creation to end, queueing included"),
    progress: ActivityProgress,
    totalObjectsProcessed: z.number().int().describe("Objects processed (the counter)"),
    totalObjectChangeCount: z.number().int().describe("Objects that changed"),
    totalObjectErrors: z.number().int().describe("Objects that failed"),
    errorMessage: z.string().nullable().describe("Why the activity failed, when it did"),
    warningCount: z.number().int().describe("Number of warnings recorded"),
    parentActivityId: Uuid.nullable(),
    childCount: z.number().int().describe("Number of direct child activities (steps)"),
    itemCount: z.number().int().describe("Execution items recorded for the run"),
    itemsRetained: z.boolean().describe("False once retention removed the run's execution items"),
    itemsPurgedAt: IsoDateTime.nullable().describe("When retention removed the execution items"),
    previousRunId: Uuid.nullable().describe("The previous activity of the same run profile"),
  })
  .meta({ id: "ActivitySummary", description: "An activity as lists show it" });
export type ActivitySummary = z.infer<typeof ActivitySummary>;

export const ActivityList = z
  .object({
    items: z.array(ActivitySummary).describe("The activities of this page"),
    ...pageFields,
    stepMatches: z
      .object({
        count: z.number().int().describe("Matching steps, counted up to the cap"),
        capped: z.boolean().describe("True when more matched than were counted"),
      })
      .nullable()
      .describe(
        "With topLevelOnly and a filter that steps can match: the matching steps left out (topLevelOnly=false shows them)",
      ),
    newerCount: z.number().int().nullable().describe("With newerThan: matching activities created after it"),
  })
  .meta({ id: "ActivityList", description: "A page of activities" });
export type ActivityList = z.infer<typeof ActivityList>;

export const Phase = z
  .object({
    name: z.string().describe('The phase ("Connecting", "Importing", ...)'),
    status: z.enum(PHASE_STATUSES).describe("Running while it is the current phase, then how it ended"),
    started: IsoDateTime,
    ended: IsoDateTime.nullable(),
  })
  .meta({ id: "Phase", description: "A phase of a run" });

export const ActivityDetail = ActivitySummary.extend({
  warnings: z.array(z.string()).describe("Non-fatal warnings"),
  errorStackTrace: z.string().nullable().describe("Stack trace of the failure, when there is one"),
  cancelRequested: z.boolean().describe("Whether someone asked the activity to stop"),
  counters: ExecutionStats,
  errorTypeCounts: TypeCounts,
  objectTypeCounts: TypeCounts,
  phases: z.array(Phase).describe("The run's phases so far"),
  reportedBy: z
    .enum(["engine", "api"])
    .describe("engine: run by Syncwatch's engine (owned by a server instance); api: recorded by an outside reporter"),
  lastReportAt: IsoDateTime.nullable().describe("The last progress report or item batch (the heartbeat)"),
  version: z.number().int().describe("Moves on every change (the ETag)"),
}).meta({ id: "ActivityDetail", description: "One activity with everything recorded about it" });
export type ActivityDetail = z.infer<typeof ActivityDetail>;

export const ActivityTreeNode: z.ZodType<ActivityTreeNode> = z
  .lazy(() =>
    ActivitySummary.extend({
      counters: ExecutionStats,
      children: z.array(ActivityTreeNode).describe("Its children, oldest first"),
    }),
  )
  .meta({ id: "ActivityTreeNode", description: "An activity with its descendants" });
export type ActivityTreeNode = ActivitySummary & { counters: ExecutionStats; children: ActivityTreeNode[] };
export const ActivityTree = z
  .object({
    root: ActivityTreeNode,
    rollup: RolledUpStats.describe("Counters summed over every run-profile descendant"),
    nodeCount: z.number().int().describe("Activities in the tree, the root included"),
  })
  .meta({ id: "ActivityTree" });
export type ActivityTree = z.infer<typeof ActivityTree>;

// ---------- progress ----------
export const ProgressSample = z.object({
  at: IsoDateTime,
  objectsToProcess: z.number().int().nullable().describe("Objects to process; null while unknown"),
  objectsProcessed: z.number().int().describe("Objects processed so far"),
  totalObjectChangeCount: z.number().int().describe("Objects that changed"),
  totalObjectErrors: z.number().int().describe("Objects that failed"),
  counters: CounterValues.describe("The non-zero counters at that moment"),
});
export type ProgressSample = z.infer<typeof ProgressSample>;

const counterGroup = (what: string) => z.record(z.string(), z.number().int()).describe(`The counters of ${what}`);
const OperationCounts = z
  .object({
    import: counterGroup("imports: objects added, updated, deleted; exports confirmed"),
    synchronisation: counterGroup("synchronisation: projections, joins, attribute flows, disconnections, provisioning"),
    export: counterGroup("exports: exported, deprovisioned, pending exports"),
    all: counterGroup("every operation: processed, changed, unchanged, errors, object types, created"),
  })
  .describe("The counters by operation");

/** Step N of M of a schedule execution. */
export const CurrentStep = z
  .object({
    index: z.number().int().describe("N: the 1-based index of the step"),
    count: z.number().int().describe("M: the steps planned"),
    name: z.string().describe("The step's name (system: run profile)"),
  })
  .meta({ id: "CurrentStep", description: "For a schedule execution: the step running now (step N of M)" });

export const ProgressSnapshot = z
  .object({
    activityId: Uuid,
    status: ActivityStatus,
    state: z.enum(["Queued", "Running", "Ended"]).describe("Queued until processing starts"),
    queue: QueueInfo.nullable().describe("Where it waits, while it waits to start; null once started"),
    unit: z
      .enum(["objects", "steps"])
      .describe("What percentComplete measures: objects for runs, steps for schedule executions"),
    percentComplete: z.number().nullable().describe("0–100; null while unknown"),
    objectsProcessed: z.number().int().describe("Objects processed (for a schedule: by all its steps so far)"),
    objectsToProcess: z
      .number()
      .int()
      .nullable()
      .describe("Objects to process; null while unknown (always for a schedule)"),
    objectsPerSecond: z
      .number()
      .nullable()
      .describe("Rate over the last 20 seconds of samples; null before there is one"),
    estimatedSecondsRemaining: z.number().nullable().describe("Time to the end; null when there is nothing to go on"),
    estimateBasis: z
      .enum(["recent-rate", "previous-runs", "mixed"])
      .nullable()
      .describe("What the estimate rests on: this run's recent rate, earlier runs of the same run profile, or both"),
    elapsedSeconds: z.number().nullable().describe("Seconds since processing started"),
    operationCounts: OperationCounts,
    phases: z.array(Phase).describe("The run's phases so far"),
    currentStep: CurrentStep.nullable().describe("For a schedule execution: step N of M; null otherwise"),
    steps: z
      .object({
        completed: z.number().int().describe("Steps that ended"),
        total: z.number().int().describe("Steps planned"),
      })
      .nullable()
      .describe("For a schedule execution: steps ended and planned"),
    sampledAt: IsoDateTime.describe("When this snapshot was computed"),
  })
  .meta({ id: "ProgressSnapshot", description: "Where a run stands, computed on the server" });
export type ProgressSnapshot = z.infer<typeof ProgressSnapshot>;

export const SamplesQuery = z.strictObject({
  after: IsoDateTime.optional().describe("Only samples taken after this moment, oldest first (the tail)"),
  limit: z.coerce.number().int().min(1).max(5000).default(1000).describe("With after: at most this many samples"),
  maxPoints: z.coerce
    .number()
    .int()
    .min(2)
    .max(5000)
    .optional()
    .describe("Without after: at most this many samples spread evenly over the whole run"),
});
export const ProgressSampleList = z
  .object({
    activityId: Uuid,
    status: ActivityStatus,
    samples: z.array(ProgressSample).describe("Oldest first"),
    totalSamples: z.number().int().describe("Samples recorded for the activity"),
    downsampled: z
      .boolean()
      .describe("True when samples were spread over the run (maxPoints) rather than all returned"),
    hasMore: z.boolean().describe("With after: more samples follow the last one returned (ask again with its time)"),
  })
  .meta({ id: "ProgressSampleList", description: "Progress samples, never silently truncated" });
export type ProgressSampleList = z.infer<typeof ProgressSampleList>;

export const SnapshotQuery = z.strictObject({
  samplesAfter: IsoDateTime.optional().describe(
    "Include the samples taken after this moment (at most 200) in newSamples",
  ),
  ...WaitQuery,
});
export const LiveSnapshot = z
  .object({
    activity: ActivityDetail,
    progress: ProgressSnapshot,
    newSamples: z.array(ProgressSample).describe("Samples after samplesAfter (empty without it)"),
    moreSamples: z.boolean().describe("More samples followed than were included: fetch them from /progress/samples"),
  })
  .meta({ id: "LiveSnapshot", description: "Everything a watcher of one activity needs, in one answer" });
export type LiveSnapshot = z.infer<typeof LiveSnapshot>;

export const Comparison = z
  .object({
    activityId: Uuid,
    previous: ActivitySummary.nullable().describe("The previous run of the same run profile; null when there is none"),
    metrics: z
      .array(
        z.object({
          metric: z
            .enum(["errors", "changes", "processed", "durationMs", "objectsPerSecond"])
            .describe("Which figure: errors, changes, processed objects, duration (ms) or objects per second"),
          current: z.number().nullable().describe("This run's figure; null when unknown yet"),
          previous: z.number().nullable().describe("The previous run's figure; null when unknown"),
          delta: z.number().nullable().describe("current − previous"),
          deltaPercent: z
            .number()
            .nullable()
            .describe("Change relative to previous, in percent; null when previous is 0 or unknown"),
        }),
      )
      .describe("Headline figures side by side"),
    errorTypes: z
      .array(
        z.object({
          errorType: ErrorType,
          current: z.number().int().describe("Failed items of this type in this run"),
          previous: z.number().int().describe("Failed items of this type in the previous run"),
          delta: z.number().int().describe("This run minus the previous one"),
        }),
      )
      .describe("Failed items per error type in both runs"),
    recurrence: z
      .object({
        new: z.number().int().describe("Failed items whose object did not fail in the previous run"),
        recurring: z.number().int().describe("Failed items whose object failed in the previous run too"),
      })
      .describe("This run's failed items that are new, and that failed in the previous run too"),
  })
  .meta({ id: "Comparison", description: "A run next to the previous run of its run profile" });
export type Comparison = z.infer<typeof Comparison>;

// ---------- execution items ----------
export const ITEM_SORT_FIELDS = [
  "sequence",
  "displayName",
  "externalIdValue",
  "objectChangeType",
  "errorType",
  "connectedSystemObjectType",
] as const;
const ItemFilterQuery = {
  errorType: listOf(z.union([ErrorType, z.enum(["any", "none"])]))
    .optional()
    .describe('Error types (any of), or "any" (some error) / "none" (no error)'),
  changeType: listOf(ObjectChangeType).optional().describe("Change types (any of)"),
  objectType: listOf(QueryText(100)).optional().describe("Object types (any of)"),
  recurrence: listOf(FailureRecurrence).optional().describe("New or Recurring failures (any of)"),
  search: QueryText(200).optional().describe("Part of the display name or external id, any case"),
  sort: z.enum(ITEM_SORT_FIELDS).default("sequence").describe("Sort column"),
  order: sortOrder.default("asc"),
};
export const ItemListQuery = z.strictObject({ ...PageQuery, ...ItemFilterQuery });
export type ItemListQuery = z.infer<typeof ItemListQuery>;
export const ItemExportQuery = z.strictObject(ItemFilterQuery);
export type ItemExportQuery = z.infer<typeof ItemExportQuery>;

export const ExecutionItemSummary = z
  .object({
    id: Uuid,
    externalIdValue: z.string().nullable().describe("External id of the processed object"),
    displayName: z.string().nullable().describe("Display name of the object"),
    connectedSystemObjectType: z.string().nullable().describe("Object type (user, group, ...)"),
    objectChangeType: ObjectChangeType,
    errorType: ErrorType.nullable().describe("Why processing the object failed; null when it did not"),
    recurrence: FailureRecurrence.nullable().describe("For a failed item: New or Recurring"),
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
export const ExecutionItemList = z
  .object({
    items: z.array(ExecutionItemSummary).describe("The rows of this page"),
    ...pageFields,
    facets: ItemFacets.describe("Counts per error type, change type, object type and recurrence for the other filters"),
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
    .describe("The object's failure record across runs, when it has one"),
}).meta({ id: "ExecutionItemDetail", description: "One execution item with its outcomes, changes and history" });
export type ExecutionItemDetail = z.infer<typeof ExecutionItemDetail>;

// ---------- activities: writes ----------
export const CreateActivityBody = z
  .strictObject({
    name: Name(300).describe("Name shown in lists"),
    targetType: ActivityTargetType,
    connectedSystemId: PositiveId.optional().describe("Required for ConnectedSystemRunProfile"),
    runProfileId: PositiveId.optional().describe("Required for ConnectedSystemRunProfile"),
    scheduleId: PositiveId.optional().describe("Required for Schedule"),
    parentActivityId: Uuid.optional().describe("The running schedule execution this activity is a step of"),
    stepIndex: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe("For a step: its 1-based position in the schedule"),
    objectsToProcess: Count.optional().describe("Objects to process; null while unknown"),
    message: Text(1000).optional().describe("What the activity is doing, for people"),
    initiatedBy: z
      .strictObject({
        type: InitiatorType,
        id: Text(200).nullable().default(null).describe("Metaverse object id of a user, key id, schedule id"),
        name: Name(200).describe("Display name of the initiator"),
      })
      .optional()
      .describe("Who triggered it; default: the API key that makes the request"),
  })
  .refine((b) => b.targetType !== "ConnectedSystemRunProfile" || (b.connectedSystemId && b.runProfileId), {
    message: "A ConnectedSystemRunProfile activity needs connectedSystemId and runProfileId",
    path: ["runProfileId"],
  })
  .refine((b) => b.targetType !== "Schedule" || b.scheduleId, {
    message: "A Schedule activity needs scheduleId",
    path: ["scheduleId"],
  })
  .meta({
    id: "CreateActivityBody",
    description: "A new activity, started now by an outside reporter",
    examples: [
      {
        name: "HR: Delta Import",
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: 1,
        runProfileId: 2,
        objectsToProcess: 1200,
      },
    ],
  });
export type CreateActivityBody = z.infer<typeof CreateActivityBody>;

export const ProgressBody = z
  .strictObject({
    objectsToProcess: Count.optional().describe("Objects to process; null while unknown"),
    objectsProcessed: Count.optional().describe("May not exceed objectsToProcess"),
    message: Text(1000).optional().describe("What the activity is doing, for people"),
    counters: CounterValues.optional().describe("Current absolute values (not increments): the last report wins"),
    warnings: z.array(Name(2000)).max(100).optional().describe("Non-fatal warnings (added to those already recorded)"),
    phase: Name(100)
      .optional()
      .describe('The phase the run is in now ("Connecting", "Importing", ...); the previous phase ends'),
  })
  .refine(
    (b) =>
      b.objectsProcessed === undefined || b.objectsToProcess === undefined || b.objectsProcessed <= b.objectsToProcess,
    {
      message: "objectsProcessed may not exceed objectsToProcess",
      path: ["objectsProcessed"],
    },
  )
  .meta({
    id: "ProgressBody",
    description: "A progress report; an empty one is a heartbeat",
    examples: [
      {
        objectsProcessed: 600,
        objectsToProcess: 1200,
        message: "Importing person objects: 600 of 1,200",
        counters: { totalCsoUpdates: 14 },
      },
    ],
  });
export type ProgressBody = z.infer<typeof ProgressBody>;

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

export const CompleteActivityBody = z
  .strictObject({
    status: z
      .enum(["Complete", "CompleteWithWarning", "CompleteWithError", "FailedWithError"])
      .optional()
      .describe(
        "Omit to derive it from errors and warnings; a status less severe than the counters say is refused (409)",
      ),
    errorMessage: Text(4000).optional().describe("The error message, when there is one"),
    errorStackTrace: Text(20000).optional().describe("The stack trace of the failure"),
    warnings: z.array(Name(2000)).max(100).optional().describe("Non-fatal warnings (added to those already recorded)"),
    counters: CounterValues.optional().describe("Current absolute values of counters (not increments)"),
    objectsProcessed: Count.optional().describe("Objects processed so far"),
    message: Text(1000).optional().describe("The closing message for people; omit to keep the last progress message"),
  })
  .meta({
    id: "CompleteActivityBody",
    description: "The end of an activity",
    examples: [
      {
        counters: { totalObjectsProcessed: 1200, totalCsoUpdates: 14, totalObjectErrors: 2 },
        objectsProcessed: 1200,
        message: "Importing objects: 1,200 of 1,200 done",
      },
    ],
  });
export type CompleteActivityBody = z.infer<typeof CompleteActivityBody>;
export const CancelActivityBody = z
  .strictObject({ reason: Text(1000).optional().describe('Why; the activity then says "Cancelled: <reason>"') })
  .meta({ id: "CancelActivityBody" });

export const TriggerBody = z.strictObject({}).meta({ id: "TriggerBody", description: "Empty" });
export const TriggerResult = z
  .object({
    activityId: Uuid,
    status: ActivityStatus,
    queued: z.boolean().describe("True when it waits for another run of its lane"),
    queuePosition: z
      .number()
      .int()
      .nullable()
      .describe("Place in the queue when it waits (1 = next); null when it started"),
    deduplicated: z
      .boolean()
      .describe("True when a queued run of the same target already existed and is returned instead"),
    location: z.string().describe("URL of the activity"),
  })
  .meta({ id: "TriggerResult" });
export type TriggerResult = z.infer<typeof TriggerResult>;

// ---------- schedule executions ----------
const StepTarget = {
  connectedSystemId: z.number().int().describe("Id of the connected system"),
  connectedSystemName: z.string().describe("Name of the connected system"),
  runProfileId: z.number().int().describe("Id of the run profile"),
  runProfileName: z.string().describe("Name of the run profile"),
  runType: RunType,
};
export const ScheduleStepView = z.object({
  stepIndex: z.number().int().describe("1-based"),
  name: z.string().describe("The step's name (system: run profile)"),
  ...StepTarget,
  parallelGroup: z.number().int().nullable().describe("Steps with the same group run side by side"),
  status: z.union([ActivityStatus, z.literal("Pending")]).describe("Pending until the step's activity exists"),
  activityId: Uuid.nullable(),
  queue: QueueInfo.nullable().describe("Where it waits, while it waits to start; null once started"),
  started: IsoDateTime.nullable(),
  ended: IsoDateTime.nullable(),
  executionTimeMs: z
    .number()
    .int()
    .nullable()
    .describe("Milliseconds from start to end (to now while running); null while queued"),
  expectedDurationMs: z.number().int().nullable().describe("Median execution time of recent runs of the run profile"),
  objectsProcessed: z.number().int().describe("Objects processed so far"),
  objectsToProcess: z.number().int().nullable().describe("Objects to process; null while unknown"),
  totalObjectChangeCount: z.number().int().describe("Objects that changed"),
  totalObjectErrors: z.number().int().describe("Objects that failed"),
  errorMessage: z.string().nullable().describe("The error message, when there is one"),
});
export type ScheduleStepView = z.infer<typeof ScheduleStepView>;

export const ScheduleExecutionSummary = z
  .object({
    id: Uuid.describe("The schedule execution's activity id"),
    scheduleId: z.number().int().nullable().describe("Id of the schedule"),
    scheduleName: z.string().nullable().describe("Name of the schedule"),
    name: z.string().describe("Name of the schedule execution"),
    status: ActivityStatus,
    queue: QueueInfo.nullable().describe("Where it waits, while it waits to start; null once started"),
    initiatedBy: Initiator,
    created: IsoDateTime,
    started: IsoDateTime.nullable(),
    ended: IsoDateTime.nullable(),
    executionTimeMs: z
      .number()
      .int()
      .nullable()
      .describe("Milliseconds from start to end (to now while running); null while queued"),
    stepCount: z.number().int().describe("Steps planned"),
    stepsCompleted: z.number().int().describe("Steps that ended"),
    currentStep: CurrentStep.nullable().describe("For a schedule execution: step N of M; null otherwise"),
    totalObjectsProcessed: z.number().int().describe("Objects processed"),
    totalObjectErrors: z.number().int().describe("Objects that failed"),
  })
  .meta({ id: "ScheduleExecutionSummary" });
export type ScheduleExecutionSummary = z.infer<typeof ScheduleExecutionSummary>;
export const ScheduleExecutionListQuery = z.strictObject({
  ...PageQuery,
  scheduleId: QueryId.optional().describe("Id of the schedule"),
  status: listOf(ActivityStatus).optional().describe("Statuses (any of)"),
  order: sortOrder.default("desc").describe("By creation"),
});
export const ScheduleExecutionList = pageEnvelope(ScheduleExecutionSummary).meta({ id: "ScheduleExecutionList" });
export type ScheduleExecutionList = z.infer<typeof ScheduleExecutionList>;
export const ScheduleExecution = ScheduleExecutionSummary.extend({
  steps: z.array(ScheduleStepView).describe("Every planned step, pending ones included"),
  progress: ProgressSnapshot,
}).meta({ id: "ScheduleExecution", description: "A schedule execution with all its steps" });
export type ScheduleExecution = z.infer<typeof ScheduleExecution>;
export const ActiveScheduleExecutions = z
  .object({ items: z.array(ScheduleExecutionSummary).describe("Running or queued executions, oldest first") })
  .meta({ id: "ActiveScheduleExecutions" });

// ---------- operations ----------
export const OperationsView = z
  .object({
    running: z.array(ActivitySummary).describe("Started and not ended, oldest first"),
    queued: z.array(ActivitySummary).describe("Waiting to start, in queue order"),
    upcoming: z
      .array(
        z.object({
          scheduleId: z.number().int().describe("Id of the schedule"),
          name: z.string().describe("Name of the schedule"),
          intervalMinutes: z.number().int().describe("Minutes between executions"),
          enabled: z.boolean().describe("Whether the scheduler fires it"),
          nextRunAt: IsoDateTime.nullable().describe(
            "When the scheduler fires it next; null when it does not fire on its own",
          ),
          lastExecution: z
            .object({ id: Uuid, status: ActivityStatus, created: IsoDateTime })
            .nullable()
            .describe("The latest execution; null when there is none"),
        }),
      )
      .describe("Schedules by next fire time"),
    engine: z
      .object({
        enabled: z.boolean().describe("This server runs the engine"),
        autorun: z.boolean().describe("Schedules fire on their own"),
        scheduler: z.boolean().describe("This instance holds the scheduler lease (runs the queue and the timers)"),
      })
      .describe("What this server does"),
  })
  .meta({ id: "OperationsView", description: "What runs now, what waits, and what the scheduler fires next" });
export type OperationsView = z.infer<typeof OperationsView>;

// ---------- failures across runs ----------
const FailureFilterQuery = {
  state: listOf(ObjectFailureState).optional().describe("Default: Open"),
  errorType: listOf(ErrorType).optional().describe("Why processing the object failed; null when it did not"),
  connectedSystemId: listOf(ListedId).optional().describe("Id of the connected system"),
  objectType: listOf(QueryText(100)).optional().describe("Object type; null when unknown"),
  search: QueryText(200).optional().describe("Part of the display name or external id"),
  from: IsoDateTime.optional().describe("Last seen failing at or after (default: 7 days ago)"),
  to: IsoDateTime.optional().describe("Last seen failing at or before (default: now)"),
};
export const FailureGroupQuery = z.strictObject({
  ...FailureFilterQuery,
  page: PageQuery.page,
  pageSize: PageQuery.pageSize,
});
export const FailureGroup = z.object({
  errorType: ErrorType,
  connectedSystemId: z.number().int().describe("Id of the connected system"),
  connectedSystemName: z.string().describe("Name of the connected system"),
  objectType: z.string().nullable().describe("Object type; null when unknown"),
  objects: z.number().int().describe("Failing objects in the group"),
  newObjects: z.number().int().describe("Of those, first seen failing within the range"),
  failedInRange: z.number().int().describe("Failures (object × run) within the range"),
  recoveredInRange: z.number().int().describe("Objects of the group that recovered within the range"),
  trend: z
    .array(
      z.object({
        start: IsoDateTime.describe("Start of the bucket"),
        failed: z.number().int().describe("Failures (object × run) in the bucket"),
        recovered: z.number().int().describe("Recoveries in the bucket"),
      }),
    )
    .describe("Failures and recoveries per bucket (hour or day) over the range"),
});
export const FailureGroupList = z
  .object({
    items: z.array(FailureGroup).describe("The groups of this page, largest first"),
    ...pageFields,
    range: z
      .object({
        from: IsoDateTime.describe("Start of the range"),
        to: IsoDateTime.describe("End of the range"),
        bucket: z
          .enum(TREND_BUCKETS)
          .describe("Size of the trend buckets: hours up to two days, then days, weeks, months; years past ~34 years"),
      })
      .describe("The time range the counts and trends cover"),
  })
  .meta({
    id: "FailureGroupList",
    description: "Failing objects grouped by error type × connected system × object type",
  });
export type FailureGroupList = z.infer<typeof FailureGroupList>;

export const FAILURE_SORT_FIELDS = ["lastSeen", "firstSeen", "consecutiveRuns", "displayName"] as const;
export const FailureObjectQuery = z.strictObject({
  ...PageQuery,
  ...FailureFilterQuery,
  sort: z.enum(FAILURE_SORT_FIELDS).default("lastSeen").describe("Sort column"),
  order: sortOrder.default("desc"),
});
export const FailureExportQuery = FailureObjectQuery.omit({ page: true, pageSize: true, cursor: true });
export const FailureObject = z
  .object({
    id: Uuid,
    connectedSystemId: z.number().int().describe("Id of the connected system"),
    connectedSystemName: z.string().describe("Name of the connected system"),
    externalIdValue: z.string().nullable().describe("External id of the object"),
    displayName: z.string().nullable().describe("Display name of the object"),
    objectType: z.string().nullable().describe("Object type; null when unknown"),
    state: ObjectFailureState,
    firstSeen: IsoDateTime.describe("When this failing streak began"),
    lastSeen: IsoDateTime,
    consecutiveRuns: z.number().int().describe("Runs in a row of the same run profile in which it failed"),
    totalFailures: z.number().int().describe("Runs in which it failed"),
    lastErrorType: ErrorType,
    lastErrorMessage: z.string().nullable().describe("Message of the latest failure"),
    lastActivityId: Uuid,
    lastRunProfileId: z.number().int().nullable().describe("Run profile of the latest failure"),
    lastRunProfileName: z.string().nullable().describe("Name of that run profile"),
    recoveredAt: IsoDateTime.nullable(),
    recoveredActivityId: Uuid.nullable(),
  })
  .meta({ id: "FailureObject", description: "One object's failures across runs" });
export type FailureObject = z.infer<typeof FailureObject>;
export const FailureObjectList = pageEnvelope(FailureObject).meta({ id: "FailureObjectList" });
export type FailureObjectList = z.infer<typeof FailureObjectList>;
export const FailureObjectDetail = FailureObject.extend({
  history: z
    .array(
      z.object({
        kind: z.enum(["Failed", "Recovered"]).describe("Failed, or Recovered"),
        at: IsoDateTime,
        activityId: Uuid,
        activityName: z.string().describe("Name of the run"),
        activityExists: z.boolean().describe("False once retention removed the activity"),
        errorType: ErrorType.nullable().describe("The error of that failure; null for a recovery"),
        errorMessage: z.string().nullable().describe("The error message, when there is one"),
      }),
    )
    .describe("Newest first, at most 200"),
}).meta({ id: "FailureObjectDetail" });
export type FailureObjectDetail = z.infer<typeof FailureObjectDetail>;

// ---------- saved views ----------
export const SavedView = z
  .object({
    id: Uuid,
    scope: SavedViewScope,
    name: z.string().describe("Name of the view, unique per key and scope"),
    query: z.string().describe('The list\'s query string, e.g. "status=FailedWithError&topLevelOnly=false"'),
    isDefault: z.boolean().describe("Opened when the list is opened without filters"),
    created: IsoDateTime,
    updated: IsoDateTime,
  })
  .meta({ id: "SavedView", description: "A named set of list filters, of the API key that saved it" });
export type SavedView = z.infer<typeof SavedView>;
export const SavedViewList = z
  .object({ items: z.array(SavedView).describe("By scope, then name") })
  .meta({ id: "SavedViewList" });
export const SavedViewListQuery = z.strictObject({ scope: SavedViewScope.optional() });
const ViewQueryText = Text(2000).refine(
  (q) => !q.startsWith("?") && !/[\s#]/.test(q),
  "A query string without ?, # or spaces",
);
export const CreateSavedViewBody = z
  .strictObject({
    scope: SavedViewScope,
    name: Name(100).describe("Name, unique per key and scope"),
    query: ViewQueryText.describe("The list's query string"),
    isDefault: z.boolean().default(false).describe("Open it when the list is opened without filters"),
  })
  .meta({
    id: "CreateSavedViewBody",
    examples: [{ scope: "Activities", name: "Failed steps", query: "status=FailedWithError&topLevelOnly=false" }],
  });
export const UpdateSavedViewBody = z
  .strictObject({
    name: Name(100).optional().describe("New name"),
    query: ViewQueryText.optional().describe("New query string"),
    isDefault: z.boolean().optional().describe("Make it (or no longer) the default of its scope"),
  })
  .meta({ id: "UpdateSavedViewBody" });

// ---------- configuration ----------
export const RunProfile = z.object({
  id: z.number().int().describe("Id of the run profile"),
  name: z.string().describe("Name of the run profile"),
  runType: RunType,
});
export const ConnectedSystem = z.object({
  id: z.number().int().describe("Id of the connected system"),
  name: z.string().describe("Name of the connected system"),
  kind: ConnectedSystemKind,
  description: z.string().describe("What the system is and does"),
  externalIdAttribute: z.string().describe("The attribute that identifies objects across runs"),
  objectTypes: z.array(z.string()).describe("Object types of its schema"),
  runProfiles: z.array(RunProfile).describe("Its run profiles"),
});
export type ConnectedSystem = z.infer<typeof ConnectedSystem>;
export const ConnectedSystemList = z
  .object({ items: z.array(ConnectedSystem).describe("Connected systems, by id") })
  .meta({ id: "ConnectedSystemList" });
export const Schedule = z.object({
  id: z.number().int().describe("Id of the schedule"),
  name: z.string().describe("Name of the schedule"),
  description: z.string().describe("What the schedule does"),
  intervalMinutes: z.number().int().describe("Minutes between executions"),
  enabled: z.boolean().describe("Whether the scheduler fires it"),
  nextRunAt: IsoDateTime.nullable().describe("When the scheduler fires it next; null when it does not fire on its own"),
  steps: z
    .array(
      z.object({
        position: z.number().int().describe("0-based order of the step"),
        parallelGroup: z
          .number()
          .int()
          .nullable()
          .describe("Steps with the same group run side by side; null runs alone"),
        ...StepTarget,
      }),
    )
    .describe("The steps, in order"),
});
export type Schedule = z.infer<typeof Schedule>;
export const ScheduleList = z
  .object({ items: z.array(Schedule).describe("Schedules, by id") })
  .meta({ id: "ScheduleList" });

// ---------- auth, keys, health ----------
export const SignInBody = z
  .strictObject({ apiKey: Text(200).min(8).describe("The API key to sign in with") })
  .meta({ id: "SignInBody" });
export const SessionInfo = z
  .object({
    keyId: Uuid,
    keyName: z.string().describe("Name of the key"),
    role: ApiKeyRole,
    via: z.enum(["header", "session"]).describe("header: X-Api-Key; session: the sign-in cookie"),
  })
  .meta({ id: "SessionInfo" });
export type SessionInfo = z.infer<typeof SessionInfo>;
export const CreateApiKeyBody = z
  .strictObject({ name: Name(100).describe("A name to recognise the key by"), role: ApiKeyRole })
  .meta({ id: "CreateApiKeyBody" });
export const ApiKeyInfo = z
  .object({
    id: Uuid,
    name: z.string().describe("Name of the key"),
    prefix: z.string().describe("First characters of the key, to recognise it"),
    role: ApiKeyRole,
    source: z
      .enum(["Environment", "Generated", "Api"])
      .describe("Environment keys are managed by SYNCWATCH_ADMIN_API_KEY"),
    created: IsoDateTime,
    lastUsed: IsoDateTime.nullable(),
    revoked: IsoDateTime.nullable(),
  })
  .meta({ id: "ApiKeyInfo" });
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;
export const CreatedApiKey = ApiKeyInfo.extend({
  secret: z.string().describe("Shown once; only its hash is stored"),
}).meta({ id: "CreatedApiKey" });
export const ApiKeyList = z
  .object({ items: z.array(ApiKeyInfo).describe("Keys, newest first") })
  .meta({ id: "ApiKeyList" });
export const Health = z
  .object({
    status: z.literal("ok").describe("Always ok: an unhealthy server does not answer 200"),
    store: z.enum(["embedded", "postgresql"]).describe("embedded (PGlite) or postgresql"),
    instanceId: z.string().describe("This server process"),
    scheduler: z.boolean().describe("This instance holds the scheduler lease"),
    engine: z.boolean().describe("Whether this process runs the engine"),
    changeSignal: z.boolean().describe("Change notifications are arriving"),
  })
  .meta({ id: "Health", description: "The server is up and its store answers" });

export const RetentionResult = z
  .object({
    itemsDeleted: z.number().int().describe("Execution items deleted"),
    runsPurgedOfItems: z.number().int().describe("Runs whose execution items were purged"),
    activitiesDeleted: z.number().int().describe("Activities deleted (with their steps)"),
    failureHistoryDeleted: z.number().int().describe("Failure records and events deleted"),
    sessionsDeleted: z.number().int().describe("Expired sessions deleted"),
  })
  .meta({ id: "RetentionResult" });

export const Liveness = z
  .object({ status: z.literal("ok").describe("Always ok") })
  .meta({ id: "Liveness", description: "The process is alive" });

export const IdParam = z.strictObject({ id: Uuid });
export const ItemIdParams = z.strictObject({ id: Uuid, itemId: Uuid });
export const NumericIdParam = z.strictObject({ id: QueryId.describe("The id") });
export const RunProfileParams = z.strictObject({
  id: QueryId.describe("Id of the connected system"),
  runProfileId: QueryId.describe("Id of the run profile (of that connected system)"),
});
export const ChildrenQuery = z.strictObject({
  ...PageQuery,
  sort: z.enum(ACTIVITY_SORT_FIELDS).default("created").describe("Sort column"),
  order: sortOrder.default("asc"),
});
export type ChildrenQuery = z.infer<typeof ChildrenQuery>;

// The write bodies are the domain's inputs (checked by the compiler here, not by a test).
export type Conforms<Target, Source extends Target> = Source;
export type CreateConforms = Conforms<NewActivity, Omit<CreateActivityBody, "initiatedBy">>;
export type ProgressConforms = Conforms<ProgressReport, ProgressBody>;
export type ItemConforms = Conforms<DomainNewItem, NewExecutionItem>;
export type CompleteConforms = Conforms<Completion, CompleteActivityBody>;
