import { afterAll, expect, inject } from "vitest";
import { checkAnswer, reportChecked } from "./contract";

export const BASE_URL = inject("BASE_URL");
export const ADMIN_KEY = inject("ADMIN_KEY");
export const STORE = inject("STORE");

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export async function api<T = any>(
  method: string,
  path: string,
  opts: { key?: string | null; body?: unknown; rawBody?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const key = opts.key === undefined ? ADMIN_KEY : opts.key;
  if (key) headers["X-Api-Key"] = key;
  let body: string | Uint8Array | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["Content-Type"] ??= "application/json";
  }
  const res = await fetch(BASE_URL + "/api/v1" + path, {
    method,
    headers,
    body: body as BodyInit | undefined,
    redirect: "manual",
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  if ((res.headers.get("content-type") ?? "").includes("json") && text) parsed = JSON.parse(text);
  await checkAnswer(BASE_URL, method, path, res.status, res.headers.get("content-type"), parsed);
  return { status: res.status, body: parsed as T, text, headers: res.headers };
}

afterAll(() => reportChecked(STORE, expect.getState().testPath ?? "unknown"));

export const get = <T = any>(path: string, key?: string | null, headers?: Record<string, string>) =>
  api<T>("GET", path, { key, headers });
export const post = <T = any>(path: string, body?: unknown, key?: string | null) => api<T>("POST", path, { body, key });

export function expectError(r: ApiResponse, status: number, code: string) {
  if (r.status !== status || r.body?.code !== code)
    throw new Error(`expected ${status} ${code}, got ${r.status} ${r.text.slice(0, 500)}`);
  if (typeof r.body.message !== "string") throw new Error("error body without message");
}

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export async function config() {
  const r = await get("/connected-systems");
  if (r.status !== 200) throw new Error(`connected-systems: ${r.status} ${r.text}`);
  const cs = r.body.items.find((c: any) => c.runProfiles.length > 0);
  if (!cs) throw new Error("no connected system with a run profile: the engine seeds configuration at start-up");
  return { cs, rp: cs.runProfiles[0] };
}

export async function createRun(name = unique("run"), extra: Record<string, unknown> = {}) {
  const { cs, rp } = await config();
  const r = await post("/activities", {
    name,
    targetType: "ConnectedSystemRunProfile",
    connectedSystemId: cs.id,
    runProfileId: rp.id,
    ...extra,
  });
  if (r.status !== 201) throw new Error(`create run: ${r.status} ${r.text}`);
  return r.body;
}

export async function createPlain(
  name = unique("plain"),
  targetType = "DataGeneration",
  extra: Record<string, unknown> = {},
) {
  const r = await post("/activities", { name, targetType, ...extra });
  if (r.status !== 201) throw new Error(`create: ${r.status} ${r.text}`);
  return r.body;
}

const ERRORS = [
  "AmbiguousMatch",
  "CouldNotMatchObjectType",
  "MissingExternalIdAttributeValue",
  "DuplicateObject",
  "UnresolvedReference",
  "UnhandledError",
];
const CHANGES = ["Add", "Update", "Delete", "Disconnect"];

/** Deterministic items: every 10th has an error (type cycling), change types cycle, user/group alternate. */
export function makeItems(from: number, count: number) {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      sequence: i,
      externalIdValue: `ext-${String(i).padStart(6, "0")}`,
      displayName: i % 7 === 0 ? null : `Person ${String(i).padStart(6, "0")}`,
      connectedSystemObjectType: i % 2 ? "user" : "group",
      objectChangeType: CHANGES[i % 4],
      errorType: i % 10 === 0 ? ERRORS[(i / 10) % 6] : null,
      errorMessage: i % 10 === 0 ? `Problem with "object" ${i}, see log` : null,
      outcomes:
        i % 10 === 0
          ? []
          : [
              { type: "AttributeFlow", count: (i % 5) + 1 },
              { type: "Projected", count: 1 },
            ],
      attributeChanges: [{ attribute: "mail", operation: "SET", oldValue: null, newValue: `p${i}@example.com` }],
    };
  });
}

export async function pollUntilTerminal(id: string, timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await get(`/activities/${id}`);
    if (r.status !== 200) throw new Error(`poll: ${r.status}`);
    if (r.body.status !== "InProgress") return r.body;
    if (Date.now() > until) throw new Error(`activity ${id} still running after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 300));
  }
}
