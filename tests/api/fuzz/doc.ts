/**
 * The served OpenAPI document as the fuzzer sees it: every operation with its path, query and
 * header parameters and its JSON body, schemas resolved through `$ref`s into components.
 */
export type Json = Record<string, unknown>;

export interface Param {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  schema: Json;
}

export interface Operation {
  id: string;
  method: string;
  template: string;
  path: Param[];
  query: Param[];
  headers: string[];
  body: { required: boolean; schema: Json } | null;
  responses: Record<string, Json>;
}

const METHODS = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

export class ApiDoc {
  readonly operations: Operation[] = [];

  constructor(readonly raw: Json) {
    for (const [template, item] of Object.entries(raw.paths as Record<string, Record<string, Json>>)) {
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        const params = ((op.parameters as Json[] | undefined) ?? []).map((p) => this.resolve(p) as unknown as Param);
        const content = (this.resolve((op.requestBody as Json | undefined) ?? {}).content ?? {}) as Record<
          string,
          { schema?: Json }
        >;
        const bodySchema = content["application/json"]?.schema;
        this.operations.push({
          id: String(op.operationId),
          method: method.toUpperCase(),
          template,
          path: params.filter((p) => p.in === "path"),
          query: params.filter((p) => p.in === "query"),
          headers: params.filter((p) => p.in === "header").map((p) => p.name),
          body: bodySchema ? { required: Boolean((op.requestBody as Json).required), schema: bodySchema } : null,
          responses: op.responses as Record<string, Json>,
        });
      }
    }
  }

  /** Follows `$ref`s (into #/components/...) until a schema without one. */
  resolve(schema: Json, depth = 0): Json {
    const ref = schema.$ref;
    if (typeof ref !== "string") return schema;
    if (depth > 20 || !ref.startsWith("#/")) throw new Error(`unresolvable $ref ${ref}`);
    let node: unknown = this.raw;
    for (const part of ref.slice(2).split("/")) node = (node as Json)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    if (!node || typeof node !== "object") throw new Error(`dangling $ref ${ref}`);
    const { $ref: _ref, ...rest } = schema;
    return this.resolve({ ...(node as Json), ...rest }, depth + 1);
  }

  /** The error codes of the ErrorBody schema. */
  get errorCodes(): string[] {
    const body = this.resolve({ $ref: "#/components/schemas/ErrorBody" });
    const code = this.resolve((body.properties as Record<string, Json>).code);
    return code.enum as string[];
  }

  get templates(): string[] {
    return Object.keys(this.raw.paths as Json);
  }

  /** The documented methods of a template, upper case. */
  methodsAt(template: string): string[] {
    return this.operations.filter((o) => o.template === template).map((o) => o.method);
  }

  /** The operations at a concrete path (below /api/v1): as in the router, a literal segment wins over a parameter. */
  operationsAt(path: string): Operation[] {
    const pathOnly = path.split("?")[0];
    const found = this.operations.filter((o) => templateRegex(o.template).test(pathOnly));
    const fewest = Math.min(...found.map((o) => parameterCount(o.template)));
    return found.filter((o) => parameterCount(o.template) === fewest);
  }

  /** The operation that serves `method` at a concrete path (below /api/v1), if any. */
  operationAt(method: string, path: string): Operation | undefined {
    return this.operationsAt(path).find((o) => o.method === method);
  }
}

export function templateRegex(template: string): RegExp {
  return new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`);
}

/** How many path parameters a template has (fewer is more specific). */
export const parameterCount = (template: string) => template.split("{").length - 1;

export async function loadDoc(baseUrl: string): Promise<ApiDoc> {
  const res = await fetch(`${baseUrl}/api/v1/openapi.json`);
  if (!res.ok) throw new Error(`openapi.json: ${res.status}`);
  return new ApiDoc((await res.json()) as Json);
}
