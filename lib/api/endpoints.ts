/**
 * Every /api/v1 endpoint, declared once: method, path, who may call it, its path parameters,
 * query, body, response and error codes. The route handlers consume these (lib/http/route.ts),
 * the OpenAPI document is generated from them (./openapi.ts), the proxy answers 404/405 from
 * their paths, and the dashboard's requests are typed by them (lib/client). Browser-safe.
 */
import type { z } from "zod";
import type { ErrorCode } from "@/lib/domain/errors";
import * as S from "./schemas";

export type Access = "public" | "read" | "admin";
export type Method = "GET" | "POST" | "PATCH" | "DELETE";
export type Tag =
  | "Activities"
  | "Progress"
  | "Execution items"
  | "Schedule executions"
  | "Operations"
  | "Failures"
  | "Saved views"
  | "Configuration"
  | "Authentication"
  | "API keys"
  | "Meta";

export interface Endpoint<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType | undefined = z.ZodType | undefined,
> {
  id: string;
  method: Method;
  /** OpenAPI path template below /api/v1, e.g. "/activities/{id}". */
  path: string;
  tag: Tag;
  summary: string;
  description?: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** An empty body counts as {} (cancel, triggers). */
  bodyOptional?: boolean;
  response: {
    status: 200 | 201 | 202 | 204;
    schema?: R;
    description: string;
    /** JSON unless said otherwise. */
    contentType?: "text/csv";
  };
  /** Other successful answers (a trigger that returns an existing queued run answers 200). */
  alsoOk?: { status: 200; description: string }[];
  /** The error codes this endpoint answers besides the ones every endpoint may (see openapi.ts). */
  errors: ErrorCode[];
  /** Answers with an ETag and 304 to If-None-Match. */
  conditional?: boolean;
  /** Accepts ?wait= (long poll) with If-None-Match. */
  longPoll?: boolean;
  /** Accepts an Idempotency-Key header. */
  idempotent?: boolean;
}

const endpoint = <
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType | undefined,
>(
  e: Endpoint<P, Q, B, R>,
) => e;

const ITEMS_RULE = "Only for activities of target type ConnectedSystemRunProfile (400 for others).";

export const endpoints = {
  // ---------- activities ----------
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
    query: S.ActivityListQuery,
    response: { status: 200, schema: S.ActivityList, description: "A page of activities" },
    errors: ["BAD_REQUEST"],
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
    body: S.CreateActivityBody,
    response: { status: 201, schema: S.ActivityDetail, description: "Created; Location names it" },
    errors: ["BAD_REQUEST", "CONFLICT", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
    idempotent: true,
  }),
  getActivity: endpoint({
    id: "getActivity",
    method: "GET",
    path: "/activities/{id}",
    tag: "Activities",
    summary: "Get an activity",
    access: "read",
    params: S.IdParam,
    response: { status: 200, schema: S.ActivityDetail, description: "The activity" },
    errors: ["BAD_REQUEST", "NOT_FOUND"],
    conditional: true,
  }),
  getActivitySnapshot: endpoint({
    id: "getActivitySnapshot",
    method: "GET",
    path: "/activities/{id}/snapshot",
    tag: "Progress",
    summary: "Watch an activity: detail, progress and new samples in one answer",
    description:
      "Poll with If-None-Match and ?wait= to be answered as soon as the activity (or one of its steps) changes.",
    access: "read",
    params: S.IdParam,
    query: S.SnapshotQuery,
    response: { status: 200, schema: S.LiveSnapshot, description: "The live snapshot" },
    errors: ["BAD_REQUEST", "NOT_FOUND"],
    conditional: true,
    longPoll: true,
  }),
  getActivityStats: endpoint({
    id: "getActivityStats",
    method: "GET",
    path: "/activities/{id}/stats",
    tag: "Activities",
    summary: "Get execution statistics",
    description: `The 23 counters of a run,
      with its failed items per error type and items per object type. ${ITEMS_RULE}`,
    access: "admin",
    params: S.IdParam,
    response: { status: 200, schema: S.StatsResponse, description: "The counters" },
    errors: ["BAD_REQUEST", "NOT_FOUND"],
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
    params: S.IdParam,
    response: { status: 200, schema: S.Comparison, description: "The comparison" },
    errors: ["BAD_REQUEST", "NOT_FOUND"],
    conditional: true,
  }),
  listActivityChildren: endpoint({
    id: "listActivityChildren",
    method: "GET",
    path: "/activities/{id}/children",
    tag: "Activities",
    summary: "List the direct children of an activity",
    access: "read",
    params: S.IdParam,
    query: S.ChildrenQuery,
    response: { status: 200, schema: S.ActivityList, description: "A page of children" },
    errors: ["BAD_REQUEST", "NOT_FOUND"],
    conditional: true,
  }),
  getActivityTree: endpoint({
    id: "getActivityTree",
    method: "GET",
    path: "/activities/{id}/tree",
    tag: "Activities",
    summary: "Get an activity with all its descendants",
    access: "read",
    params: S.IdParam,
    response: { status: 200, schema: S.ActivityTree, description: "The tree and rolled-up counters" },
    errors: ["BAD_REQUEST", "NOT_FOUND"],
    conditional: true,
  }),
  getActivityProgress: endpoint({
    id: "getActivityProgress",
    method: "GET",
    path: "/activities/{id}/progress",
    tag: "Progress",
    summary: "Get the progress of an activity",
    description:
      "Percentage, rate, estimated time remaining, counts by operation, phases and, for schedules, step N of M.",
    access: "read",
    params: S.IdParam,
    query: S.SnapshotQuery.pick({ wait: true }),
    response: { status: 200, schema: S.ProgressSnapshot, description: "The progress snapshot" },
    errors: ["BAD_REQUEST", "NOT_FOUND"],
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
    params: S.IdParam,
    body: S.ProgressBody,
    response: { status: 200, schema: S.ActivityDetail, description: "The activity after the report" },
    errors: ["BAD_REQUEST", "NOT_FOUND", "CONFLICT", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
  }),
  listProgressSamples: endpoint({
    id: "listProgressSamples",
    method: "GET",
    path: "/activities/{id}/progress/samples",
    tag: "Progress",
    summary: "List progress samples",
    description: "The tail after a moment (?after=), or the whole run spread over at most ?maxPoints= samples.",
    access: "read",
    params: S.IdParam,
    query: S.SamplesQuery,
    response: { status: 200, schema: S.ProgressSampleList, description: "Samples, oldest first" },
    errors: ["BAD_REQUEST", "NOT_FOUND"],
    conditional: true,
  }),
  listExecutionItems: endpoint({
    id: "listExecutionItems",
    method: "GET",
    path: "/activities/{id}/items",
    tag: "Execution items",
    summary: "List execution items",
    description: `${ITEMS_RULE} Items of runs beyond the last N runs of each run profile are removed by retention: 410.`,
    access: "admin",
    params: S.IdParam,
    query: S.ItemListQuery,
    response: { status: 200, schema: S.ExecutionItemList, description: "A page of items with facet counts" },
    errors: ["BAD_REQUEST", "NOT_FOUND", "GONE"],
    conditional: true,
  }),
  appendExecutionItems: endpoint({
    id: "appendExecutionItems",
    method: "POST",
    path: "/activities/{id}/items",
    tag: "Execution items",
    summary: "Append execution items",
    description:
      `${ITEMS_RULE} Idempotent per sequence: a retried batch inserts nothing twice; a sequence already stored with ` +
      "other content refuses the whole batch (409, details name the sequences).",
    access: "admin",
    params: S.IdParam,
    body: S.AppendItemsBody,
    response: { status: 200, schema: S.AppendItemsResult, description: "What was stored" },
    errors: ["BAD_REQUEST", "NOT_FOUND", "CONFLICT", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
  }),
  getExecutionItem: endpoint({
    id: "getExecutionItem",
    method: "GET",
    path: "/activities/{id}/items/{itemId}",
    tag: "Execution items",
    summary: "Get an execution item",
    access: "admin",
    params: S.ItemIdParams,
    response: { status: 200, schema: S.ExecutionItemDetail, description: "The item" },
    errors: ["BAD_REQUEST", "NOT_FOUND", "GONE"],
    conditional: true,
  }),
  exportExecutionItems: endpoint({
    id: "exportExecutionItems",
    method: "GET",
    path: "/activities/{id}/items.csv",
    tag: "Execution items",
    summary: "Export execution items as CSV",
    description:
      "Every item matching the filters, streamed. Errors found before the first byte answer JSON; a download " +
      "interrupted later is cut off (never ends as if complete).",
    access: "admin",
    params: S.IdParam,
    query: S.ItemExportQuery,
    response: { status: 200, description: "RFC 4180 CSV", contentType: "text/csv" },
    errors: ["BAD_REQUEST", "NOT_FOUND", "GONE"],
  }),
  completeActivity: endpoint({
    id: "completeActivity",
    method: "POST",
    path: "/activities/{id}/complete",
    tag: "Activities",
    summary: "Complete an activity",
    description:
      "Without status it is derived from errors and warnings. A status less severe than the counters say, or " +
      "a schedule execution completed while a step runs, is refused (409).",
    access: "admin",
    params: S.IdParam,
    body: S.CompleteActivityBody,
    bodyOptional: true,
    response: { status: 200, schema: S.ActivityDetail, description: "The ended activity" },
    errors: ["BAD_REQUEST", "NOT_FOUND", "CONFLICT", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
  }),
  cancelActivity: endpoint({
    id: "cancelActivity",
    method: "POST",
    path: "/activities/{id}/cancel",
    tag: "Activities",
    summary: "Cancel an activity",
    description: "Queued or running; its running or queued descendants are cancelled with it.",
    access: "admin",
    params: S.IdParam,
    body: S.CancelActivityBody,
    bodyOptional: true,
    response: { status: 200, schema: S.ActivityDetail, description: "The cancelled activity" },
    errors: ["BAD_REQUEST", "NOT_FOUND", "CONFLICT", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
  }),

  // ---------- schedule executions ----------
  listScheduleExecutions: endpoint({
    id: "listScheduleExecutions",
    method: "GET",
    path: "/schedule-executions",
    tag: "Schedule executions",
    summary: "List schedule executions",
    access: "read",
    query: S.ScheduleExecutionListQuery,
    response: { status: 200, schema: S.ScheduleExecutionList, description: "A page of executions" },
    errors: ["BAD_REQUEST"],
    conditional: true,
  }),
  listActiveScheduleExecutions: endpoint({
    id: "listActiveScheduleExecutions",
    method: "GET",
    path: "/schedule-executions/active",
    tag: "Schedule executions",
    summary: "List the schedule executions running or queued now",
    access: "read",
    response: { status: 200, schema: S.ActiveScheduleExecutions, description: "Oldest first" },
    errors: [],
  }),
  getScheduleExecution: endpoint({
    id: "getScheduleExecution",
    method: "GET",
    path: "/schedule-executions/{id}",
    tag: "Schedule executions",
    summary: "Get a schedule execution with every planned step",
    access: "read",
    params: S.IdParam,
    query: S.SnapshotQuery.pick({ wait: true }),
    response: { status: 200, schema: S.ScheduleExecution, description: "The execution and its steps" },
    errors: ["BAD_REQUEST", "NOT_FOUND"],
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
    params: S.IdParam,
    body: S.CancelActivityBody,
    bodyOptional: true,
    response: { status: 200, schema: S.ScheduleExecution, description: "The cancelled execution" },
    errors: ["BAD_REQUEST", "NOT_FOUND", "CONFLICT", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
  }),

  // ---------- operations ----------
  getOperations: endpoint({
    id: "getOperations",
    method: "GET",
    path: "/operations",
    tag: "Operations",
    summary: "What runs now, what waits, and what fires next",
    access: "read",
    query: S.SnapshotQuery.pick({ wait: true }),
    response: { status: 200, schema: S.OperationsView, description: "The operations queue" },
    errors: ["BAD_REQUEST"],
    conditional: true,
    longPoll: true,
  }),

  // ---------- configuration and triggers ----------
  listConnectedSystems: endpoint({
    id: "listConnectedSystems",
    method: "GET",
    path: "/connected-systems",
    tag: "Configuration",
    summary: "List connected systems and their run profiles",
    access: "read",
    response: { status: 200, schema: S.ConnectedSystemList, description: "Connected systems" },
    errors: [],
  }),
  listSchedules: endpoint({
    id: "listSchedules",
    method: "GET",
    path: "/schedules",
    tag: "Configuration",
    summary: "List schedules and their steps",
    access: "read",
    response: { status: 200, schema: S.ScheduleList, description: "Schedules" },
    errors: [],
  }),
  executeRunProfile: endpoint({
    id: "executeRunProfile",
    method: "POST",
    path: "/connected-systems/{id}/run-profiles/{runProfileId}/execute",
    tag: "Configuration",
    summary: "Run a run profile",
    description:
      "Queues a run; it starts when no other run of its connected system runs. When a run of the same profile is " +
      "already queued, that run is returned (200, deduplicated) instead of a second one.",
    access: "admin",
    params: S.RunProfileParams,
    body: S.TriggerBody,
    bodyOptional: true,
    response: { status: 202, schema: S.TriggerResult, description: "Accepted: queued or started" },
    alsoOk: [{ status: 200, description: "A queued run of the same profile already existed: it is returned" }],
    errors: ["BAD_REQUEST", "NOT_FOUND", "CONFLICT", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
    idempotent: true,
  }),
  executeSchedule: endpoint({
    id: "executeSchedule",
    method: "POST",
    path: "/schedules/{id}/execute",
    tag: "Configuration",
    summary: "Run a schedule",
    description: "Queues an execution; when one is already queued, it is returned (200, deduplicated).",
    access: "admin",
    params: S.NumericIdParam,
    body: S.TriggerBody,
    bodyOptional: true,
    response: { status: 202, schema: S.TriggerResult, description: "Accepted: queued or started" },
    alsoOk: [{ status: 200, description: "An execution of the schedule was already queued: it is returned" }],
    errors: ["BAD_REQUEST", "NOT_FOUND", "CONFLICT", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
    idempotent: true,
  }),

  // ---------- failures across runs ----------
  listFailureGroups: endpoint({
    id: "listFailureGroups",
    method: "GET",
    path: "/failures",
    tag: "Failures",
    summary: "Failing objects grouped by error type, connected system and object type",
    description: "Objects are tracked across runs when their items are recorded, so this outlives item retention.",
    access: "admin",
    query: S.FailureGroupQuery,
    response: { status: 200, schema: S.FailureGroupList, description: "Groups, largest first, with trends" },
    errors: ["BAD_REQUEST"],
  }),
  listFailureObjects: endpoint({
    id: "listFailureObjects",
    method: "GET",
    path: "/failures/objects",
    tag: "Failures",
    summary: "List failing objects",
    access: "admin",
    query: S.FailureObjectQuery,
    response: { status: 200, schema: S.FailureObjectList, description: "A page of objects" },
    errors: ["BAD_REQUEST"],
  }),
  getFailureObject: endpoint({
    id: "getFailureObject",
    method: "GET",
    path: "/failures/objects/{id}",
    tag: "Failures",
    summary: "Get one failing object and its history",
    access: "admin",
    params: S.IdParam,
    response: { status: 200, schema: S.FailureObjectDetail, description: "The object and its history" },
    errors: ["BAD_REQUEST", "NOT_FOUND"],
  }),
  exportFailures: endpoint({
    id: "exportFailures",
    method: "GET",
    path: "/failures.csv",
    tag: "Failures",
    summary: "Export failing objects as CSV",
    description: "Every object matching the filters, streamed.",
    access: "admin",
    query: S.FailureExportQuery,
    response: { status: 200, description: "RFC 4180 CSV", contentType: "text/csv" },
    errors: ["BAD_REQUEST"],
  }),

  // ---------- saved views ----------
  listSavedViews: endpoint({
    id: "listSavedViews",
    method: "GET",
    path: "/saved-views",
    tag: "Saved views",
    summary: "List the saved views of the calling key",
    access: "read",
    query: S.SavedViewListQuery,
    response: { status: 200, schema: S.SavedViewList, description: "Saved views" },
    errors: ["BAD_REQUEST"],
  }),
  createSavedView: endpoint({
    id: "createSavedView",
    method: "POST",
    path: "/saved-views",
    tag: "Saved views",
    summary: "Save a view",
    access: "read",
    body: S.CreateSavedViewBody,
    response: { status: 201, schema: S.SavedView, description: "Saved" },
    errors: ["BAD_REQUEST", "CONFLICT", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
  }),
  updateSavedView: endpoint({
    id: "updateSavedView",
    method: "PATCH",
    path: "/saved-views/{id}",
    tag: "Saved views",
    summary: "Rename, change or make a view the default",
    access: "read",
    params: S.IdParam,
    body: S.UpdateSavedViewBody,
    response: { status: 200, schema: S.SavedView, description: "Updated" },
    errors: ["BAD_REQUEST", "NOT_FOUND", "CONFLICT", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
  }),
  deleteSavedView: endpoint({
    id: "deleteSavedView",
    method: "DELETE",
    path: "/saved-views/{id}",
    tag: "Saved views",
    summary: "Delete a view",
    access: "read",
    params: S.IdParam,
    response: { status: 204, description: "Deleted" },
    errors: ["BAD_REQUEST", "NOT_FOUND"],
  }),

  // ---------- authentication and keys ----------
  signIn: endpoint({
    id: "signIn",
    method: "POST",
    path: "/auth/session",
    tag: "Authentication",
    summary: "Sign in with an API key",
    description: "Sets the httpOnly session cookie (12 hours). Failed attempts are rate-limited per client (429).",
    access: "public",
    body: S.SignInBody,
    response: { status: 200, schema: S.SessionInfo, description: "Signed in" },
    errors: [
      "BAD_REQUEST",
      "UNAUTHORISED",
      "FORBIDDEN",
      "TOO_MANY_REQUESTS",
      "PAYLOAD_TOO_LARGE",
      "UNSUPPORTED_MEDIA_TYPE",
    ],
  }),
  getSession: endpoint({
    id: "getSession",
    method: "GET",
    path: "/auth/session",
    tag: "Authentication",
    summary: "Who am I",
    access: "read",
    response: { status: 200, schema: S.SessionInfo, description: "The caller" },
    errors: [],
  }),
  signOut: endpoint({
    id: "signOut",
    method: "DELETE",
    path: "/auth/session",
    tag: "Authentication",
    summary: "Sign out",
    access: "public",
    response: { status: 204, description: "Signed out (also without a session)" },
    errors: ["FORBIDDEN"],
  }),
  listApiKeys: endpoint({
    id: "listApiKeys",
    method: "GET",
    path: "/api-keys",
    tag: "API keys",
    summary: "List API keys",
    access: "admin",
    response: { status: 200, schema: S.ApiKeyList, description: "Keys, newest first" },
    errors: [],
  }),
  createApiKey: endpoint({
    id: "createApiKey",
    method: "POST",
    path: "/api-keys",
    tag: "API keys",
    summary: "Create an API key",
    access: "admin",
    body: S.CreateApiKeyBody,
    response: { status: 201, schema: S.CreatedApiKey, description: "Created; the secret is shown once" },
    errors: ["BAD_REQUEST", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
  }),
  revokeApiKey: endpoint({
    id: "revokeApiKey",
    method: "DELETE",
    path: "/api-keys/{id}",
    tag: "API keys",
    summary: "Revoke an API key",
    description:
      "Idempotent; its sessions end on every instance at once. The last active Administrator key and the key " +
      "managed by SYNCWATCH_ADMIN_API_KEY cannot be revoked here (409).",
    access: "admin",
    params: S.IdParam,
    response: { status: 200, schema: S.ApiKeyInfo, description: "The revoked key" },
    errors: ["BAD_REQUEST", "NOT_FOUND", "CONFLICT"],
  }),

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
    body: S.TriggerBody,
    bodyOptional: true,
    response: { status: 200, schema: S.RetentionResult, description: "What was purged" },
    errors: ["BAD_REQUEST", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
  }),

  // ---------- meta ----------
  getHealth: endpoint({
    id: "getHealth",
    method: "GET",
    path: "/health",
    tag: "Meta",
    summary: "Health",
    description: "For load balancers and supervisors: 200 when the server and its store answer.",
    access: "public",
    response: { status: 200, schema: S.Health, description: "Healthy" },
    errors: [],
  }),
  getLiveness: endpoint({
    id: "getLiveness",
    method: "GET",
    path: "/health/live",
    tag: "Meta",
    summary: "Liveness",
    description: "200 while the process serves requests; touches nothing else (for liveness probes).",
    access: "public",
    response: { status: 200, schema: S.Liveness, description: "Alive" },
    errors: [],
  }),
  getOpenApi: endpoint({
    id: "getOpenApi",
    method: "GET",
    path: "/openapi.json",
    tag: "Meta",
    summary: "This document",
    access: "public",
    response: { status: 200, description: "The OpenAPI 3.1 document of /api/v1" },
    errors: [],
  }),
} as const;

export type Endpoints = typeof endpoints;
export type EndpointId = keyof Endpoints;
export const ALL_ENDPOINTS: Endpoint[] = Object.values(endpoints);

/** The path template's segments as a matcher: "/activities/{id}" matches "/activities/3f…". */
function compile(path: string): RegExp {
  const pattern = path.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+");
  return new RegExp(`^${pattern}$`);
}
const MATCHERS = ALL_ENDPOINTS.map((e) => ({ e, re: compile(e.path) }));

/** The endpoints whose path matches `path` (below /api/v1); empty when the path is unknown. */
export function endpointsAt(path: string): Endpoint[] {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  return MATCHERS.filter((m) => m.re.test(trimmed)).map((m) => m.e);
}
