/**
 * What a new OpenAPI document breaks for clients of a released one: a removed operation,
 * parameter, property or enum value, a type taken away, a parameter or body field newly required,
 * a request limit tightened, a response field no longer always present. Whatever the released
 * document marks `deprecated` may go. Additions and widenings are not breaking.
 *
 *   npx tsx scripts/openapi-diff.ts docs/api/openapi-1.0.0.json [current.json]
 *
 * Without a second file it builds the current document from the endpoint definitions.
 */
type Schema = Record<string, unknown>;
type Doc = { paths: Record<string, Record<string, Schema>>; components?: { schemas?: Record<string, Schema> } };
type Direction = "request" | "response";

const METHODS = ["get", "put", "post", "patch", "delete"];
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export function breakingChanges(released: Doc, current: Doc): string[] {
  const problems: string[] = [];
  for (const [path, ops] of Object.entries(released.paths)) {
    for (const method of METHODS) {
      const before = ops[method];
      if (!before) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const after = current.paths[path]?.[method];
      if (!after) {
        if (!before.deprecated) problems.push(`${where}: operation removed without a deprecation`);
        continue;
      }
      if (before.deprecated) continue;
      new Walk(released, current, problems).operation(where, before, after);
    }
  }
  return problems;
}

class Walk {
  private readonly seen = new Set<string>();
  constructor(
    private readonly released: Doc,
    private readonly current: Doc,
    private readonly problems: string[],
  ) {}

  operation(where: string, before: Schema, after: Schema) {
    const key = (p: Schema) => `${String(p.in)}:${String(p.name)}`;
    const next = new Map((asArray(after.parameters) as Schema[]).map((p) => [key(p), p]));
    const prev = new Set((asArray(before.parameters) as Schema[]).map(key));
    for (const p of asArray(before.parameters) as Schema[]) {
      const at = `${where} parameter ${String(p.name)} (${String(p.in)})`;
      const n = next.get(key(p));
      if (!n) {
        if (!p.deprecated) this.problems.push(`${at}: removed without a deprecation`);
        continue;
      }
      if (n.required && !p.required) this.problems.push(`${at}: now required`);
      this.schema(at, p.schema as Schema, n.schema as Schema, "request");
    }
    for (const [k, n] of next)
      if (!prev.has(k) && n.required) this.problems.push(`${where} parameter ${String(n.name)}: new and required`);
    const body = (o: Schema) =>
      (o.requestBody as Schema | undefined)?.content as Record<string, { schema?: Schema }> | undefined;
    for (const [type, c] of Object.entries(body(before) ?? {})) {
      const n = body(after)?.[type];
      if (!n) this.problems.push(`${where} request body ${type}: no longer accepted`);
      else if (c.schema && n.schema) this.schema(`${where} request body`, c.schema, n.schema, "request");
    }
    const responses = (o: Schema) => (o.responses ?? {}) as Record<string, Schema>;
    for (const [status, r] of Object.entries(responses(before))) {
      if (!/^2/.test(status)) continue;
      const n = responses(after)[status];
      if (!n) {
        this.problems.push(`${where} response ${status}: removed`);
        continue;
      }
      const content = (x: Schema) => (x.content ?? {}) as Record<string, { schema?: Schema }>;
      for (const [type, c] of Object.entries(content(r))) {
        const m = content(n)[type];
        if (!m) this.problems.push(`${where} response ${status} ${type}: no longer sent`);
        else if (c.schema && m.schema) this.schema(`${where} response ${status}`, c.schema, m.schema, "response");
      }
    }
  }

  private resolve(doc: Doc, s: Schema | undefined): Schema | undefined {
    const ref = s?.$ref;
    if (typeof ref !== "string") return s;
    return doc.components?.schemas?.[ref.replace("#/components/schemas/", "")];
  }

  /** The problems of reading `after` where `before` was promised (collected, not yet reported). */
  private problemsOf(at: string, before: Schema, after: Schema, dir: Direction): string[] {
    const saved = this.problems.length;
    this.schema(at, before, after, dir);
    return this.problems.splice(saved);
  }

  schema(at: string, beforeRaw: Schema | undefined, afterRaw: Schema | undefined, dir: Direction) {
    if (!beforeRaw || !afterRaw) return;
    const refKey = `${String(beforeRaw.$ref ?? "")}>${String(afterRaw.$ref ?? "")}:${dir}`;
    if (beforeRaw.$ref && afterRaw.$ref) {
      if (this.seen.has(refKey)) return;
      this.seen.add(refKey);
    }
    const before = this.resolve(this.released, beforeRaw);
    const after = this.resolve(this.current, afterRaw);
    if (!before || !after || before.deprecated) return;
    // Unions: each released branch must still be read by some branch of the new one.
    const branches = (s: Schema) => (asArray(s.anyOf ?? s.oneOf) as Schema[]).filter(Boolean);
    if (branches(before).length) {
      for (const b of branches(before)) this.schema(at, b, after, dir);
      return;
    }
    if (branches(after).length) {
      const tries = branches(after).map((b) => this.problemsOf(at, before, b, dir));
      const best = tries.reduce((a, b) => (b.length < a.length ? b : a));
      if (best.length) this.problems.push(...best);
      return;
    }
    const types = (s: Schema) => new Set(asArray(s.type).map(String));
    const lost = [...types(before)].filter((t) => types(after).size && !types(after).has(t));
    if (lost.length) this.problems.push(`${at}: type ${lost.join(", ")} taken away`);
    if (Array.isArray(after.enum)) {
      const removed = asArray(before.enum ?? (before.const !== undefined ? [before.const] : [])).filter(
        (v) => !(after.enum as unknown[]).includes(v),
      );
      if (removed.length) this.problems.push(`${at}: enum value ${removed.map(String).join(", ")} removed`);
    }
    if (dir === "request") this.limits(at, before, after);
    const props = (s: Schema) => (s.properties ?? {}) as Record<string, Schema>;
    const required = (s: Schema) => new Set(asArray(s.required).map(String));
    for (const [name, p] of Object.entries(props(before))) {
      const n = props(after)[name];
      if (!n) {
        if (!p.deprecated) this.problems.push(`${at}.${name}: property removed without a deprecation`);
        continue;
      }
      this.schema(`${at}.${name}`, p, n, dir);
      if (dir === "response" && required(before).has(name) && !required(after).has(name))
        this.problems.push(`${at}.${name}: no longer always present`);
    }
    if (dir === "request")
      for (const name of required(after))
        if (!required(before).has(name)) this.problems.push(`${at}.${name}: newly required`);
    if (before.items && after.items) this.schema(`${at}[]`, before.items as Schema, after.items as Schema, dir);
  }

  /** A request value the released document allowed must still be allowed. */
  private limits(at: string, before: Schema, after: Schema) {
    for (const k of ["maxLength", "maximum", "maxItems", "exclusiveMaximum"])
      if (
        typeof after[k] === "number" &&
        (typeof before[k] !== "number" || (after[k] as number) < (before[k] as number))
      )
        this.problems.push(`${at}: ${k} tightened to ${String(after[k])}`);
    for (const k of ["minLength", "minimum", "minItems", "exclusiveMinimum"])
      if (
        typeof after[k] === "number" &&
        (typeof before[k] !== "number" || (after[k] as number) > (before[k] as number))
      )
        this.problems.push(`${at}: ${k} tightened to ${String(after[k])}`);
    if (typeof after.pattern === "string" && after.pattern !== before.pattern)
      this.problems.push(`${at}: pattern changed to ${after.pattern}`);
  }
}

async function main() {
  const fs = await import("node:fs");
  const [releasedPath, currentPath] = process.argv.slice(2);
  if (!releasedPath) throw new Error("usage: openapi-diff <released.json> [current.json]");
  const released = JSON.parse(fs.readFileSync(releasedPath, "utf8")) as Doc;
  const current = currentPath
    ? (JSON.parse(fs.readFileSync(currentPath, "utf8")) as Doc)
    : ((await import("../lib/api/openapi")).buildOpenApiDocument() as unknown as Doc);
  const problems = breakingChanges(released, current);
  for (const p of problems) console.log(p);
  console.log(problems.length ? `${problems.length} breaking changes` : "no breaking change");
  process.exitCode = problems.length ? 1 : 0;
}

if (process.argv[1]?.endsWith("openapi-diff.ts")) void main();
