/**
 * The OpenAPI 3.1 document of /api/v1, generated from the endpoint definitions (./endpoints.ts)
 * and their zod schemas: descriptions, ranges, enums and examples all come from the schemas.
 * Served at /api/v1/openapi.json.
 */
import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "@/lib/domain/errors";
import { impliedErrors, type Endpoint, type Tag } from "./endpoint";
import { ALL_ENDPOINTS, type EndpointId } from "./endpoints";
import GENERATED_EXAMPLES from "./examples.json";
import { LIST_ITEM_SCHEMAS } from "./kit";
import { MAX_BODY_BYTES, MAX_ITEMS_PER_BATCH, MAX_PAGE_SIZE, MAX_WAIT_SECONDS } from "./limits";
import { ERROR_ANSWERS, STATUS_OF_CODE } from "./status-codes";
import { WEBHOOK_EVENT, WEBHOOK_HEADERS } from "./webhooks";

type Json = Record<string, unknown>;
const REF = (id: string) => `#/components/schemas/${id}`;

/** Keeps the enum of list-valued query filters (they accept repeated or comma-separated values). */
function override(ctx: { zodSchema: unknown; jsonSchema: Json }) {
  const item = LIST_ITEM_SCHEMAS.get(ctx.zodSchema as z.ZodType);
  if (!item) return;
  for (const k of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[k];
  Object.assign(ctx.jsonSchema, { type: "array", items: inline(item, "input") });
}

/** A schema as JSON Schema with references into components, without $schema/$defs. */
function inline(schema: z.ZodType, io: "input" | "output"): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any", override }) as Json;
  delete json.$schema;
  delete json.$defs;
  return JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json;
}

function components(requestIds: Set<string>): Record<string, Json> {
  const uri = (id: string) => REF(id);
  const out = z.toJSONSchema(z.globalRegistry, { io: "output", uri, unrepresentable: "any", override })
    .schemas as Record<string, Json>;
  const inp = z.toJSONSchema(z.globalRegistry, { io: "input", uri, unrepresentable: "any", override })
    .schemas as Record<string, Json>;
  const result: Record<string, Json> = {};
  for (const id of Object.keys(out).sort()) {
    const { $schema: _s, $id: _i, ...schema } = requestIds.has(id) ? inp[id] : out[id];
    result[id] = schema;
  }
  return result;
}

const idOf = (schema: z.ZodType | undefined) =>
  schema ? (z.globalRegistry.get(schema)?.id as string | undefined) : undefined;

function schemaRef(schema: z.ZodType, io: "input" | "output"): Json {
  const id = idOf(schema);
  return id ? { $ref: REF(id) } : inline(schema, io);
}

function parameters(schema: z.ZodType | undefined, where: "path" | "query"): Json[] {
  if (!schema) return [];
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  return Object.entries(shape).map(([name, prop]) => {
    const json = inline(prop, "input");
    const { description, ...rest } = json;
    const list = rest.type === "array";
    return {
      name,
      in: where,
      required: where === "path" || !prop.safeParse(undefined).success,
      description: (description as string | undefined) ?? name,
      schema: rest,
      ...(list ? { style: "form", explode: true } : {}),
    };
  });
}

const HEADERS: Json = {
  ETag: { description: "Version of the representation; send it back in If-None-Match", schema: { type: "string" } },
  Location: { description: "URL of the resource", schema: { type: "string" } },
  Deprecation: {
    description: "When this operation was deprecated (RFC 9745: @ and Unix seconds)",
    schema: { type: "string" },
  },
  Sunset: { description: "After this date the operation may be removed (RFC 8594)", schema: { type: "string" } },
  Link: { description: 'The successor operation (rel="successor-version")', schema: { type: "string" } },
  RetryAfter: { description: "Seconds to wait before trying again", schema: { type: "integer" } },
  RateLimit: {
    description:
      'Failed authentication left (IETF draft httpapi-ratelimit-headers): the tighter policy, r = failures left, t = seconds until its window ends, e.g. "failed-auth-client";r=7;t=42',
    schema: { type: "string" },
  },
  RateLimitPolicy: {
    description:
      'The limits of failed authentication: per client address and per key prefix, q failures per w seconds, e.g. "failed-auth-client";q=10;w=60, "failed-auth-key";q=30;w=60',
    schema: { type: "string" },
  },
  Allow: { description: "The methods this path accepts", schema: { type: "string" } },
  IdempotentReplayed: {
    description: "true when this answer is the stored answer to an earlier request with the same Idempotency-Key",
    schema: { type: "string", enum: ["true"] },
  },
};

function errorResponse(code: ErrorCode): Json {
  const headers: Json = {};
  if (code === "TOO_MANY_REQUESTS" || code === "SERVICE_UNAVAILABLE")
    headers["Retry-After"] = { $ref: "#/components/headers/RetryAfter" };
  if (code === "METHOD_NOT_ALLOWED") headers.Allow = { $ref: "#/components/headers/Allow" };
  if (code === "UNAUTHORISED" || code === "TOO_MANY_REQUESTS") {
    headers.RateLimit = { $ref: "#/components/headers/RateLimit" };
    headers["RateLimit-Policy"] = { $ref: "#/components/headers/RateLimitPolicy" };
  }
  return {
    description: `${code}: ${ERROR_ANSWERS[code].meaning}`,
    ...(Object.keys(headers).length ? { headers } : {}),
    content: { "application/json": { schema: { $ref: REF("ErrorBody") } } },
  };
}

/** Answers of the real handlers, generated by scripts/examples.ts (`npm run examples`). */
const RESPONSE_EXAMPLES: Partial<Record<EndpointId, unknown>> = GENERATED_EXAMPLES;

function exampleOf(e: Endpoint): Json {
  const example = RESPONSE_EXAMPLES[e.id as EndpointId];
  return example === undefined ? {} : { example };
}

function operation(e: Endpoint): Json {
  const responses: Json = {};
  const okHeaders: Json = {};
  if (e.conditional) okHeaders.ETag = { $ref: "#/components/headers/ETag" };
  if (e.response.status === 201) okHeaders.Location = { $ref: "#/components/headers/Location" };
  if (e.idempotent) okHeaders["Idempotent-Replayed"] = { $ref: "#/components/headers/IdempotentReplayed" };
  if (e.deprecated)
    for (const h of ["Deprecation", "Sunset", "Link"]) okHeaders[h] = { $ref: `#/components/headers/${h}` };
  const content = e.response.contentType
    ? { [e.response.contentType]: { schema: { type: "string" } } }
    : e.response.schema
      ? { "application/json": { schema: schemaRef(e.response.schema, "output"), ...exampleOf(e) } }
      : e.id === "getOpenApi"
        ? { "application/json": { schema: { type: "object", description: "An OpenAPI 3.1 document" } } }
        : undefined;
  responses[String(e.response.status)] = {
    description: e.response.description,
    ...(Object.keys(okHeaders).length ? { headers: okHeaders } : {}),
    ...(content ? { content } : {}),
  };
  for (const alt of e.alsoOk ?? [])
    responses[String(alt.status)] = {
      description: alt.description,
      headers: okHeaders,
      ...(content ? { content } : {}),
    };
  if (e.conditional)
    responses["304"] = {
      description: e.longPoll
        ? "Not modified: If-None-Match matched the ETag (after waiting up to ?wait= seconds for a change)"
        : "Not modified: If-None-Match matched the ETag",
      headers: { ETag: { $ref: "#/components/headers/ETag" } },
    };
  const codes = [...new Set([...(e.errors ?? []), ...impliedErrors(e)])].sort(
    (a, b) => STATUS_OF_CODE[a] - STATUS_OF_CODE[b],
  );
  for (const code of codes) {
    const status = String(STATUS_OF_CODE[code]);
    if (!responses[status]) responses[status] = errorResponse(code);
  }
  const params = [...parameters(e.params, "path"), ...parameters(e.query, "query")];
  if (e.conditional)
    params.push({
      name: "If-None-Match",
      in: "header",
      required: false,
      description: "The ETag you have: 304 when it is still current",
      schema: { type: "string" },
    });
  if (e.idempotent)
    params.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description:
        "Any unique string (at most 200 characters): a repeated request with the same key gets the first answer",
      schema: { type: "string", maxLength: 200 },
    });
  const access =
    e.access === "admin"
      ? "Requires the Administrator role."
      : e.access === "read"
        ? "Administrator or ReadOnly."
        : "No authentication.";
  const deprecation = e.deprecated
    ? `Deprecated since ${e.deprecated.since}: use ${e.deprecated.successor}; answered until ${e.deprecated.sunset}.`
    : undefined;
  return {
    operationId: e.id,
    summary: e.summary,
    description: [deprecation, e.description, access].filter(Boolean).join(" "),
    ...(e.deprecated ? { deprecated: true } : {}),
    tags: [e.tag],
    ...(params.length ? { parameters: params } : {}),
    ...(e.body
      ? {
          requestBody: {
            required: !e.bodyOptional,
            content: { "application/json": { schema: schemaRef(e.body, "input") } },
          },
        }
      : {}),
    responses,
    security: e.access === "public" ? [] : [{ ApiKeyAuth: [] }, { SessionCookie: [] }],
  };
}

/** Each tag's description, in the document's order (every tag has one: the compiler checks). */
const TAGS: Record<Tag, string> = {
  Activities: "Tracked operations: runs, schedule executions, schema imports, certificate and configuration changes",
  Progress: "Where a running activity stands; long polls for watchers",
  "Execution items": "What happened to each object of a run",
  "Schedule executions": "Schedule runs with every planned step",
  Operations: "The queue: running, queued, next",
  Failures: "Failing objects tracked across runs",
  "Saved views": "Named list filters per API key",
  Webhooks: "A saved view's outgoing webhook: runs matching it that failed, signed and retried",
  Configuration: "Connected systems, run profiles, schedules, and running them",
  Authentication: "Browser sessions",
  "API keys": "Keys and roles",
  Meta: "Health and this document",
};

/** What Syncwatch sends to a saved view's webhook (OpenAPI 3.1 `webhooks`). */
const WEBHOOKS: Json = {
  [WEBHOOK_EVENT]: {
    post: {
      summary: "A run matching a saved view failed",
      description: [
        "Sent once per run and webhook when a run matching the view ends CompleteWithError or FailedWithError,",
        "retried with exponential backoff until the receiver answers 2xx. Verify the signature before trusting",
        `the body: ${WEBHOOK_HEADERS.signature} is \`t=<unix seconds>,v1=<hex>\` where <hex> is`,
        "HMAC-SHA256(secret, `<t>.<raw body>`); compare in constant time and refuse old timestamps (docs/webhooks.md).",
      ].join(" "),
      parameters: [
        { name: WEBHOOK_HEADERS.signature, in: "header", required: true, schema: { type: "string" } },
        {
          name: WEBHOOK_HEADERS.delivery,
          in: "header",
          required: true,
          description: "The delivery id: the same on retries and redeliveries (deduplicate on it)",
          schema: { type: "string", format: "uuid" },
        },
        {
          name: WEBHOOK_HEADERS.event,
          in: "header",
          required: true,
          schema: { type: "string", enum: [WEBHOOK_EVENT] },
        },
      ],
      requestBody: { required: true, content: { "application/json": { schema: { $ref: REF("WebhookPayload") } } } },
      responses: { "200": { description: "Received (any 2xx status counts)" } },
    },
  },
};

let cached: Json | null = null;

export function buildOpenApiDocument(): Json {
  if (cached) return cached;
  const requestIds = new Set(ALL_ENDPOINTS.map((e) => idOf(e.body)).filter((id): id is string => Boolean(id)));
  const paths: Record<string, Json> = {};
  for (const e of ALL_ENDPOINTS) paths[e.path] = { ...(paths[e.path] ?? {}), [e.method.toLowerCase()]: operation(e) };
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Syncwatch API",
      version: "1.1.0",
      summary: "Identity-synchronisation activities, their execution items, progress and failures.",
      description: [
        "Authenticate with the X-Api-Key header, or with the session cookie a browser gets from POST /auth/session.",
        "Errors are JSON { code, message, details?, requestId? } with these codes: " + ERROR_CODES.join(", ") + ".",
        `Lists page with page/pageSize (at most ${MAX_PAGE_SIZE} rows, 1,000,000 rows deep) or with the keyset cursor of nextCursor (any depth).`,
        "Totals say how well they are known (countStatus: exact, atLeast or unknown); ask count=exact for an exact one.",
        "Operations marked deprecated answer with Deprecation, Sunset and a successor-version Link until their sunset; docs/api/CHANGELOG.md lists every change.",
        `Polled reads answer 304 to If-None-Match; many accept ?wait= (at most ${MAX_WAIT_SECONDS} s) to wait for a change.`,
        `Item batches hold at most ${MAX_ITEMS_PER_BATCH} items; bodies at most ${MAX_BODY_BYTES} bytes.`,
        "Integers are 32-bit (at most 2,147,483,647); text may not contain NUL or unpaired surrogates; dates lie between 1970 and 9999.",
        "State-changing requests made with the session cookie must come from the dashboard's own origin.",
      ].join("\n\n"),
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: "/api/v1", description: "This server" }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    webhooks: WEBHOOKS,
    components: {
      schemas: components(requestIds),
      headers: HEADERS,
      securitySchemes: {
        ApiKeyAuth: { type: "apiKey", in: "header", name: "X-Api-Key", description: "An API key (sw_…)" },
        SessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "syncwatch_session",
          description: "Set by POST /auth/session",
        },
      },
    },
    security: [{ ApiKeyAuth: [] }, { SessionCookie: [] }],
  };
  return cached;
}
