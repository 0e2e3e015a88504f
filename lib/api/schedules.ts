/**
 * Schedules and their executions (a parent activity with one step per run profile).
 * Schemas (validated at the edge, typed for the pages, documented in OpenAPI) and endpoints.
 */
import { z } from "zod";
import { endpoint } from "./endpoint";
import {
  ActivityStatus,
  ConnectedSystemRef,
  IdParam,
  IsoDateTime,
  NumericIdParam,
  PageQuery,
  QueryId,
  RunType,
  Uuid,
  listOf,
  listEnvelope,
  pageEnvelope,
  sortOrder,
  type NotFilter,
} from "./kit";
import {
  CancelActivityBody,
  ExecutionTimeMs,
  Initiator,
  QueueInfo,
  TypeCounts,
  triggerEndpointParts,
} from "./activities";
import { CurrentStep, ProgressSnapshot, SnapshotQuery } from "./progress";

// ---------- schedule executions ----------
const StepTarget = {
  ...ConnectedSystemRef,
  runProfileId: z.number().int().describe("Id of the run profile"),
  runProfileName: z.string().describe("Name of the run profile"),
  runType: RunType,
};
export const ScheduleStepView = z.object({
  stepIndex: z.number().int().describe("1-based"),
  name: z.string().describe("The step's name (system: run profile)"),
  ...StepTarget,
  parallelGroup: z.number().int().nullable().describe("Steps with the same group run side by side"),
  status: z
    .union([ActivityStatus, z.literal("Pending")])
    .describe(
      "Pending until the step's activity exists; a step its execution never started (cancelled or interrupted first) is Cancelled, with no activity",
    ),
  activityId: Uuid.nullable(),
  queue: QueueInfo.nullable().describe("Where it waits, while it waits to start; null once started"),
  started: IsoDateTime.nullable(),
  ended: IsoDateTime.nullable(),
  executionTimeMs: ExecutionTimeMs,
  expectedDurationMs: z.number().int().nullable().describe("Median execution time of recent runs of the run profile"),
  objectsProcessed: z.number().int().describe("Objects processed so far"),
  objectsToProcess: z.number().int().nullable().describe("Objects to process; null while unknown"),
  totalObjectChangeCount: z.number().int().describe("Objects that changed"),
  totalObjectErrors: z.number().int().describe("Objects that failed"),
  errorMessage: z.string().nullable().describe("The error message, when there is one"),
  errorTypeCounts: TypeCounts.describe("Failed items per error type, recorded when the step ended ({} before)"),
  previous: z
    .object({
      activityId: Uuid.describe("The step's activity in the previous execution"),
      status: ActivityStatus,
      executionTimeMs: z.number().int().nullable().describe("Its duration (to now while running)"),
      totalObjectErrors: z.number().int().describe("Its failed objects"),
      durationDeltaMs: z
        .number()
        .int()
        .nullable()
        .describe("This step's duration minus that one's; null while either has no duration"),
      errorsDelta: z
        .number()
        .int()
        .nullable()
        .describe("This step's failed objects minus that one's; null while this step has not started"),
    })
    .nullable()
    .describe(
      "The same step (same position, same run profile) in the previous execution of the schedule; null when there is none",
    ),
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
    executionTimeMs: ExecutionTimeMs,
    stepCount: z.number().int().describe("Steps planned"),
    stepsCompleted: z
      .number()
      .int()
      .describe("Steps that ended, including those an ended execution never started (Cancelled)"),
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
export type ScheduleExecutionListQuery = z.infer<typeof ScheduleExecutionListQuery>;
/** The list query's filters: the activity list's, read by activityWhere (checked in lib/services). */
export type ScheduleExecutionFilters = Omit<ScheduleExecutionListQuery, NotFilter>;
export const ScheduleExecutionList = pageEnvelope(ScheduleExecutionSummary).meta({ id: "ScheduleExecutionList" });
export type ScheduleExecutionList = z.infer<typeof ScheduleExecutionList>;
export const ScheduleExecution = ScheduleExecutionSummary.extend({
  steps: z.array(ScheduleStepView).describe("Every planned step, pending ones included"),
  previousExecutionId: Uuid.nullable().describe("The schedule's execution before this one (each step's previous)"),
  progress: ProgressSnapshot,
}).meta({ id: "ScheduleExecution", description: "A schedule execution with all its steps" });
export type ScheduleExecution = z.infer<typeof ScheduleExecution>;
export const ActiveScheduleExecutions = listEnvelope(
  ScheduleExecutionSummary,
  "Running or queued executions, oldest first",
).meta({ id: "ActiveScheduleExecutions" });

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
export const ScheduleList = listEnvelope(Schedule, "Schedules, by id").meta({ id: "ScheduleList" });

// ---------- endpoints ----------
export const scheduleEndpoints = {
  listScheduleExecutions: endpoint({
    id: "listScheduleExecutions",
    method: "GET",
    path: "/schedule-executions",
    tag: "Schedule executions",
    summary: "List schedule executions",
    access: "read",
    query: ScheduleExecutionListQuery,
    response: { status: 200, schema: ScheduleExecutionList, description: "A page of executions" },
    conditional: true,
  }),
  listActiveScheduleExecutions: endpoint({
    id: "listActiveScheduleExecutions",
    method: "GET",
    path: "/schedule-executions/active",
    tag: "Schedule executions",
    summary: "List the schedule executions running or queued now",
    access: "read",
    response: { status: 200, schema: ActiveScheduleExecutions, description: "Oldest first" },
  }),
  getScheduleExecution: endpoint({
    id: "getScheduleExecution",
    method: "GET",
    path: "/schedule-executions/{id}",
    tag: "Schedule executions",
    summary: "Get a schedule execution with every planned step",
    access: "read",
    params: IdParam,
    query: SnapshotQuery.pick({ wait: true }),
    response: { status: 200, schema: ScheduleExecution, description: "The execution and its steps" },
    conditional: true,
    longPoll: true,
  }),
  cancelScheduleExecution: endpoint({
    id: "cancelScheduleExecution",
    method: "POST",
    path: "/schedule-executions/{id}/cancel",
    tag: "Schedule executions",
    summary: "Cancel a schedule execution",
    description: "The running step and the queued ones end Cancelled; pending steps never start.",
    access: "admin",
    params: IdParam,
    body: CancelActivityBody,
    bodyOptional: true,
    response: { status: 200, schema: ScheduleExecution, description: "The cancelled execution" },
    errors: ["CONFLICT"],
  }),
  listSchedules: endpoint({
    id: "listSchedules",
    method: "GET",
    path: "/schedules",
    tag: "Configuration",
    summary: "List schedules and their steps",
    access: "read",
    response: { status: 200, schema: ScheduleList, description: "Schedules" },
  }),
  executeSchedule: endpoint({
    id: "executeSchedule",
    method: "POST",
    path: "/schedules/{id}/execute",
    tag: "Configuration",
    summary: "Run a schedule",
    description: "Queues an execution; when one is already queued, it is returned (200, deduplicated).",
    access: "admin",
    params: NumericIdParam,
    ...triggerEndpointParts("An execution of the schedule was already queued: it is returned"),
  }),
} as const;
