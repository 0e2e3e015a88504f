/**
 * What generated requests carry besides plain JSON values: raw JSON text (numbers JSON.stringify
 * cannot write, such as 1e400), and references into the pools of real ids, resolved when the
 * request is sent (the pools grow while the fuzzer runs: created activities, views, keys).
 */

/** Written into the JSON body as it is. */
export class Raw {
  constructor(readonly text: string) {}
}

export type PoolName =
  | "activity"
  | "runActivity"
  | "plainActivity"
  | "scheduleExecution"
  | "item"
  | "itemActivity"
  | "failure"
  | "savedView"
  | "revocableKey"
  | "cs"
  | "rp"
  | "schedule"
  | "pairCs"
  | "pairRp";

/** A real id, drawn from a pool by index when the request is sent. */
export class Ref {
  constructor(
    readonly pool: PoolName,
    readonly index: number,
  ) {}
}

export class Pools {
  readonly lists: Record<PoolName, string[]> = {
    activity: [],
    runActivity: [],
    plainActivity: [],
    scheduleExecution: [],
    item: [],
    itemActivity: [],
    failure: [],
    savedView: [],
    revocableKey: [],
    cs: [],
    rp: [],
    schedule: [],
    pairCs: [],
    pairRp: [],
  };
  add(pool: PoolName, value: string | number): void {
    const list = this.lists[pool];
    const v = String(value);
    if (!list.includes(v)) list.push(v);
  }
  /** A real (connected system, run profile) pair: pairCs[i] and pairRp[i] belong together. */
  addPair(cs: number, rp: number): void {
    this.lists.pairCs.push(String(cs));
    this.lists.pairRp.push(String(rp));
  }
  get(ref: Ref): string {
    const list = this.lists[ref.pool];
    if (list.length === 0) return "01234567-89ab-7def-8123-456789abcdef";
    return list[ref.index % list.length];
  }
}

/** Resolves references: a Ref to its value (a number for numeric pools inside JSON). */
export function resolve(value: unknown, pools: Pools): unknown {
  if (value instanceof Ref) {
    const v = pools.get(value);
    return ["cs", "rp", "schedule", "pairCs", "pairRp"].includes(value.pool) ? Number(v) : v;
  }
  if (value instanceof Raw) return value;
  if (Array.isArray(value)) return value.map((v) => resolve(v, pools));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, pools)]));
  return value;
}

/** JSON text of a (resolved) value; Raw parts are written verbatim. */
export function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : toJson(v))).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

/** Short printable form of a value for reports (escapes control characters and lone surrogates). */
export function show(value: unknown, max = 400): string {
  const text = typeof value === "string" ? value : toJson(value);
  const escaped = JSON.stringify(text).slice(1, -1);
  return escaped.length > max ? `${escaped.slice(0, max)}… (${text.length} chars)` : escaped;
}
