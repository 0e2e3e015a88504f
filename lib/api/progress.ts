/**
 * Progress: the server-side snapshot of a run, its samples, and progress reports.
 * Schemas (validated at the edge, typed for the pages, documented in OpenAPI) and endpoints.
 */
import { z } from "zod";
import { endpoint } from "./endpoint";
import type { ProgressReport } from "@/lib/domain/activity";
import { ActivityStatus, type Conforms, Count, IdParam, IsoDateTime, Name, Text, Uuid, WaitQuery } from "./kit";
import { ActivityDetail, CounterValues, Phase, QueueInfo } from "./activities";

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
    estimateRange: z
      .object({
        lowSeconds: z.number().int().describe("The least time it likely takes"),
        highSeconds: z.number().int().describe("The most time it likely takes"),
      })
      .nullable()
      .describe(
        "Where the time to the end likely lies, around estimatedSecondsRemaining: wide while the estimate is unsure " +
          "(early in the run, on earlier runs alone, or while this run's rate differs from theirs), one figure " +
          "(lowSeconds = highSeconds) once it is confident; null when estimatedSecondsRemaining is null",
      ),
    elapsedSeconds: z.number().nullable().describe("Seconds since processing started"),
    operationCounts: OperationCounts,
    phases: z.array(Phase).describe("The run's phases so far"),
    currentStep: CurrentStep.nullable().describe("For a schedule execution: step N of M; null otherwise"),
    steps: z
      .object({
        completed: z
          .number()
          .int()
          .describe("Steps that ended, including those an ended execution never started (Cancelled)"),
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

export const ProgressBody = z
  .strictObject({
    objectsToProcess: Count.optional().describe("Objects to process; null while unknown"),
    objectsProcessed: Count.optional().describe("May not exceed objectsToProcess"),
    message: Text(1000).optional().describe("What the activity is doing, for people"),
    counters: CounterValues.optional().describe(
      "Current absolute values (not increments): the last report wins; totalObjectErrors below the failed items recorded is raised to them",
    ),
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

type _ProgressConforms = Conforms<ProgressReport, ProgressBody>;

// ---------- endpoints ----------
export const progressEndpoints = {
  getActivityProgress: endpoint({
    id: "getActivityProgress",
    method: "GET",
    path: "/activities/{id}/progress",
    tag: "Progress",
    summary: "Get the progress of an activity",
    description:
      "Percentage, rate, estimated time remaining, counts by operation, phases and, for schedules, step N of M.",
    access: "read",
    params: IdParam,
    query: SnapshotQuery.pick({ wait: true }),
    response: { status: 200, schema: ProgressSnapshot, description: "The progress snapshot" },
    conditional: true,
    longPoll: true,
  }),
  reportActivityProgress: endpoint({
    id: "reportActivityProgress",
    method: "POST",
    path: "/activities/{id}/progress",
    tag: "Progress",
    summary: "Report progress",
    description: "Values are absolute, so the last report wins. A refused report (409) stores nothing.",
    access: "admin",
    params: IdParam,
    body: ProgressBody,
    response: { status: 200, schema: ActivityDetail, description: "The activity after the report" },
    errors: ["CONFLICT"],
  }),
  listProgressSamples: endpoint({
    id: "listProgressSamples",
    method: "GET",
    path: "/activities/{id}/progress/samples",
    tag: "Progress",
    summary: "List progress samples",
    description: "The tail after a moment (?after=), or the whole run spread over at most ?maxPoints= samples.",
    access: "read",
    params: IdParam,
    query: SamplesQuery,
    response: { status: 200, schema: ProgressSampleList, description: "Samples, oldest first" },
    conditional: true,
  }),
} as const;
