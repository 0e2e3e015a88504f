/**
 * Operations: what runs now, what waits, what the scheduler fires next.
 * Schemas (validated at the edge, typed for the pages, documented in OpenAPI) and endpoints.
 */
import { z } from "zod";
import { endpoint } from "./endpoint";
import { ActivityStatus, IsoDateTime, Uuid } from "./kit";
import { ActivitySummary } from "./activities";
import { SnapshotQuery } from "./progress";

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
          intervalMinutes: z.number().int().describe("Minutes between executions, as configured"),
          firesEverySeconds: z
            .number()
            .int()
            .nullable()
            .describe(
              "Seconds between the scheduler's executions as it really fires them: the simulated engine runs time " +
                "faster (a 15-minute schedule every 150 s, a daily one every 900 s); null when it does not fire on its own",
            ),
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
        writingHistory: z
          .boolean()
          .describe(
            "The demo history is being written into an empty store: queued runs start, and schedules fire, once it is done",
          ),
      })
      .describe("What this server does"),
  })
  .meta({ id: "OperationsView", description: "What runs now, what waits, and what the scheduler fires next" });
export type OperationsView = z.infer<typeof OperationsView>;

// ---------- endpoints ----------
export const operationEndpoints = {
  getOperations: endpoint({
    id: "getOperations",
    method: "GET",
    path: "/operations",
    tag: "Operations",
    summary: "What runs now, what waits, and what fires next",
    access: "read",
    query: SnapshotQuery.pick({ wait: true }),
    response: { status: 200, schema: OperationsView, description: "The operations queue" },
    conditional: true,
    longPoll: true,
  }),
} as const;
