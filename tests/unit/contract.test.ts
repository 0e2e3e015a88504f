/**
 * The contract of /api/v1: the endpoint definitions (lib/api/endpoints.ts), the OpenAPI document
 * generated from them (lib/api/openapi.ts) and the zod schemas the routes validate with
 * (lib/api/kit.ts and the resource modules beside it).
 */
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { ALL_ENDPOINTS, endpointsAt } from "@/lib/api/endpoints";
import { impliedErrors } from "@/lib/api/endpoint";
import { routeTable } from "@/lib/api/route-table";
import routesJson from "@/lib/api/routes.json";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { ActivityListQuery, CompleteActivityBody, CreateActivityBody } from "@/lib/api/activities";
import { AppendItemsBody, ItemListQuery, NewExecutionItem } from "@/lib/api/items";
import { MAX_ITEMS_PER_BATCH } from "@/lib/api/limits";
import { FailureObjectQuery } from "@/lib/api/failures";
import { ProgressBody, SamplesQuery } from "@/lib/api/progress";
import { ScheduleExecutionListQuery } from "@/lib/api/schedules";
import { STATUS_OF_CODE } from "@/lib/api/status-codes";
import {
  ACTIVITY_STATUSES,
  ACTIVITY_TARGET_TYPES,
  ERROR_TYPES,
  FAILURE_RECURRENCES,
  OBJECT_CHANGE_TYPES,
  OBJECT_FAILURE_STATES,
  RUN_TYPES,
} from "@/lib/domain/enums";

// The document is JSON: walked generically here.
type Json = any;

const doc: Json = buildOpenApiDocument();
const schemas: Record<string, Json> = doc.components.schemas;
const METHODS = ["get", "post", "patch", "put", "delete"];

function resolve(node: Json): Json {
  let n = node;
  while (n && typeof n.$ref === "string") {
    const [, , section, name] = n.$ref.split("/");
    n = doc.components[section][name];
  }
  return n;
}

function operations(): { path: string; method: string; op: Json }[] {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    Object.entries<Json>(item)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ path, method, op })),
  );
}

function param(path: string, method: string, name: string): Json {
  const p = doc.paths[path]?.[method]?.parameters?.find((x: Json) => x.name === name);
  if (!p) throw new Error(`${method} ${path} documents no parameter ${name}`);
  return p;
}

/** The enum values a (list-valued) parameter accepts, through $refs and anyOf. */
function enumOf(schema: Json): string[] {
  const s = resolve(schema);
  if (s.type === "array") return enumOf(s.items);
  if (s.anyOf) return s.anyOf.flatMap((x: Json) => enumOf(x));
  if (!Array.isArray(s.enum)) throw new Error(`no enum in ${JSON.stringify(s)}`);
  return s.enum;
}

describe("the browser's routes", () => {
  it("lib/api/routes.json is every endpoint's id, method and path (npm run routes writes it)", () => {
    expect(routesJson).toEqual(routeTable());
  });
});

describe("OpenAPI document: shape", () => {
  it("is OpenAPI 3.1, plain JSON, with both security schemes", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(doc.components.securitySchemes.ApiKeyAuth).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "X-Api-Key",
    });
    expect(doc.components.securitySchemes.SessionCookie).toMatchObject({
      type: "apiKey",
      in: "cookie",
      name: "syncwatch_session",
    });
    expect(buildOpenApiDocument()).toBe(doc);
  });

  it("documents every endpoint, and only those, each with its operationId, tag and summary", () => {
    const ops = operations();
    expect(ops).toHaveLength(ALL_ENDPOINTS.length);
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of ALL_ENDPOINTS) {
      const op = doc.paths[e.path]?.[e.method.toLowerCase()];
      expect(op, `${e.method} ${e.path}`).toBeDefined();
      expect(op.operationId).toBe(e.id);
      expect(op.tags).toEqual([e.tag]);
      expect(op.summary).toBeTruthy();
      expect(op.security).toEqual(e.access === "public" ? [] : [{ ApiKeyAuth: [] }, { SessionCookie: [] }]);
    }
  });

  it("every $ref resolves", () => {
    const text = JSON.stringify(doc);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/(\w+)\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(50);
    for (const [, section, name] of refs) expect(doc.components[section]?.[name], `${section}/${name}`).toBeDefined();
    expect(text).not.toContain('"#/$defs/');
  });

  it("every path parameter of the template is documented and required", () => {
    for (const { path, method, op } of operations()) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const documented = (op.parameters ?? []).filter((p: Json) => p.in === "path");
      expect(documented.map((p: Json) => p.name).sort(), `${method} ${path}`).toEqual([...names].sort());
      for (const p of documented) expect(p.required).toBe(true);
      for (const p of op.parameters ?? []) expect(p.schema, `${method} ${path} ${p.name}`).toBeDefined();
    }
  });
});

describe("OpenAPI document: list filters keep their enums", () => {
  it("activities: status, targetType, runType", () => {
    expect(enumOf(param("/activities", "get", "status").schema)).toEqual([...ACTIVITY_STATUSES]);
    expect(enumOf(param("/activities", "get", "targetType").schema)).toEqual([...ACTIVITY_TARGET_TYPES]);
    expect(enumOf(param("/activities", "get", "runType").schema)).toEqual([...RUN_TYPES]);
    const status = param("/activities", "get", "status");
    expect(resolve(status.schema).type).toBe("array");
    expect(status).toMatchObject({ in: "query", required: false, style: "form", explode: true });
    expect(enumOf(param("/schedule-executions", "get", "status").schema)).toEqual([...ACTIVITY_STATUSES]);
  });

  it("execution items: errorType (with any and none), changeType, recurrence", () => {
    expect(enumOf(param("/activities/{id}/items", "get", "errorType").schema).sort()).toEqual(
      [...ERROR_TYPES, "any", "none"].sort(),
    );
    expect(enumOf(param("/activities/{id}/items.csv", "get", "errorType").schema).sort()).toEqual(
      [...ERROR_TYPES, "any", "none"].sort(),
    );
    expect(enumOf(param("/activities/{id}/items", "get", "changeType").schema)).toEqual([...OBJECT_CHANGE_TYPES]);
    expect(enumOf(param("/activities/{id}/items", "get", "recurrence").schema)).toEqual([...FAILURE_RECURRENCES]);
  });

  it("failures: state and errorType, in every failure list and the export", () => {
    for (const path of ["/failures", "/failures/objects", "/failures.csv"]) {
      expect(enumOf(param(path, "get", "state").schema), path).toEqual([...OBJECT_FAILURE_STATES]);
      expect(enumOf(param(path, "get", "errorType").schema), path).toEqual([...ERROR_TYPES]);
    }
  });

  it("sorts and orders are enums too", () => {
    expect(enumOf(param("/activities", "get", "sort").schema)).toContain("created");
    expect(enumOf(param("/activities", "get", "order").schema)).toEqual(["asc", "desc"]);
  });
});

describe("OpenAPI document: responses", () => {
  it("conditional endpoints document 304 with ETag and accept If-None-Match; the others do not", () => {
    for (const e of ALL_ENDPOINTS) {
      const op = doc.paths[e.path][e.method.toLowerCase()];
      const where = `${e.method} ${e.path}`;
      if (e.conditional) {
        expect(op.responses["304"], where).toBeDefined();
        expect(resolve(op.responses["304"].headers.ETag), where).toBeDefined();
        expect(op.responses[String(e.response.status)].headers?.ETag, where).toBeDefined();
        expect(param(e.path, e.method.toLowerCase(), "If-None-Match").in).toBe("header");
      } else {
        expect(op.responses["304"], where).toBeUndefined();
      }
      if (e.longPoll) expect(param(e.path, e.method.toLowerCase(), "wait").in, where).toBe("query");
    }
  });

  it("every operation documents 405 with Allow, and 500", () => {
    for (const { path, method, op } of operations()) {
      const r405 = op.responses["405"];
      expect(r405, `${method} ${path}`).toBeDefined();
      expect(resolve(r405.headers.Allow).description).toMatch(/methods/);
      expect(op.responses["500"], `${method} ${path}`).toBeDefined();
    }
  });

  it("every error response carries ErrorBody; 429 and 503 document Retry-After", () => {
    for (const { path, method, op } of operations())
      for (const [status, r] of Object.entries<Json>(op.responses)) {
        if (Number(status) < 400) continue;
        const where = `${method} ${path} ${status}`;
        expect(r.content["application/json"].schema, where).toEqual({ $ref: "#/components/schemas/ErrorBody" });
        if (status === "429" || status === "503") expect(r.headers?.["Retry-After"], where).toBeDefined();
      }
    expect(schemas.ErrorBody.required).toEqual(["code", "message"]);
  });

  it("each endpoint documents its own error codes and those its shape implies; authenticated ones 401, admin ones 403", () => {
    for (const e of ALL_ENDPOINTS) {
      const op = doc.paths[e.path][e.method.toLowerCase()];
      for (const code of [...(e.errors ?? []), ...impliedErrors(e)])
        expect(op.responses[String(STATUS_OF_CODE[code])], `${e.id} ${code}`).toBeDefined();
      if (e.access !== "public") expect(op.responses["401"], e.id).toBeDefined();
      if (e.access === "admin") expect(op.responses["403"], e.id).toBeDefined();
    }
  });

  it("201 answers name the new resource in Location; idempotent writes accept Idempotency-Key", () => {
    for (const e of ALL_ENDPOINTS) {
      const op = doc.paths[e.path][e.method.toLowerCase()];
      if (e.response.status === 201) expect(op.responses["201"].headers.Location, e.id).toBeDefined();
      if (e.idempotent) expect(param(e.path, e.method.toLowerCase(), "Idempotency-Key").in).toBe("header");
    }
    expect(ALL_ENDPOINTS.some((e) => e.response.status === 201)).toBe(true);
    expect(ALL_ENDPOINTS.some((e) => e.idempotent)).toBe(true);
  });

  it("request bodies use the input form (defaults optional, unknown properties refused)", () => {
    const create = schemas.CreateActivityBody;
    expect(create.required).toEqual(["name", "targetType"]);
    expect(create.additionalProperties).toBe(false);
    expect(create.properties.objectsToProcess.maximum).toBe(2_147_483_647);
    const item = resolve(schemas.AppendItemsBody.properties.items.items);
    expect(item.required).toEqual(["sequence", "objectChangeType"]);
    expect(item.additionalProperties).toBe(false);
    expect(schemas.AppendItemsBody.properties.items.maxItems).toBe(5000);
    expect(Object.keys(schemas.ExecutionStats.properties)).toHaveLength(23);
    expect(schemas.ActivityTree.properties.root.$ref).toBe("#/components/schemas/ActivityTreeNode");
  });
});

describe("OpenAPI document: descriptions", () => {
  /** A property is described by its own description, or by the schema it refers to (also through anyOf). */
  function described(node: Json): boolean {
    if (!node || typeof node !== "object") return false;
    if (typeof node.description === "string" && node.description.trim()) return true;
    if (node.$ref) return described(resolve(node));
    const alternatives = (node.anyOf ?? node.oneOf ?? []).filter((x: Json) => x.type !== "null");
    return alternatives.length > 0 && alternatives.every(described);
  }

  function undescribed(node: Json, where: string, out: Set<string>): void {
    if (!node || typeof node !== "object" || node.$ref) return;
    for (const [name, prop] of Object.entries<Json>(node.properties ?? {})) {
      if (!described(prop)) out.add(`${where}.${name}`);
      undescribed(prop, `${where}.${name}`, out);
    }
    if (node.items) undescribed(node.items, `${where}[]`, out);
    if (node.additionalProperties && typeof node.additionalProperties === "object")
      undescribed(node.additionalProperties, `${where}{}`, out);
    for (const alt of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])])
      undescribed(alt, where, out);
  }

  it("descriptions carry no line-wrapping artifacts (a line break followed by indentation)", () => {
    const wrapped = new Set<string>();
    const visit = (node: Json, where: string) => {
      if (Array.isArray(node)) node.forEach((x, i) => visit(x, `${where}[${i}]`));
      else if (node && typeof node === "object")
        for (const [k, v] of Object.entries<Json>(node)) {
          if ((k === "description" || k === "summary") && typeof v === "string" && /\n[ \t]+/.test(v))
            wrapped.add(where);
          visit(v, `${where}.${k}`);
        }
    };
    visit(doc, "#");
    expect([...wrapped]).toEqual([]);
  });

  it("every example matches its schema: response examples by operation, request examples by component", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: unknown) => void)(ajv);
    ajv.addSchema(doc, "openapi.json");
    const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
    const problems: string[] = [];
    let responses = 0;
    for (const [path, item] of Object.entries<Json>(doc.paths))
      for (const [method, op] of Object.entries<Json>(item))
        for (const [status, response] of Object.entries<Json>(op.responses)) {
          const media = response.content?.["application/json"];
          if (media?.example === undefined) continue;
          responses++;
          const at = pointer("paths", path, method, "responses", status, "content", "application/json", "schema");
          const validate = ajv.compile({ $ref: `openapi.json#/${at}` });
          if (!validate(media.example)) problems.push(`${op.operationId}: ${ajv.errorsText(validate.errors)}`);
        }
    for (const [name, schema] of Object.entries<Json>(schemas))
      for (const example of schema.examples ?? []) {
        const validate = ajv.compile({ $ref: `openapi.json#/${pointer("components", "schemas", name)}` });
        if (!validate(example)) problems.push(`${name}: ${ajv.errorsText(validate.errors)}`);
      }
    expect(problems).toEqual([]);
    // The main reads carry one: lists, details, the live snapshot, failures.
    expect(responses).toBeGreaterThanOrEqual(20);
  });

  it("every property of every component schema has a description", () => {
    const missing = new Set<string>();
    for (const [name, schema] of Object.entries(schemas)) undescribed(schema, name, missing);
    expect([...missing], `${missing.size} properties without a description`).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The schemas the routes validate with
// ---------------------------------------------------------------------------------------------

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, v: unknown) => schema.safeParse(v).success;
const ITEM = { sequence: 0, objectChangeType: "Add" };
const RUN = {
  name: "HR: Delta Import",
  targetType: "ConnectedSystemRunProfile",
  connectedSystemId: 1,
  runProfileId: 2,
};

describe("schemas: what PostgreSQL can store", () => {
  it("refuse NUL and unpaired surrogates in text; accept paired surrogates", () => {
    for (const bad of ["a\u0000b", "\ud800", "x\udc00y", "\udbff"]) {
      expect(ok(CreateActivityBody, { ...RUN, name: bad }), JSON.stringify(bad)).toBe(false);
      expect(ok(CreateActivityBody, { ...RUN, message: bad })).toBe(false);
      expect(ok(NewExecutionItem, { ...ITEM, displayName: bad })).toBe(false);
      expect(ok(ProgressBody, { phase: bad })).toBe(false);
    }
    expect(ok(CreateActivityBody, { ...RUN, name: "Zoë 😀" })).toBe(true);
    expect(ok(NewExecutionItem, { ...ITEM, displayName: "😀" })).toBe(true);
  });

  it("refuse integers above 2,147,483,647, in bodies and in queries", () => {
    const max = 2_147_483_647;
    expect(ok(CreateActivityBody, { ...RUN, objectsToProcess: max })).toBe(true);
    expect(ok(CreateActivityBody, { ...RUN, objectsToProcess: max + 1 })).toBe(false);
    expect(ok(CreateActivityBody, { ...RUN, connectedSystemId: max + 1 })).toBe(false);
    expect(ok(ProgressBody, { objectsProcessed: max + 1 })).toBe(false);
    expect(ok(ProgressBody, { counters: { totalJoins: max + 1 } })).toBe(false);
    expect(ok(ProgressBody, { counters: { totalJoins: 1.5 } })).toBe(false);
    expect(ok(NewExecutionItem, { ...ITEM, sequence: max + 1 })).toBe(false);
    expect(ok(NewExecutionItem, { ...ITEM, sequence: -1 })).toBe(false);
    expect(ok(CompleteActivityBody, { objectsProcessed: 1e300 })).toBe(false);
    expect(ok(ActivityListQuery, { connectedSystemId: String(max) })).toBe(true);
    expect(ok(ActivityListQuery, { connectedSystemId: String(max + 1) })).toBe(false);
    expect(ok(FailureObjectQuery, { connectedSystemId: String(max + 1) })).toBe(false);
  });

  it("refuse dates outside 1970–9999 and dates without an offset", () => {
    for (const d of ["1969-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "+010000-01-01T00:00:00Z", "2026-11-22T10:00:00"])
      expect(ok(ActivityListQuery, { from: d }), d).toBe(false);
    for (const d of ["1970-01-01T00:00:00Z", "2026-11-22T10:00:00.123+01:00", "9999-12-31T23:59:59Z"])
      expect(ok(ActivityListQuery, { to: d }), d).toBe(true);
    expect(ok(NewExecutionItem, { ...ITEM, processedAt: "1900-01-01T00:00:00Z" })).toBe(false);
    expect(ok(SamplesQuery, { after: "10000-01-01T00:00:00Z" })).toBe(false);
  });

  it("refuse unknown properties in bodies, queries and counters", () => {
    expect(ok(CreateActivityBody, { ...RUN, colour: "red" })).toBe(false);
    expect(ok(ProgressBody, { objectsProcessed: 1, extra: 1 })).toBe(false);
    expect(ok(ProgressBody, { counters: { totalJoinz: 1 } })).toBe(false);
    expect(ok(CompleteActivityBody, { status: "Complete", why: "x" })).toBe(false);
    expect(ok(NewExecutionItem, { ...ITEM, colour: "red" })).toBe(false);
    expect(ok(NewExecutionItem, { ...ITEM, outcomes: [{ type: "Joined", count: 1, x: 1 }] })).toBe(false);
    expect(ok(AppendItemsBody, { items: [ITEM], more: true })).toBe(false);
    expect(ok(ActivityListQuery, { statuss: "Complete" })).toBe(false);
    expect(ok(ItemListQuery, { page: "1", foo: "bar" })).toBe(false);
  });
});

describe("schemas: rules of the write bodies", () => {
  it("AppendItemsBody refuses a sequence repeated within a batch, and empty or oversized batches", () => {
    const r = AppendItemsBody.safeParse({ items: [ITEM, { ...ITEM, objectChangeType: "Update" }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toContain("Each sequence may appear once in a batch");
    expect(ok(AppendItemsBody, { items: [ITEM, { ...ITEM, sequence: 1 }] })).toBe(true);
    expect(ok(AppendItemsBody, { items: [] })).toBe(false);
    const many = Array.from({ length: MAX_ITEMS_PER_BATCH + 1 }, (_, sequence) => ({ ...ITEM, sequence }));
    expect(MAX_ITEMS_PER_BATCH).toBe(5000);
    expect(ok(AppendItemsBody, { items: many })).toBe(false);
    expect(ok(AppendItemsBody, { items: many.slice(0, MAX_ITEMS_PER_BATCH) })).toBe(true);
  });

  it("NewExecutionItem fills its defaults", () => {
    expect(NewExecutionItem.parse(ITEM)).toEqual({
      sequence: 0,
      objectChangeType: "Add",
      externalIdValue: null,
      displayName: null,
      connectedSystemObjectType: null,
      errorType: null,
      errorMessage: null,
      errorDetail: null,
      outcomes: [],
      attributeChanges: [],
      connectedSystemObjectId: null,
      metaverseObjectId: null,
    });
  });

  it("ProgressBody refuses more processed than to process in one report", () => {
    expect(ok(ProgressBody, { objectsProcessed: 5, objectsToProcess: 5 })).toBe(true);
    expect(ok(ProgressBody, { objectsProcessed: 6, objectsToProcess: 5 })).toBe(false);
    expect(ok(ProgressBody, {})).toBe(true); // a heartbeat
  });

  it("CreateActivityBody needs the ids its target type names", () => {
    expect(ok(CreateActivityBody, { name: "x", targetType: "ConnectedSystemRunProfile", connectedSystemId: 1 })).toBe(
      false,
    );
    expect(ok(CreateActivityBody, { name: "x", targetType: "Schedule" })).toBe(false);
    expect(ok(CreateActivityBody, { name: "x", targetType: "Schedule", scheduleId: 1 })).toBe(true);
    expect(ok(CreateActivityBody, { name: "   ", targetType: "Certificate" })).toBe(false);
    expect(ok(CreateActivityBody, { name: "x", targetType: "Nope" })).toBe(false);
  });

  it("CompleteActivityBody takes only terminal statuses a reporter may send", () => {
    for (const status of ["Complete", "CompleteWithWarning", "CompleteWithError", "FailedWithError"])
      expect(ok(CompleteActivityBody, { status })).toBe(true);
    for (const status of ["InProgress", "Cancelled"]) expect(ok(CompleteActivityBody, { status })).toBe(false);
    expect(ok(CompleteActivityBody, {})).toBe(true);
  });
});

describe("schemas: list filters", () => {
  it("accept repeated and comma-separated values, refuse unknown ones", () => {
    expect(ActivityListQuery.parse({ status: ["Complete", "FailedWithError,Cancelled"] }).status).toEqual([
      "Complete",
      "FailedWithError",
      "Cancelled",
    ]);
    expect(ActivityListQuery.parse({ status: "Complete, InProgress" }).status).toEqual(["Complete", "InProgress"]);
    expect(ok(ActivityListQuery, { status: "Done" })).toBe(false);
    expect(ok(ActivityListQuery, { status: "," })).toBe(false);
    expect(ok(ActivityListQuery, { status: Array(51).fill("Complete") })).toBe(false);
    expect(ItemListQuery.parse({ errorType: "any,none,DuplicateObject" }).errorType).toEqual([
      "any",
      "none",
      "DuplicateObject",
    ]);
    expect(ok(ItemListQuery, { errorType: "some" })).toBe(false);
    expect(ok(ItemListQuery, { recurrence: "Recurring" })).toBe(true);
    expect(ok(ScheduleExecutionListQuery, { status: "InProgress" })).toBe(true);
    expect(FailureObjectQuery.parse({ connectedSystemId: "1,2" }).connectedSystemId).toEqual([1, 2]);
  });

  it("apply their defaults", () => {
    expect(ActivityListQuery.parse({})).toMatchObject({
      page: 1,
      pageSize: 25,
      topLevelOnly: true,
      sort: "created",
      order: "desc",
    });
    expect(ItemListQuery.parse({})).toMatchObject({ sort: "sequence", order: "asc" });
    expect(ActivityListQuery.parse({ topLevelOnly: "0" }).topLevelOnly).toBe(false);
    expect(ok(ActivityListQuery, { pageSize: "101" })).toBe(false);
    expect(ok(ActivityListQuery, { page: "1000001" })).toBe(false);
  });
});

describe("endpointsAt", () => {
  it("matches path templates, ignoring a trailing slash; unknown paths match nothing", () => {
    const id = "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00";
    expect(
      endpointsAt("/activities")
        .map((e) => e.method)
        .sort(),
    ).toEqual(["GET", "POST"]);
    expect(endpointsAt(`/activities/${id}/`).map((e) => e.id)).toEqual(["getActivity"]);
    expect(endpointsAt(`/activities/${id}/items.csv`).map((e) => e.id)).toEqual(["exportExecutionItems"]);
    expect(endpointsAt(`/activities/${id}/itemsXcsv`)).toEqual([]);
    expect(endpointsAt("/nothing")).toEqual([]);
    expect(endpointsAt(`/activities/${id}/items/x/y`)).toEqual([]);
  });

  it("prefers a literal segment to a parameter, as the router does", () => {
    const id = "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00";
    expect(endpointsAt(`/activities/${id}/items/export`).map((e) => e.id)).toEqual(["exportExecutionItemsLegacy"]);
    expect(endpointsAt(`/activities/${id}/items/${id}`).map((e) => e.id)).toEqual(["getExecutionItem"]);
  });
});
