/**
 * Health, liveness, retention and this document.
 * Schemas (validated at the edge, typed for the pages, documented in OpenAPI) and endpoints.
 */
import { z } from "zod";
import { endpoint } from "./endpoint";
import { TriggerBody } from "./activities";

export const Health = z
  .object({
    status: z.literal("ok").describe("Always ok: an unhealthy server does not answer 200"),
    store: z.enum(["embedded", "postgresql"]).describe("embedded (PGlite) or postgresql"),
    instanceId: z.string().describe("This server process"),
    scheduler: z.boolean().describe("This instance holds the scheduler lease"),
    engine: z.boolean().describe("Whether this process runs the engine"),
    changeSignal: z.boolean().describe("Change notifications are arriving"),
  })
  .meta({ id: "Health", description: "The server is up, its store answers and takes writes" });

export const RetentionResult = z
  .object({
    itemsDeleted: z.number().int().describe("Execution items deleted"),
    runsPurgedOfItems: z
      .number()
      .int()
      .describe("Runs beyond the last SYNCWATCH_KEEP_ITEM_RUNS of their run profile and run type purged now"),
    failedItemsKept: z
      .number()
      .int()
      .describe("Failed items those runs keep (failed items stay as long as their run: SYNCWATCH_RETENTION_DAYS)"),
    activitiesDeleted: z.number().int().describe("Activities deleted (with their steps)"),
    failureHistoryDeleted: z.number().int().describe("Failure records and events deleted"),
    sessionsDeleted: z.number().int().describe("Expired sessions deleted"),
  })
  .meta({ id: "RetentionResult" });

export const Liveness = z
  .object({ status: z.literal("ok").describe("Always ok") })
  .meta({ id: "Liveness", description: "The process is alive" });

// ---------- endpoints ----------
export const metaEndpoints = {
  runRetention: endpoint({
    id: "runRetention",
    method: "POST",
    path: "/retention/run",
    tag: "Meta",
    summary: "Run retention now",
    description:
      "Purges now what the retention job would purge at its next run: execution items beyond the last " +
      "SYNCWATCH_KEEP_ITEM_RUNS runs of each run profile, activities older than SYNCWATCH_RETENTION_DAYS, expired sessions.",
    access: "admin",
    body: TriggerBody,
    bodyOptional: true,
    response: { status: 200, schema: RetentionResult, description: "What was purged" },
  }),
  getHealth: endpoint({
    id: "getHealth",
    method: "GET",
    path: "/health",
    tag: "Meta",
    summary: "Health",
    description:
      "For load balancers and supervisors: 200 when the server and its store answer and have room for writes; " +
      "otherwise 503 whose details say which (store: unavailable or full) and why (reason).",
    access: "public",
    response: { status: 200, schema: Health, description: "Healthy" },
  }),
  getLiveness: endpoint({
    id: "getLiveness",
    method: "GET",
    path: "/health/live",
    tag: "Meta",
    summary: "Liveness",
    description: "200 while the process serves requests; touches nothing else (for liveness probes).",
    access: "public",
    response: { status: 200, schema: Liveness, description: "Alive" },
  }),
  getOpenApi: endpoint({
    id: "getOpenApi",
    method: "GET",
    path: "/openapi.json",
    tag: "Meta",
    summary: "This document",
    access: "public",
    response: { status: 200, description: "The OpenAPI 3.1 document of /api/v1" },
  }),
} as const;
