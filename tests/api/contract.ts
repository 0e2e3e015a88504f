/**
 * Every answer the API tests receive is checked against the served OpenAPI document: its status
 * must be documented for the operation, and a JSON body must match the documented schema (the
 * schemas forbid undocumented properties). A mismatch fails the test that received it; the count
 * of checked answers is written to .tmp/reports for the suite's summary.
 */
import fs from "node:fs";
import path from "node:path";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parameterCount, templateRegex } from "./fuzz/doc";

type Json = Record<string, unknown>;

interface Operation {
  method: string;
  template: string;
  re: RegExp;
  responses: Record<string, Json>;
}

let loaded: Promise<{ ajv: InstanceType<typeof Ajv2020>; ops: Operation[] }> | null = null;
const validators = new Map<string, ValidateFunction>();
export const checked = { responses: 0, withBody: 0 };

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

function load(baseUrl: string) {
  loaded ??= (async () => {
    const doc = (await (await fetch(`${baseUrl}/api/v1/openapi.json`)).json()) as Json;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: unknown) => void)(ajv);
    ajv.addSchema(doc, "openapi.json");
    const ops: Operation[] = [];
    for (const [template, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      const re = templateRegex(template);
      for (const [method, op] of Object.entries(item))
        ops.push({ method: method.toUpperCase(), template, re, responses: op.responses as Record<string, Json> });
    }
    return { ajv, ops };
  })();
  return loaded;
}

export class ContractMismatch extends Error {}

/** Checks one answer; throws ContractMismatch when it is not what the document says. */
export async function checkAnswer(
  baseUrl: string,
  method: string,
  apiPath: string,
  status: number,
  contentType: string | null,
  body: unknown,
): Promise<void> {
  const { ajv, ops } = await load(baseUrl);
  const pathOnly = apiPath.split("?")[0];
  // As in the router, a literal segment wins over a parameter (/items/export is not an item id).
  const candidates = ops
    .filter((o) => o.re.test(pathOnly))
    .sort((a, b) => parameterCount(a.template) - parameterCount(b.template));
  // Unknown paths and methods are answered by the proxy with the documented error body.
  const op = candidates.find((o) => o.method === (method === "HEAD" ? "GET" : method));
  checked.responses++;
  if (!op) {
    if ([404, 405].includes(status) && isErrorBody(body)) return;
    throw new ContractMismatch(`${method} ${apiPath}: no such operation in the document, answered ${status}`);
  }
  const documented = op.responses[String(status)];
  if (!documented) throw new ContractMismatch(`${method} ${op.template}: status ${status} is not documented`);
  const content = documented.content as Record<string, { schema?: Json }> | undefined;
  if (status === 304 || status === 204 || method === "HEAD") return;
  if (!content) return;
  if (contentType?.includes("json")) {
    const media = content["application/json"];
    if (!media?.schema)
      throw new ContractMismatch(`${method} ${op.template} ${status}: JSON answer, but no JSON documented`);
    const key = `${op.method} ${op.template} ${status}`;
    let validate = validators.get(key);
    if (!validate) {
      const ref = `openapi.json#/${pointer("paths", op.template, op.method.toLowerCase(), "responses", String(status), "content", "application/json", "schema")}`;
      validate = ajv.getSchema(ref)!;
      validators.set(key, validate);
    }
    checked.withBody++;
    if (!validate(body)) {
      const errors = (validate.errors ?? [])
        .slice(0, 5)
        .map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
      throw new ContractMismatch(
        `${method} ${op.template} ${status}: body does not match the document:\n  ${errors.join("\n  ")}`,
      );
    }
  } else if (!Object.keys(content).some((t) => contentType?.startsWith(t))) {
    throw new ContractMismatch(`${method} ${op.template} ${status}: content type ${contentType} is not documented`);
  }
}

function isErrorBody(body: unknown): boolean {
  const b = body as { code?: unknown; message?: unknown } | null;
  return !!b && typeof b.code === "string" && typeof b.message === "string";
}

/** Appends this file's counts to the report (one line per test file). */
export function reportChecked(store: string, file: string): void {
  const dir = path.resolve(".tmp/reports");
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, `contract-${store}.jsonl`), JSON.stringify({ file, ...checked }) + "\n");
}
