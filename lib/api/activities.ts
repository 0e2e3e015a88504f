/**
 * Activities: their lists, details, trees, counters and comparison, and the writes of outside
 * reporters and triggers.
 * Schemas (validated at the edge, typed for the pages, documented in OpenAPI) and endpoints.
 */
import { z } from "zod";
import { endpoint } from "./endpoint";
import { PHASE_STATUSES } from "@/lib/domain/enums";
import { COUNTER_FIELDS, COUNTER_LABELS } from "@/lib/domain/counters";
import type { CounterField } from "@/lib/domain/counters";
import type { Completion, NewActivity } from "@/lib/domain/activity";
import type { UnusualReason as DomainUnusualReason } from "@/lib/domain/usual-run";
import { ACTIVITY_SORT_FIELDS } from "./limits";
import {
  ActivityStatus,
  ActivityTargetType,
  type Conforms,
  Count,
  ErrorType,
  ITEMS_RULE,
  IdParam,
  InitiatorType,
  IsoDateTime,
  ItemsKept,
  Name,
  PageQuery,
  PositiveId,
  QueryId,
  QueryText,
  RunType,
  Text,
  Uuid,
  WaitQuery,
  listOf,
  pageEnvelope,
  queryBoolean,
  sortOrder,
  type NotFilter,
} from "./kit";

// ---------- counters ----------
/** One field per counter, described by its label; `figure` is the schema of each counter's value. */
const counterShape = <T extends z.ZodType>(figure: T) =>
  Object.fromEntries(COUNTER_FIELDS.map((f) => [f, figure.describe(COUNTER_LABELS[f])])) as Record<CounterField, T>;

export const ExecutionStats = z
  .object(counterShape(Count))
  .meta({ id: "ExecutionStats", description: "The 23 counters of a run" });
export type ExecutionStats = z.infer<typeof ExecutionStats>;
/** Sums over many runs outgrow a single run's 32-bit counters: these are whole numbers without that bound. */
export const Total = z.number().int().min(0);
export const RolledUpStats = z
  .object(counterShape(Total))
  .meta({ id: "RolledUpStats", description: "The 23 counters summed over several runs" });
export const CounterValues = z.strictObject(counterShape(Count.optional()));
export const TypeCounts = z
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
/** The list query's filters: what the repository's activityWhere reads (checked in lib/services/activities.ts). */
export type ActivityQueryFilters = Omit<ActivityListQuery, NotFilter>;
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

/** How long an activity ran, as lists and schedule steps show it. */
export const ExecutionTimeMs = z
  .number()
  .int()
  .nullable()
  .describe("Milliseconds from start to end (to now while running); null while queued");

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
    executionTimeMs: ExecutionTimeMs,
    totalActivityTimeMs: z.number().int().nullable().describe("Milliseconds from creation to end, queueing included"),
    progress: ActivityProgress,
    totalObjectsProcessed: z.number().int().describe("Objects processed (the counter)"),
    totalObjectChangeCount: z.number().int().describe("Objects that changed"),
    totalObjectErrors: z
      .number()
      .int()
      .describe("Objects that failed; never fewer than the failed items recorded (items with an error type)"),
    errorMessage: z.string().nullable().describe("Why the activity failed, when it did"),
    warningCount: z.number().int().describe("Number of warnings recorded"),
    parentActivityId: Uuid.nullable(),
    childCount: z.number().int().describe("Number of direct child activities (steps)"),
    itemCount: z.number().int().describe("Execution items recorded for the run"),
    itemsRetained: z
      .boolean()
      .describe(
        "True while every execution item is kept; false once retention removed any (itemsKept says which are left)",
      ),
    itemsPurgedAt: IsoDateTime.nullable().describe(
      "When retention removed the execution items (all, or all but the failed)",
    ),
    itemsKept: ItemsKept,
    failedItemCount: z
      .number()
      .int()
      .describe("Execution items recorded with an error type; retention keeps them as long as the run"),
    previousRunId: Uuid.nullable().describe("The previous activity of the same run profile"),
  })
  .meta({ id: "ActivitySummary", description: "An activity as lists show it" });
export type ActivitySummary = z.infer<typeof ActivitySummary>;

// ---------- a run against its profile's history ----------
export const UnusualReason = z
  .object({
    metric: z.enum(["errors", "durationMs"]).describe("Which figure is far from the usual: errors or duration (ms)"),
    direction: z.enum(["higher", "lower"]).describe("Above or below the usual range"),
    value: z.number().describe("This run's figure (for a running run: so far)"),
    usual: z.number().describe("The usual figure: the median of the profile's recent completed runs"),
    low: z.number().describe("Lower end of the usual range"),
    high: z.number().describe("Upper end of the usual range"),
  })
  .meta({
    id: "UnusualReason",
    description:
      "A figure outside the usual range of its run profile: median ± max(3 × 1.4826 × MAD, floor) over the " +
      "profile's last 20 completed runs before it (MAD: median absolute deviation; floor: 3 errors or half the " +
      "median; 10 s or half the median duration). Errors count only upwards; duration both ways, and only for " +
      "runs that completed. A running run is flagged only for what cannot come back: errors or time already " +
      "above the range.",
  });
export type UnusualReason = z.infer<typeof UnusualReason>;
type _UnusualConforms = Conforms<UnusualReason, DomainUnusualReason>;
export const Unusual = z
  .array(UnusualReason)
  .nullable()
  .describe(
    "Why this run is unusual for its run profile ([] when it is not); null when it is not judged: not a " +
      "run-profile activity, queued, or fewer than 5 completed runs of its profile before it",
  );

export const ActivityListItem = ActivitySummary.extend({ unusual: Unusual }).meta({
  id: "ActivityListItem",
  description: "An activity as lists show it, with whether it is unusual for its run profile",
});
export type ActivityListItem = z.infer<typeof ActivityListItem>;

export const ActivityList = pageEnvelope(ActivityListItem, "The activities of this page")
  .extend({
    stepMatches: z
      .object({
        count: z.number().int().describe("Matching steps, counted up to the cap"),
        capped: z.boolean().describe("True when more matched than were counted"),
      })
      .nullable()
      .describe(
        "With topLevelOnly and a filter that steps can match: the matching steps left out (topLevelOnly=false shows " +
          "them); null otherwise, or while they are still being counted (ask again a second later)",
      ),
    newerCount: z
      .number()
      .int()
      .nullable()
      .describe("With newerThan: matching activities created after it; null while they are still being counted"),
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
        new: z.number().int().describe("Failed items whose object's failing streak began in this run"),
        recurring: z.number().int().describe("Failed items whose object was already failing before this run"),
      })
      .describe("This run's failed items that are New (began failing here) and Recurring (already failing)"),
  })
  .meta({ id: "Comparison", description: "A run next to the previous run of its run profile" });
export type Comparison = z.infer<typeof Comparison>;

export const RunHistoryQuery = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(2)
    .max(50)
    .default(10)
    .describe("Runs in the strip: this run and up to limit − 1 runs before it"),
});
const HistoryRun = z
  .object({
    id: Uuid,
    name: z.string().describe("Name of the run"),
    status: ActivityStatus,
    created: IsoDateTime,
    started: IsoDateTime.nullable(),
    ended: IsoDateTime.nullable(),
    executionTimeMs: z.number().int().nullable().describe("Milliseconds from start to end (to now while running)"),
    totalObjectsProcessed: z.number().int().describe("Objects processed"),
    totalObjectChangeCount: z.number().int().describe("Objects that changed"),
    totalObjectErrors: z.number().int().describe("Objects that failed"),
    current: z.boolean().describe("True for the run the history was asked for"),
    unusual: Unusual,
  })
  .meta({ id: "HistoryRun", description: "One run of the profile, as the history strip shows it" });
const Delta = z
  .object({
    figure: z.number().nullable().describe("The other run's figure (previous or usual); null when unknown"),
    delta: z.number().nullable().describe("This run's figure minus it; null when either is unknown"),
    deltaPercent: z
      .number()
      .nullable()
      .describe("The delta in percent of the other figure; null when it is 0 or unknown"),
  })
  .meta({ id: "HistoryDelta" });
export const RunHistory = z
  .object({
    activityId: Uuid,
    runProfileId: z.number().int().describe("Id of the run profile"),
    runs: z
      .array(HistoryRun)
      .describe("The profile's started runs up to this one, oldest first (this run last, unless it is queued)"),
    newerRuns: z.number().int().describe("Started runs of the profile after this one"),
    latestRunId: Uuid.nullable().describe("The profile's newest started run, when it is not this one"),
    basis: z
      .enum(["final", "sameProgress", "partial"])
      .describe(
        "final: this run ended, the figures are final. sameProgress: this run is running and the other runs' " +
          "figures are taken from their progress samples at the same number of processed objects (durationMs is " +
          "then the time it took to get there). partial: this run is running and the other runs' figures at this " +
          "point are unknown (no samples): they are their final figures, and this run's are only so far.",
      ),
    atProcessed: z
      .number()
      .int()
      .nullable()
      .describe("With sameProgress: the processed objects the figures are compared at"),
    previousRunId: Uuid.nullable().describe("The run before this one (started); null for the first"),
    usualRuns: z
      .number()
      .int()
      .describe("Completed runs before this one that form the usual run (at most 20; fewer than 5 gives none)"),
    metrics: z
      .array(
        z.object({
          metric: z
            .enum(["errors", "durationMs", "processed", "changes"])
            .describe("errors, duration (ms), processed objects or changed objects"),
          current: z.number().nullable().describe("This run's figure (so far while running); null when unknown"),
          previous: Delta.describe("Against the previous run"),
          usual: Delta.describe("Against the usual run: the median of the usual runs"),
          usualLow: z.number().nullable().describe("Lower end of the usual range (errors and duration of ended runs)"),
          usualHigh: z.number().nullable().describe("Upper end of the usual range"),
        }),
      )
      .describe("Headline figures against the previous and the usual run"),
    unusual: Unusual,
  })
  .meta({
    id: "RunHistory",
    description:
      "A run against its run profile's history: the recent runs, and deltas against the previous and usual run",
  });
export type RunHistory = z.infer<typeof RunHistory>;

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

export const CompleteActivityBody = z
  .strictObject({
    status: z
      .enum(["Complete", "CompleteWithWarning", "CompleteWithError", "FailedWithError"])
      .optional()
      .describe(
        "Omit to derive it from errors and warnings; a status less severe than the counters say is refused (409)",
      ),
    errorMessage: Text(4000)
      .optional()
      .describe(
        "Why the activity as a whole failed. Without status it then ends FailedWithError; a given status must be " +
          "CompleteWithError or FailedWithError (409 otherwise)",
      ),
    errorStackTrace: Text(20000).optional().describe("The stack trace of the failure"),
    warnings: z.array(Name(2000)).max(100).optional().describe("Non-fatal warnings (added to those already recorded)"),
    counters: CounterValues.optional().describe(
      "Current absolute values of counters (not increments); totalObjectErrors below the failed items recorded is raised to them",
    ),
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
/**
 * What every endpoint that starts a run takes and answers (the one trigger path): an empty body; 202
 * with the run queued or started, or 200 with the queued run of the same target that existed
 * already (`whenDeduplicated` says which); 409; an Idempotency-Key.
 */
export const triggerEndpointParts = (whenDeduplicated: string) => ({
  body: TriggerBody,
  bodyOptional: true,
  response: { status: 202 as const, schema: TriggerResult, description: "Accepted: queued or started" },
  alsoOk: [{ status: 200 as const, description: whenDeduplicated }],
  errors: ["CONFLICT" as const],
  idempotent: true,
});

export const ChildrenQuery = z.strictObject({
  ...PageQuery,
  sort: z.enum(ACTIVITY_SORT_FIELDS).default("created").describe("Sort column"),
  order: sortOrder.default("asc"),
});
export type ChildrenQuery = z.infer<typeof ChildrenQuery>;

type _CreateConforms = Conforms<NewActivity, Omit<CreateActivityBody, "initiatedBy">>;
type _CompleteConforms = Conforms<Completion, CompleteActivityBody>;

// ---------- endpoints ----------
export const activityEndpoints = {
  listActivities: endpoint({
    id: "listActivities",
    method: "GET",
    path: "/activities",
    tag: "Activities",
    summary: "List activities",
    description:
      "Filters combine with AND; list-valued filters match any of their values. Schedule steps are left out unless " +
      "topLevelOnly=false; stepMatches then says how many steps matched.",
    access: "read",
    query: ActivityListQuery,
    response: { status: 200, schema: ActivityList, description: "A page of activities" },
    conditional: true,
    longPoll: true,
  }),
  createActivity: endpoint({
    id: "createActivity",
    method: "POST",
    path: "/activities",
    tag: "Activities",
    summary: "Record a new activity",
    description:
      "For work run outside Syncwatch: the activity starts now and must report progress (or items) at least every " +
      "SYNCWATCH_HEARTBEAT_TIMEOUT_MINUTES (default 15), or it ends FailedWithError.",
    access: "admin",
    body: CreateActivityBody,
    response: { status: 201, schema: ActivityDetail, description: "Created; Location names it" },
    errors: ["CONFLICT"],
    idempotent: true,
  }),
  getActivity: endpoint({
    id: "getActivity",
    method: "GET",
    path: "/activities/{id}",
    tag: "Activities",
    summary: "Get an activity",
    access: "read",
    params: IdParam,
    response: { status: 200, schema: ActivityDetail, description: "The activity" },
    conditional: true,
  }),
  getActivityStats: endpoint({
    id: "getActivityStats",
    method: "GET",
    path: "/activities/{id}/stats",
    tag: "Activities",
    summary: "Get execution statistics",
    description: `The 23 counters of a run, with its failed items per error type and items per object type. ${ITEMS_RULE}`,
    access: "admin",
    params: IdParam,
    response: { status: 200, schema: StatsResponse, description: "The counters" },
    conditional: true,
  }),
  getActivityComparison: endpoint({
    id: "getActivityComparison",
    method: "GET",
    path: "/activities/{id}/comparison",
    tag: "Activities",
    summary: "Compare a run with the previous run of its run profile",
    description: ITEMS_RULE,
    access: "read",
    params: IdParam,
    response: { status: 200, schema: Comparison, description: "The comparison" },
    conditional: true,
  }),
  getActivityHistory: endpoint({
    id: "getActivityHistory",
    method: "GET",
    path: "/activities/{id}/history",
    tag: "Activities",
    summary: "A run against its run profile's history",
    description:
      "The profile's last runs up to this one (status, duration, processed, errors; each with whether it was " +
      "unusual), and this run's headline figures against the previous run and the usual (median) run of the " +
      "profile. While the run is running, the others are compared at the same number of processed objects when " +
      "their progress samples say it (basis). " +
      ITEMS_RULE,
    access: "read",
    params: IdParam,
    query: RunHistoryQuery,
    response: { status: 200, schema: RunHistory, description: "The run's history" },
    conditional: true,
  }),
  listActivityChildren: endpoint({
    id: "listActivityChildren",
    method: "GET",
    path: "/activities/{id}/children",
    tag: "Activities",
    summary: "List the direct children of an activity",
    access: "read",
    params: IdParam,
    query: ChildrenQuery,
    response: { status: 200, schema: ActivityList, description: "A page of children" },
    conditional: true,
  }),
  getActivityTree: endpoint({
    id: "getActivityTree",
    method: "GET",
    path: "/activities/{id}/tree",
    tag: "Activities",
    summary: "Get an activity with all its descendants",
    access: "read",
    params: IdParam,
    response: { status: 200, schema: ActivityTree, description: "The tree and rolled-up counters" },
    conditional: true,
  }),
  completeActivity: endpoint({
    id: "completeActivity",
    method: "POST",
    path: "/activities/{id}/complete",
    tag: "Activities",
    summary: "Complete an activity",
    description:
      "Without status it is derived: an errorMessage makes it FailedWithError, object errors CompleteWithError, " +
      "warnings CompleteWithWarning, else Complete. Object errors are the greater of totalObjectErrors and the " +
      "failed items recorded, so a run with failed items never ends without error. A status less severe than " +
      "that (Complete or CompleteWithWarning with object errors or an errorMessage; Complete with warnings), or " +
      "a schedule execution completed while a step runs, is refused (409).",
    access: "admin",
    params: IdParam,
    body: CompleteActivityBody,
    bodyOptional: true,
    response: { status: 200, schema: ActivityDetail, description: "The ended activity" },
    errors: ["CONFLICT"],
  }),
  cancelActivity: endpoint({
    id: "cancelActivity",
    method: "POST",
    path: "/activities/{id}/cancel",
    tag: "Activities",
    summary: "Cancel an activity",
    description: "Queued or running; its running or queued descendants are cancelled with it.",
    access: "admin",
    params: IdParam,
    body: CancelActivityBody,
    bodyOptional: true,
    response: { status: 200, schema: ActivityDetail, description: "The cancelled activity" },
    errors: ["CONFLICT"],
  }),
} as const;
