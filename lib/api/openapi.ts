/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas in ./schemas (z.toJSONSchema:
 * io "input" for request bodies and queries, "output" for responses). Served at /api/v1/openapi.json.
 */
import { z } from "zod";
import * as S from "./schemas";

type Json = Record<string, unknown>;
type Access = "public" | "read" | "admin";

interface Op {
  method: "get" | "post" | "delete";
  path: string;
  summary: string;
  tag: string;
  access: Access;
  pathParams?: z.ZodObject;
  query?: z.ZodType;
  body?: string;
  bodyOptional?: boolean;
  ok: { status: number; schema?: string; description: string; contentType?: string; headers?: Json };
  errors: number[];
  conditional?: boolean;
}

const OUTPUT: Record<string, z.ZodType> = {
  ErrorBody: S.ErrorBody,
  ExecutionStats: S.ExecutionStats,
  ActivitySummary: S.ActivitySummary,
  ActivityList: S.ActivityList,
  ActivityDetail: S.ActivityDetail,
  ActivityTreeNode: S.ActivityTreeNode,
  ActivityTree: S.ActivityTree,
  ProgressSampleList: S.ProgressSampleList,
  ExecutionItemSummary: S.ExecutionItemSummary,
  ExecutionItemList: S.ExecutionItemList,
  ExecutionItemDetail: S.ExecutionItemDetail,
  AppendItemsResult: S.AppendItemsResult,
  TriggerResult: S.TriggerResult,
  ConnectedSystemList: S.ConnectedSystemList,
  ScheduleList: S.ScheduleList,
  SessionInfo: S.SessionInfo,
  ApiKeyInfo: S.ApiKeyInfo,
  ApiKeyList: S.ApiKeyList,
  CreatedApiKey: S.CreatedApiKey,
};
const INPUT: Record<string, z.ZodType> = {
  CreateActivityBody: S.CreateActivityBody,
  ProgressBody: S.ProgressBody,
  AppendItemsBody: S.AppendItemsBody,
  CompleteActivityBody: S.CompleteActivityBody,
  CancelActivityBody: S.CancelActivityBody,
  TriggerBody: S.TriggerBody,
  SignInBody: S.SignInBody,
  CreateApiKeyBody: S.CreateApiKeyBody,
};

const ERROR_TEXT: Record<number, string> = {
  400: "BAD_REQUEST: invalid path, query or body (unknown fields, bad enums, bad ids, too many items)",
  401: "UNAUTHORISED: authentication required",
  403: "FORBIDDEN: insufficient permissions (Administrator role required)",
  404: "NOT_FOUND: the resource does not exist",
  409: "CONFLICT: the activity has already ended",
  413: "PAYLOAD_TOO_LARGE: body larger than MAX_BODY_BYTES",
  415: "UNSUPPORTED_MEDIA_TYPE: send application/json",
  503: "SERVICE_UNAVAILABLE: the run engine is switched off",
};

const ID = z.strictObject({ id: S.Uuid });
const READ = [401, 404];
const WRITE = [400, 401, 403, 404, 409, 413, 415];

const OPS: Op[] = [
  {
    method: "get",
    path: "/activities",
    tag: "Activities",
    summary: "List activities",
    access: "read",
    query: S.ActivityListQuery,
    ok: { status: 200, schema: "ActivityList", description: "A page of activities" },
    errors: [400, 401],
    conditional: true,
  },
  {
    method: "post",
    path: "/activities",
    tag: "Activities",
    summary: "Create (start) an activity",
    access: "admin",
    body: "CreateActivityBody",
    ok: {
      status: 201,
      schema: "ActivityDetail",
      description: "Created",
      headers: { Location: { schema: { type: "string" } } },
    },
    errors: WRITE,
  },
  {
    method: "get",
    path: "/activities/{id}",
    tag: "Activities",
    summary: "Get an activity",
    access: "read",
    pathParams: ID,
    ok: { status: 200, schema: "ActivityDetail", description: "The activity" },
    errors: [400, ...READ],
    conditional: true,
  },
  {
    method: "get",
    path: "/activities/{id}/stats",
    tag: "Activities",
    summary: "Get execution statistics (seed 001)",
    access: "admin",
    pathParams: ID,
    ok: { status: 200, schema: "ExecutionStats", description: "The 23 counters" },
    errors: [400, 401, 403, 404],
    conditional: true,
  },
  {
    method: "get",
    path: "/activities/{id}/children",
    tag: "Activities",
    summary: "List direct child activities",
    access: "read",
    pathParams: ID,
    query: S.ChildrenQuery,
    ok: { status: 200, schema: "ActivityList", description: "A page of children" },
    errors: [400, ...READ],
    conditional: true,
  },
  {
    method: "get",
    path: "/activities/{id}/tree",
    tag: "Activities",
    summary: "Get the activity with all descendants",
    access: "read",
    pathParams: ID,
    ok: { status: 200, schema: "ActivityTree", description: "The tree and rolled-up counters" },
    errors: [400, ...READ],
    conditional: true,
  },
  {
    method: "get",
    path: "/activities/{id}/progress",
    tag: "Activities",
    summary: "Get progress samples",
    access: "read",
    pathParams: ID,
    query: S.ProgressQuery,
    ok: { status: 200, schema: "ProgressSampleList", description: "Samples, oldest first" },
    errors: [400, ...READ],
    conditional: true,
  },
  {
    method: "post",
    path: "/activities/{id}/progress",
    tag: "Activities",
    summary: "Report progress and counters",
    access: "admin",
    pathParams: ID,
    body: "ProgressBody",
    ok: { status: 200, schema: "ActivityDetail", description: "The updated activity" },
    errors: WRITE,
  },
  {
    method: "post",
    path: "/activities/{id}/complete",
    tag: "Activities",
    summary: "Complete an activity",
    access: "admin",
    pathParams: ID,
    body: "CompleteActivityBody",
    bodyOptional: true,
    ok: { status: 200, schema: "ActivityDetail", description: "The ended activity" },
    errors: WRITE,
  },
  {
    method: "post",
    path: "/activities/{id}/cancel",
    tag: "Activities",
    summary: "Cancel an activity and its running descendants",
    access: "admin",
    pathParams: ID,
    body: "CancelActivityBody",
    bodyOptional: true,
    ok: { status: 200, schema: "ActivityDetail", description: "The cancelled activity" },
    errors: WRITE,
  },
  {
    method: "get",
    path: "/activities/{id}/items",
    tag: "Execution items",
    summary: "List execution items (seed 002)",
    access: "admin",
    pathParams: ID,
    query: S.ItemListQuery,
    ok: { status: 200, schema: "ExecutionItemList", description: "A page of items with facets" },
    errors: [400, 401, 403, 404],
  },
  {
    method: "post",
    path: "/activities/{id}/items",
    tag: "Execution items",
    summary: "Append execution items (idempotent per sequence)",
    access: "admin",
    pathParams: ID,
    body: "AppendItemsBody",
    ok: { status: 200, schema: "AppendItemsResult", description: "How many were inserted" },
    errors: WRITE,
  },
  {
    method: "get",
    path: "/activities/{id}/items.csv",
    tag: "Execution items",
    summary: "Export all matching items as CSV",
    access: "admin",
    pathParams: ID,
    query: S.ItemExportQuery,
    ok: { status: 200, description: "CSV file", contentType: "text/csv" },
    errors: [400, 401, 403, 404],
  },
  {
    method: "get",
    path: "/activities/{id}/items/export",
    tag: "Execution items",
    summary: "Export all matching items as CSV (alias of items.csv)",
    access: "admin",
    pathParams: ID,
    query: S.ItemExportQuery,
    ok: { status: 200, description: "CSV file", contentType: "text/csv" },
    errors: [400, 401, 403, 404],
  },
  {
    method: "get",
    path: "/activities/{id}/items/{itemId}",
    tag: "Execution items",
    summary: "Get one execution item",
    access: "admin",
    pathParams: S.ItemIdParams,
    ok: { status: 200, schema: "ExecutionItemDetail", description: "The item" },
    errors: [400, 401, 403, 404],
  },
  {
    method: "get",
    path: "/connected-systems",
    tag: "Configuration",
    summary: "List connected systems and run profiles",
    access: "read",
    ok: { status: 200, schema: "ConnectedSystemList", description: "Connected systems" },
    errors: [401],
  },
  {
    method: "post",
    path: "/connected-systems/{id}/run-profiles/{runProfileId}/execute",
    tag: "Configuration",
    summary: "Run a run profile now",
    access: "admin",
    pathParams: S.RunProfileParams,
    body: "TriggerBody",
    bodyOptional: true,
    ok: {
      status: 202,
      schema: "TriggerResult",
      description: "Started",
      headers: { Location: { schema: { type: "string" } } },
    },
    errors: [400, 401, 403, 404, 415, 503],
  },
  {
    method: "get",
    path: "/schedules",
    tag: "Configuration",
    summary: "List schedules",
    access: "read",
    ok: { status: 200, schema: "ScheduleList", description: "Schedules" },
    errors: [401],
  },
  {
    method: "post",
    path: "/schedules/{id}/execute",
    tag: "Configuration",
    summary: "Run a schedule now",
    access: "admin",
    pathParams: S.NumericIdParam,
    body: "TriggerBody",
    bodyOptional: true,
    ok: {
      status: 202,
      schema: "TriggerResult",
      description: "Started",
      headers: { Location: { schema: { type: "string" } } },
    },
    errors: [400, 401, 403, 404, 415, 503],
  },
  {
    method: "post",
    path: "/auth/session",
    tag: "Authentication",
    summary: "Sign in with an API key (sets the session cookie)",
    access: "public",
    body: "SignInBody",
    ok: {
      status: 200,
      schema: "SessionInfo",
      description: "Signed in",
      headers: { "Set-Cookie": { schema: { type: "string" } } },
    },
    errors: [400, 401, 413, 415],
  },
  {
    method: "get",
    path: "/auth/session",
    tag: "Authentication",
    summary: "Who am I",
    access: "read",
    ok: { status: 200, schema: "SessionInfo", description: "The caller" },
    errors: [401],
  },
  {
    method: "delete",
    path: "/auth/session",
    tag: "Authentication",
    summary: "Sign out",
    access: "public",
    ok: { status: 204, description: "Signed out; cookie cleared" },
    errors: [],
  },
  {
    method: "get",
    path: "/api-keys",
    tag: "API keys",
    summary: "List API keys",
    access: "admin",
    ok: { status: 200, schema: "ApiKeyList", description: "Keys (no secrets)" },
    errors: [401, 403],
  },
  {
    method: "post",
    path: "/api-keys",
    tag: "API keys",
    summary: "Create an API key (secret shown once)",
    access: "admin",
    body: "CreateApiKeyBody",
    ok: { status: 201, schema: "CreatedApiKey", description: "Created" },
    errors: [400, 401, 403, 413, 415],
  },
  {
    method: "delete",
    path: "/api-keys/{id}",
    tag: "API keys",
    summary: "Revoke an API key",
    access: "admin",
    pathParams: ID,
    ok: { status: 200, schema: "ApiKeyInfo", description: "Revoked" },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: "get",
    path: "/openapi.json",
    tag: "Meta",
    summary: "This document",
    access: "public",
    ok: { status: 200, description: "OpenAPI 3.1 document" },
    errors: [],
  },
];

export const OPENAPI_PATHS = [...new Set(OPS.map((o) => o.path))];

function components(registry: Record<string, z.ZodType>, io: "input" | "output"): Record<string, Json> {
  const reg = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(registry)) reg.add(schema, { id });
  const out = z.toJSONSchema(reg, { io, unrepresentable: "any", uri: (id) => `#/components/schemas/${id}` }) as {
    schemas: Record<string, Json>;
  };
  const clean: Record<string, Json> = {};
  for (const [id, s] of Object.entries(out.schemas)) {
    const { $schema: _s, $id: _i, ...rest } = s;
    clean[id] = rest;
  }
  return clean;
}

function parameters(schema: z.ZodType, where: "query" | "path"): Json[] {
  const js = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, Json>;
    required?: string[];
  };
  return Object.entries(js.properties ?? {}).map(([name, s]) => {
    const { description, ...schemaOnly } = s as Json & { description?: string };
    const isList = Array.isArray((s as Json).anyOf);
    return {
      name,
      in: where,
      required: where === "path" ? true : (js.required ?? []).includes(name) && !("default" in s),
      ...(description ? { description } : {}),
      ...(isList
        ? {
            style: "form",
            explode: true,
            description: "One value, several comma-separated values, or the parameter repeated.",
          }
        : {}),
      schema: schemaOnly,
    };
  });
}

let cached: Json | null = null;

export function buildOpenApiDocument(): Json {
  if (cached) return cached;
  const schemas = { ...components(OUTPUT, "output"), ...components(INPUT, "input") };
  const paths: Record<string, Json> = {};
  for (const op of OPS) {
    const responses: Json = {};
    const okContent = op.ok.schema
      ? { content: { "application/json": { schema: { $ref: `#/components/schemas/${op.ok.schema}` } } } }
      : op.ok.contentType
        ? { content: { [op.ok.contentType]: { schema: { type: "string" } } } }
        : {};
    responses[String(op.ok.status)] = {
      description: op.ok.description,
      ...okContent,
      headers: {
        ...(op.conditional
          ? { ETag: { schema: { type: "string" }, description: "Weak validator; send it as If-None-Match" } }
          : {}),
        ...(op.ok.headers ?? {}),
      },
    };
    if (op.conditional) responses["304"] = { description: "Not modified (If-None-Match matched the ETag)" };
    for (const code of op.errors)
      responses[String(code)] = {
        description: ERROR_TEXT[code],
        content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } },
      };
    responses["500"] = {
      description: "INTERNAL_ERROR",
      content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } },
    };
    const params = [
      ...(op.pathParams ? parameters(op.pathParams, "path") : []),
      ...(op.query ? parameters(op.query, "query") : []),
    ];
    if (op.conditional)
      params.push({ name: "If-None-Match", in: "header", required: false, schema: { type: "string" } });
    const operation: Json = {
      operationId: `${op.method}${op.path.replace(/[{}]/g, "").replace(/[/.-]+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
      summary: op.summary,
      tags: [op.tag],
      ...(params.length ? { parameters: params } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: !op.bodyOptional,
              content: { "application/json": { schema: { $ref: `#/components/schemas/${op.body}` } } },
            },
          }
        : {}),
      responses,
      security: op.access === "public" ? [] : [{ ApiKeyAuth: [] }, { SessionCookie: [] }],
      ...(op.access === "admin"
        ? { description: "Requires the Administrator role." }
        : op.access === "read"
          ? { description: "Administrator or ReadOnly." }
          : {}),
    };
    paths[op.path] = { ...(paths[op.path] ?? {}), [op.method]: operation };
  }
  const servers = [{ url: "/api/v1" }];
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Syncwatch API",
      version: "1.0.0",
      description:
        "Identity-synchronisation activities, their execution items and progress. Errors are JSON { code, message, details? }. " +
        `Lists page with page/pageSize (max ${S.MAX_PAGE_SIZE}) or with the keyset cursor from nextCursor. Item batches hold at most ${S.MAX_ITEMS_PER_BATCH} items; bodies at most ${S.MAX_BODY_BYTES} bytes.`,
    },
    servers,
    tags: [
      { name: "Activities" },
      { name: "Execution items" },
      { name: "Configuration" },
      { name: "Authentication" },
      { name: "API keys" },
      { name: "Meta" },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        ApiKeyAuth: { type: "apiKey", in: "header", name: "X-Api-Key" },
        SessionCookie: { type: "apiKey", in: "cookie", name: "syncwatch_session" },
      },
    },
    security: [{ ApiKeyAuth: [] }, { SessionCookie: [] }],
  };
  return cached;
}
