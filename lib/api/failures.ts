/**
 * Failures across runs: failing objects tracked by connected system and external id.
 * Schemas (validated at the edge, typed for the pages, documented in OpenAPI) and endpoints.
 */
import { z } from "zod";
import { endpoint } from "./endpoint";
import { TREND_BUCKETS } from "@/lib/domain/failures";
import { MAX_TEMPLATE_LENGTH, NO_TEMPLATE } from "@/lib/domain/messages";
import { FAILURE_SORT_FIELDS } from "./limits";
import {
  ConnectedSystemRef,
  ErrorType,
  IdParam,
  IsoDateTime,
  ListedId,
  ObjectFailureState,
  PageQuery,
  QueryText,
  Uuid,
  listOf,
  pageEnvelope,
  sortOrder,
} from "./kit";

// ---------- failures across runs ----------
const FailureFilterQuery = {
  state: listOf(ObjectFailureState).optional().describe("Default: Open"),
  errorType: listOf(ErrorType).optional().describe("Why processing the object failed; null when it did not"),
  connectedSystemId: listOf(ListedId).optional().describe("Id of the connected system"),
  objectType: listOf(QueryText(100)).optional().describe("Object type; null when unknown"),
  search: QueryText(200).optional().describe("Part of the display name or external id"),
  activityId: listOf(Uuid)
    .optional()
    .describe(
      "Objects that failed in one of these runs (a schedule execution: in one of its steps), whatever " +
        "happened to them since (combine with state=Open,Recovered to see the ones that recovered too)",
    ),
  template: QueryText(MAX_TEMPLATE_LENGTH)
    .optional()
    .describe(
      "Objects whose latest failure's message has this template (a group's templates[].template, exactly; " +
        `"${NO_TEMPLATE}" for the objects whose latest failure has none). An unknown template matches nothing`,
    ),
  from: IsoDateTime.optional().describe("Last seen failing at or after (default: 7 days ago)"),
  to: IsoDateTime.optional().describe("Last seen failing at or before (default: now)"),
};
/** The failures queries' filters: what the repository's failureWhere reads (checked in lib/services/failures.ts). */
export type FailureQueryFilters = z.infer<z.ZodObject<typeof FailureFilterQuery>>;
export const FailureGroupQuery = z.strictObject({
  ...FailureFilterQuery,
  page: PageQuery.page,
  pageSize: PageQuery.pageSize,
});
/** Most templates a group lists (its templateCount says how many it has). */
export const GROUP_TEMPLATES = 5;
export const FailureTemplate = z
  .object({
    template: z
      .string()
      .nullable()
      .describe(
        "The message with its values (names, ids, numbers, quoted text) replaced by {placeholders}; null when " +
          `the failures had no message or were recorded before templates (filter them with template=${NO_TEMPLATE})`,
      ),
    objects: z.number().int().describe("Objects of the group whose latest failure has this template"),
    failedInRange: z.number().int().describe("Their failures (object × run) with this template within the range"),
    firstSeen: IsoDateTime.describe("Their first kept failure with this template"),
    lastSeen: IsoDateTime.describe("Their latest failure with this template"),
  })
  .meta({ id: "FailureTemplate", description: "Objects of a group that fail with messages of one template" });
export type FailureTemplate = z.infer<typeof FailureTemplate>;
export const FailureGroup = z.object({
  errorType: ErrorType,
  ...ConnectedSystemRef,
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
  templates: z
    .array(FailureTemplate)
    .describe(`The group's message templates with the most objects, at most ${GROUP_TEMPLATES}`),
  templateCount: z.number().int().describe("Templates of the group's objects, listed or not"),
});
export const FailureGroupList = pageEnvelope(FailureGroup, "The groups of this page, largest first")
  .extend({
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
    ...ConnectedSystemRef,
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
    lastErrorTemplate: z
      .string()
      .nullable()
      .describe("Template of that message (see the groups' templates); null when there is none"),
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
// ---------- an object's story ----------
const STREAK_RULE =
  "A streak begins with a failure when the object was not failing (its first, or the first since it recovered) " +
  "and only a recovery ends it; a success in a run that does not settle the failure (another run profile, a " +
  "delta run that did not process it) does not.";
export const StoryRun = z
  .object({
    activityId: Uuid,
    activityName: z.string().describe("Name of the run"),
    activityExists: z.boolean().describe("False once retention removed the activity"),
    at: IsoDateTime.describe("When the run failed it, recovered it, or processed it"),
    outcome: z.enum(["Failed", "Succeeded"]).describe("Failed, or processed without an error"),
    recovered: z.boolean().describe("A success that ended a failing streak"),
    errorType: ErrorType.nullable().describe("Why it failed in that run; null when it did not"),
    errorMessage: z.string().nullable().describe("The error message of that failure"),
    itemId: Uuid.nullable().describe("The run's item for the object, while the run's items are kept"),
    streak: z
      .number()
      .int()
      .nullable()
      .describe("For a failure: its place in its streak (1 = New: the object began failing in that run)"),
    firstOccurred: IsoDateTime.nullable().describe("For a failure: when its streak began"),
  })
  .meta({ id: "StoryRun", description: `One run of a failing object. ${STREAK_RULE}` });
export const StoryAsOf = z
  .object({
    activityId: Uuid,
    outcome: z.enum(["Failed", "Succeeded"]).describe("What this run did to the object"),
    new: z.boolean().describe("The object began failing in this run (what an item's New recurrence says)"),
    streak: z
      .number()
      .int()
      .describe("Failures in its streak up to and including this run; 0 when it was not failing after it"),
    firstOccurred: IsoDateTime.nullable().describe("When that streak began; null when it was not failing"),
    recovered: z.boolean().describe("This run ended a failing streak"),
    laterFailures: z.number().int().describe("Runs after this one that failed it"),
    laterRecoveredAt: IsoDateTime.nullable().describe("When it first recovered after this run; null if it has not"),
  })
  .meta({
    id: "StoryAsOf",
    description: `The object as of one run: what that run did to it and where its failing stood then. ${STREAK_RULE}`,
  });

export const FailureObjectDetailQuery = z.strictObject({
  asOf: Uuid.optional().describe("A run of the object: the answer's asOf tells the object's state as of that run"),
});

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
  runs: z
    .array(StoryRun)
    .describe(
      "The object's story, newest first: the runs that failed or recovered it (history) and the runs whose kept " +
        "items show it processed without an error in between",
    ),
  asOf: StoryAsOf.nullable().describe(
    "With ?asOf=<run>: the object as of that run; null without, or when the run is not in its story",
  ),
}).meta({ id: "FailureObjectDetail" });
export type FailureObjectDetail = z.infer<typeof FailureObjectDetail>;

// ---------- endpoints ----------
export const failureEndpoints = {
  listFailureGroups: endpoint({
    id: "listFailureGroups",
    method: "GET",
    path: "/failures",
    tag: "Failures",
    summary: "Failing objects grouped by error type, connected system and object type",
    description:
      "Objects are tracked across runs when their items are recorded, so this outlives item retention. Failures " +
      "are activity data: read-only keys may read them.",
    access: "read",
    query: FailureGroupQuery,
    response: { status: 200, schema: FailureGroupList, description: "Groups, largest first, with trends" },
  }),
  listFailureObjects: endpoint({
    id: "listFailureObjects",
    method: "GET",
    path: "/failures/objects",
    tag: "Failures",
    summary: "List failing objects",
    access: "read",
    query: FailureObjectQuery,
    response: { status: 200, schema: FailureObjectList, description: "A page of objects" },
  }),
  getFailureObject: endpoint({
    id: "getFailureObject",
    method: "GET",
    path: "/failures/objects/{id}",
    tag: "Failures",
    summary: "Get one failing object, its history and its story",
    access: "read",
    params: IdParam,
    query: FailureObjectDetailQuery,
    response: { status: 200, schema: FailureObjectDetail, description: "The object and its history" },
  }),
  exportFailures: endpoint({
    id: "exportFailures",
    method: "GET",
    path: "/failures.csv",
    tag: "Failures",
    summary: "Export failing objects as CSV",
    description: "Every object matching the filters, streamed.",
    access: "read",
    query: FailureExportQuery,
    response: { status: 200, description: "RFC 4180 CSV", contentType: "text/csv" },
  }),
} as const;
