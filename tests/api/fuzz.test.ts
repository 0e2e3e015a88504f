/**
 * Property-based fuzzing of /api/v1, driven by the served OpenAPI document: for every operation,
 * requests are generated from the document's schemas (path and query parameters, JSON bodies),
 * mixing valid values and real ids with hostile ones, and sent raw. Every answer must be below
 * 500, documented for the operation (tests/api/contract.ts), an error in the JSON error format
 * with a documented code, a 405 with Allow, within 10 s; a request the document certainly
 * refuses must not succeed. Then other methods and unknown paths, and the classes of faults the
 * hostile review found, as named regression cases.
 *
 * Fixed seeds (FUZZ_SEED overrides; FUZZ_SCALE multiplies the number of requests). A failing
 * operation lists each distinct problem once, with the first request that showed it.
 */
import fc from "fast-check";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Gen, encode, type CursorSample } from "./fuzz/arbitraries";
import { FUZZ_CLIENT, Fuzzer, type Answer, type Sent } from "./fuzz/client";
import { loadDoc, type Operation } from "./fuzz/doc";
import { Pools, Ref } from "./fuzz/values";
import { ADMIN_KEY, BASE_URL, STORE, makeItems } from "./helpers";

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
/** Requests sent at once (the properties draw batches). */
const BATCH = 3;
/** Requests per operation (some operations get fewer, see below). */
const PER_OPERATION = 60;

const doc = await loadDoc(BASE_URL);
const pools = new Pools();
const cursors = new Map<string, CursorSample[]>();
const TAG = `fuzz-${Date.now().toString(36)}`;
let readOnly = { id: "", secret: "" };
const fuzzer = new Fuzzer(BASE_URL, doc, pools, {
  admin: ADMIN_KEY,
  get readOnly() {
    return readOnly.secret;
  },
});
const gen = new Gen(doc, {
  cursors,
  // GET /failures answers one trend bucket per day of the range for every group, so a span of
  // millennia builds answers of hundreds of megabytes (see the named case at the end): the
  // random requests keep its dates within 2000–2040, plus the last millisecond of 9999.
  failureSpan: [Date.parse("2000-01-01T00:00:00Z"), Date.parse("2040-12-31T00:00:00Z")],
  adminKey: ADMIN_KEY,
});
const started = performance.now();

/**
 * Operations the random requests leave out, and why:
 * - POST /retention/run purges execution items and activities that the other test files read
 *   (its refusals are sent below, in "methods and paths", with bodies refused before it runs).
 * - POST /auth/session gets a handful of requests only: failed sign-ins are counted per client
 *   (429 for that client's wrong keys afterwards), so it runs with few attempts, from the
 *   fuzzer's own X-Forwarded-For address.
 * - DELETE /api-keys/{id} draws ids only from keys the fuzzer created (and random UUIDs): never
 *   the administrator key the other tests use, nor the read-only key the fuzzer itself sends.
 */
const EXCLUDED = new Set(["runRetention"]);
const BUDGET: Record<string, number> = { signIn: 6 };
/** Creates first, reads next, then ends and deletes (so reads see what was created). */
const PHASE: Record<string, number> = {
  createActivity: 0,
  createSavedView: 0,
  createApiKey: 0,
  reportActivityProgress: 0,
  appendExecutionItems: 0,
  updateSavedView: 2,
  executeRunProfile: 2,
  executeSchedule: 2,
  completeActivity: 2,
  signIn: 2,
  signOut: 2,
  cancelActivity: 3,
  cancelScheduleExecution: 3,
  deleteSavedView: 3,
  revokeApiKey: 3,
};
const phaseOf = (op: Operation) => PHASE[op.id] ?? (op.method === "GET" ? 1 : 2);
const OPERATIONS = doc.operations.filter((op) => !EXCLUDED.has(op.id)).sort((a, b) => phaseOf(a) - phaseOf(b));

const seedOf = (text: string) => [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, SEED);

// ---------- plumbing ----------

interface Call {
  body?: unknown;
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  key?: "admin" | "none" | "readOnly";
}

function sentOf(method: string, path: string, c: Call = {}): Sent {
  const headers: Record<string, string> = { "X-Forwarded-For": FUZZ_CLIENT, ...(c.headers ?? {}) };
  const key = c.key ?? "admin";
  if (key === "admin") headers["X-Api-Key"] = ADMIN_KEY;
  if (key === "readOnly") headers["X-Api-Key"] = readOnly.secret;
  let body: Uint8Array | undefined;
  if (c.raw !== undefined) body = typeof c.raw === "string" ? new TextEncoder().encode(c.raw) : c.raw;
  else if (c.body !== undefined) {
    body = new TextEncoder().encode(JSON.stringify(c.body));
    headers["Content-Type"] ??= "application/json";
  }
  return { method, path, headers, body };
}

/** One request of a named case: sent raw, checked like every fuzzed one; the answer is returned. */
async function call(method: string, path: string, c: Call = {}): Promise<Answer & { problems: string[] }> {
  const sent = sentOf(method, path, c);
  const answer = ["TRACE", "TRACK"].includes(method) ? await fuzzer.nodeHttp(sent) : await fuzzer.fetch(sent);
  const problems = await fuzzer.verify(sent, answer, { note: "named case", where: `named: ${method} ${path}` });
  if (answer instanceof Error) throw new Error(`${method} ${path}: no answer (${answer.message})`);
  return { ...answer, problems };
}

/** Asserts a JSON error with this status and code, and nothing else wrong with the answer. */
function expectError(a: Answer & { problems: string[] }, status: number, code: string, what: string) {
  expect(a.problems, `${what}: ${a.problems.join("; ")}`).toEqual([]);
  expect(`${a.status} ${(a.body as { code?: string } | undefined)?.code}`, `${what}: ${a.text.slice(0, 300)}`).toBe(
    `${status} ${code}`,
  );
}

async function ok<T = Record<string, unknown>>(method: string, path: string, c: Call = {}): Promise<T> {
  const a = await call(method, path, c);
  if (a.status >= 300 || a.problems.length)
    throw new Error(`${method} ${path}: ${a.status} ${a.text.slice(0, 300)} ${a.problems.join("; ")}`);
  return a.body as T;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), "utf8").toString("base64url");
const scopeOf = (cursor: string) => (JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[])[0];

// ---------- the real things requests refer to ----------

let run = { id: "" };
let plain = { id: "" };
let parent = { id: "" };
let pair = { cs: 0, rp: 0 };

/** A new failure group of its own (one failing object of a new object type, seen now). */
async function freshFailureGroup(name: string): Promise<string> {
  const objectType = `${TAG}-${name}`;
  const a = await ok<{ id: string }>("POST", "/activities", {
    body: {
      name: `${TAG} ${name}`,
      targetType: "ConnectedSystemRunProfile",
      connectedSystemId: pair.cs,
      runProfileId: pair.rp,
    },
  });
  fuzzer.createdActivities.add(a.id);
  const item = {
    sequence: 1,
    externalIdValue: `${objectType}-1`,
    connectedSystemObjectType: objectType,
    objectChangeType: "Update",
    errorType: "DuplicateObject",
  };
  await ok("POST", `/activities/${a.id}/items`, { body: { items: [item] } });
  return objectType;
}

beforeAll(async () => {
  const systems = await ok<{ items: { id: number; runProfiles: { id: number }[] }[] }>("GET", "/connected-systems");
  for (const cs of systems.items) {
    pools.add("cs", cs.id);
    for (const rp of cs.runProfiles) {
      pools.add("rp", rp.id);
      pools.addPair(cs.id, rp.id);
    }
  }
  const withProfile = systems.items.find((c) => c.runProfiles.length > 0)!;
  pair = { cs: withProfile.id, rp: withProfile.runProfiles[0].id };
  const schedules = await ok<{ items: { id: number }[] }>("GET", "/schedules");
  for (const s of schedules.items) pools.add("schedule", s.id);

  const key = await ok<{ id: string; secret: string }>("POST", "/api-keys", {
    body: { name: `${TAG} read-only`, role: "ReadOnly" },
  });
  readOnly = { id: key.id, secret: key.secret };
  fuzzer.createdKeys.add(key.id);
  const spare = await ok<{ id: string }>("POST", "/api-keys", { body: { name: `${TAG} spare`, role: "ReadOnly" } });
  fuzzer.createdKeys.add(spare.id);
  pools.add("revocableKey", spare.id);

  // A run with items (errors included: they become failures across runs), a plain activity with
  // children, and a schedule execution run by the engine.
  const rp = withProfile.runProfiles[0].id;
  const newRun = (name: string) =>
    ok<{ id: string }>("POST", "/activities", {
      body: { name, targetType: "ConnectedSystemRunProfile", connectedSystemId: withProfile.id, runProfileId: rp },
    });
  run = await newRun(`${TAG} run`);
  const items = makeItems(0, 120).map((item, i) => ({
    ...item,
    connectedSystemObjectType: i % 3 === 0 ? `${TAG}-type` : item.connectedSystemObjectType,
    displayName: i === 1 ? "50%_done" : i === 2 ? "50xydone" : item.displayName,
  }));
  await ok("POST", `/activities/${run.id}/items`, { body: { items } });
  const second = await newRun(`${TAG} run 2`);
  const more = makeItems(0, 40).map((item) => ({ ...item, connectedSystemObjectType: `${TAG}-type` }));
  await ok("POST", `/activities/${second.id}/items`, { body: { items: more } });
  await ok("POST", `/activities/${second.id}/complete`, { body: {} });
  for (const id of [run.id, second.id]) {
    fuzzer.createdActivities.add(id);
    pools.add("activity", id);
    pools.add("runActivity", id);
  }
  pools.add("itemActivity", run.id);
  const listed = await ok<{ items: { id: string }[] }>("GET", `/activities/${run.id}/items?pageSize=100`);
  for (const item of listed.items) pools.add("item", item.id);

  plain = await ok("POST", "/activities", { body: { name: `${TAG} plain`, targetType: "DataGeneration" } });
  parent = await ok("POST", "/activities", { body: { name: `${TAG} parent`, targetType: "ConfigurationChange" } });
  for (let i = 0; i < 3; i++) {
    const child = await ok<{ id: string }>("POST", "/activities", {
      body: { name: `${TAG} child ${i}`, targetType: "DataGeneration", parentActivityId: parent.id },
    });
    fuzzer.createdActivities.add(child.id);
    pools.add("activity", child.id);
  }
  for (const id of [plain.id, parent.id]) {
    fuzzer.createdActivities.add(id);
    pools.add("activity", id);
    pools.add("plainActivity", id);
  }
  await ok("POST", `/activities/${plain.id}/progress`, { body: { objectsToProcess: 10, objectsProcessed: 3 } });
  if (schedules.items.length) {
    const t = await ok<{ activityId: string }>("POST", `/schedules/${schedules.items[0].id}/execute`);
    fuzzer.createdActivities.add(t.activityId);
    pools.add("activity", t.activityId);
    pools.add("scheduleExecution", t.activityId);
  }

  const failures = await ok<{ items: { id: string }[] }>("GET", "/failures/objects?pageSize=100");
  for (const f of failures.items) pools.add("failure", f.id);
  for (const scope of ["Activities", "Failures"]) {
    const v = await ok<{ id: string }>("POST", "/saved-views", {
      body: { scope, name: `${TAG} ${scope}`, query: "state=Open" },
    });
    fuzzer.createdViews.add(v.id);
    pools.add("savedView", v.id);
  }

  // Real cursors of every list that has them, with the sort and order they were made for.
  const sample = async (template: string, path: string, params: [string, string][]) => {
    const query = [["pageSize", "1"], ...params].map(([k, v]) => `${k}=${encode(v)}`).join("&");
    const page = await ok<{ nextCursor: string | null }>("GET", `${path}?${query}`);
    if (!page.nextCursor) return;
    cursors.set(template, [...(cursors.get(template) ?? []), { cursor: page.nextCursor, params }]);
  };
  for (const [sort, order] of [
    ["created", "desc"],
    ["name", "asc"],
    ["errors", "desc"],
    ["status", "asc"],
    ["duration", "asc"],
  ])
    await sample("/activities", "/activities", [
      ["sort", sort],
      ["order", order],
      ["topLevelOnly", "false"],
    ]);
  for (const [sort, order] of [
    ["sequence", "asc"],
    ["displayName", "desc"],
    ["errorType", "asc"],
  ])
    await sample("/activities/{id}/items", `/activities/${run.id}/items`, [
      ["sort", sort],
      ["order", order],
    ]);
  await sample("/activities/{id}/children", `/activities/${parent.id}/children`, []);
  for (const sort of ["lastSeen", "displayName", "consecutiveRuns"])
    await sample("/failures/objects", "/failures/objects", [["sort", sort]]);
  await sample("/schedule-executions", "/schedule-executions", []);
});

afterAll(async () => {
  // Leave nothing running or queued (engine lanes are shared with the other test files), and
  // remove the views and keys the fuzzer made.
  const quiet = (method: string, path: string, c: Call = {}) => fuzzer.fetch(sentOf(method, path, c));
  const running: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Answer | Error = await quiet(
      "GET",
      `/activities?status=InProgress&topLevelOnly=false&pageSize=100${cursor ? `&cursor=${cursor}` : ""}`,
    );
    if (page instanceof Error) break;
    const body = page.body as { items?: { id: string }[]; nextCursor?: string | null } | undefined;
    running.push(...(body?.items ?? []).map((a) => a.id).filter((id) => fuzzer.createdActivities.has(id)));
    cursor = body?.nextCursor ?? null;
  } while (cursor);
  for (const id of running) await quiet("POST", `/activities/${id}/cancel`, { body: { reason: "fuzz over" } });
  for (const id of fuzzer.createdViews) await quiet("DELETE", `/saved-views/${id}`);
  for (const id of fuzzer.createdKeys) await quiet("DELETE", `/api-keys/${id}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`[fuzz] ${fuzzer.summary(STORE)}; ${seconds} s; cancelled ${running.length} left running`);
  const all = fuzzer.report();
  if (all.length) console.log(`[fuzz] ${all.length} distinct problems:\n\n${all.join("\n\n")}`);
});

// ---------- the classes of faults the hostile review found ----------

describe("named regression cases", () => {
  const INT = "2147483648";

  it("integers above 2,147,483,647 in query ids, objectsToProcess, counters and item sequence → 400", async () => {
    for (const path of [
      `/activities?connectedSystemId=${INT}`,
      `/activities?runProfileId=${INT}`,
      `/activities?scheduleId=${INT}`,
      `/schedule-executions?scheduleId=${INT}`,
      `/failures?connectedSystemId=${INT}`,
      `/failures/objects?connectedSystemId=99999999999`,
      `/failures.csv?connectedSystemId=${INT}`,
    ])
      expectError(await call("GET", path), 400, "BAD_REQUEST", path);
    for (const path of [`/schedules/${INT}/execute`, `/connected-systems/${INT}/run-profiles/1/execute`])
      expectError(await call("POST", path), 400, "BAD_REQUEST", path);
    const writes: [string, unknown, string][] = [
      [
        "/activities",
        { name: `${TAG} big`, targetType: "DataGeneration", objectsToProcess: 2 ** 31 },
        "objectsToProcess",
      ],
      [`/activities/${plain.id}/progress`, { objectsToProcess: 2 ** 31 }, "objectsToProcess"],
      [`/activities/${plain.id}/progress`, { objectsProcessed: 1e300 }, "objectsProcessed"],
      [`/activities/${plain.id}/progress`, { counters: { totalObjectsProcessed: 2 ** 31 } }, "totalObjectsProcessed"],
      [`/activities/${plain.id}/complete`, { counters: { totalObjectErrors: 2 ** 31 } }, "totalObjectErrors"],
      [`/activities/${run.id}/items`, { items: [{ sequence: 2 ** 31, objectChangeType: "Add" }] }, "sequence"],
      [`/activities/${run.id}/items`, { items: [{ sequence: 2 ** 53, objectChangeType: "Add" }] }, "sequence"],
    ];
    for (const [path, body, field] of writes) {
      const a = await call("POST", path, { body });
      expectError(a, 400, "BAD_REQUEST", `${path} ${JSON.stringify(body)}`);
      expect(JSON.stringify(a.body), `details name ${field}`).toContain(field);
    }
    const raw = await call("POST", `/activities/${plain.id}/progress`, {
      raw: '{"objectsToProcess":1e400}',
      headers: { "Content-Type": "application/json" },
    });
    expectError(raw, 400, "BAD_REQUEST", "objectsToProcess 1e400");
  });

  it("U+0000 and a lone surrogate in any string (a name, a search, a body field) → 400", async () => {
    for (const bad of ["a\u0000b", "\u0000", "\uD800", "x\uDC00y"]) {
      const bodies: [string, string, unknown][] = [
        ["POST", "/activities", { name: bad, targetType: "DataGeneration" }],
        ["POST", "/activities", { name: `${TAG} ok`, targetType: "DataGeneration", message: bad }],
        ["POST", `/activities/${plain.id}/progress`, { message: bad }],
        ["POST", `/activities/${plain.id}/progress`, { phase: bad }],
        ["POST", `/activities/${plain.id}/progress`, { warnings: [bad] }],
        [
          "POST",
          `/activities/${run.id}/items`,
          { items: [{ sequence: 9000, objectChangeType: "Add", displayName: bad }] },
        ],
        [
          "POST",
          `/activities/${run.id}/items`,
          {
            items: [
              {
                sequence: 9001,
                objectChangeType: "Update",
                attributeChanges: [{ attribute: "mail", operation: "SET", newValue: bad }],
              },
            ],
          },
        ],
        ["POST", `/activities/${plain.id}/complete`, { errorMessage: bad }],
        ["POST", `/activities/${plain.id}/cancel`, { reason: bad }],
        ["POST", "/saved-views", { scope: "Activities", name: bad, query: "" }],
        ["POST", "/saved-views", { scope: "Activities", name: `${TAG} v`, query: bad }],
        ["PATCH", `/saved-views/${pools.lists.savedView[0]}`, { name: bad }],
        ["POST", "/api-keys", { name: bad, role: "ReadOnly" }],
        ["POST", "/auth/session", { apiKey: `sw_${bad}_12345678` }],
      ];
      for (const [method, path, body] of bodies)
        expectError(
          await call(method, path, { body }),
          400,
          "BAD_REQUEST",
          `${method} ${path} ${JSON.stringify(body)}`,
        );
    }
    for (const path of [
      "/activities?search=a%00b",
      "/activities?initiatorName=%00",
      `/activities/${run.id}/items?search=%00`,
      `/activities/${run.id}/items?objectType=user%00`,
      `/activities/${run.id}/items.csv?search=%00`,
      "/failures?search=%00",
      "/failures/objects?objectType=%00",
      "/failures.csv?search=x%00",
    ])
      expectError(await call("GET", path), 400, "BAD_REQUEST", path);
    // A lone surrogate cannot travel in a URL: its bytes arrive as U+FFFD, which is valid text.
    const s = await call("GET", "/activities?search=%ED%A0%80");
    expect(s.problems).toEqual([]);
    expect(s.status).toBe(200);
  });

  it("dates in year 0000 (and 10000) → 400", async () => {
    for (const date of ["0000-01-01T00:00:00Z", "0000-12-31T23:59:59.999+00:00", "10000-01-01T00:00:00Z"]) {
      const d = encode(date);
      for (const path of [
        `/activities?from=${d}`,
        `/activities?to=${d}`,
        `/activities?newerThan=${d}`,
        `/activities/${plain.id}/progress/samples?after=${d}`,
        `/activities/${plain.id}/snapshot?samplesAfter=${d}`,
        `/failures?from=${d}`,
        `/failures/objects?to=${d}`,
        `/failures.csv?from=${d}`,
      ])
        expectError(await call("GET", path), 400, "BAD_REQUEST", path);
      const body = { items: [{ sequence: 9100, objectChangeType: "Add", processedAt: date }] };
      expectError(
        await call("POST", `/activities/${run.id}/items`, { body }),
        400,
        "BAD_REQUEST",
        `processedAt ${date}`,
      );
    }
  });

  it("tampered cursors (out-of-range dates, 1e300, NUL) → 400", async () => {
    const tie = "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00";
    const lists: [string, string][] = [];
    for (const [template, samples] of cursors)
      for (const c of samples) {
        const path = template.replace("{id}", template.includes("children") ? parent.id : run.id);
        const query = c.params.map(([k, v]) => `${k}=${encode(v)}`).join("&");
        const scope = scopeOf(c.cursor);
        const [, value, realTie] = JSON.parse(Buffer.from(c.cursor, "base64url").toString("utf8")) as unknown[];
        const t = typeof realTie === "number" ? realTie : tie;
        // Refused whatever the sort column's kind (date, int, enum, text), and for date-sorted
        // lists the dates out of 1970–9999 (a text column may hold such a string).
        const tampered: unknown[] = [
          [scope, 1e300, t],
          [scope, 2 ** 31, t],
          [scope, value, 1e300],
          [scope, value, -1e300],
          [scope, value, "\u0000"],
          [scope, "a\u0000b", t],
          [scope, "\uD800", t],
          ["fuzz:none:asc", value, t],
        ];
        if (typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value))
          tampered.push(
            [scope, "0000-01-01T00:00:00Z", t],
            [scope, "+275760-09-13T00:00:00.000Z", t],
            [scope, "10000-01-01T00:00:00Z", t],
            [scope, "-271821-04-20T00:00:00.000Z", t],
            [scope, "1969-12-31T23:59:59.999Z", t],
          );
        for (const v of tampered)
          lists.push([`${path}?${query}${query ? "&" : ""}cursor=${b64(v)}`, JSON.stringify(v)]);
        for (const junk of ["%%%", "x".repeat(2001), "AAAA", b64("\u0000"), `${c.cursor}=`])
          lists.push([`${path}?${query}${query ? "&" : ""}cursor=${encode(junk)}`, `junk ${junk.slice(0, 20)}`]);
      }
    expect(lists.length).toBeGreaterThan(40);
    for (const [path, what] of lists)
      expectError(await call("GET", path), 400, "BAD_REQUEST", `cursor ${what} on ${path}`);
  });

  it("malformed %-encoding in a path → 400 JSON (also where no endpoint is)", async () => {
    const cases: [string, string][] = [
      ["GET", "/activities/%E0%A4%A"],
      ["GET", "/activities/%zz/items"],
      ["POST", "/activities/%/cancel"],
      ["DELETE", "/saved-views/%C0%AE"],
      ["GET", "/activities/%ED%A0%80"],
      ["GET", "/failures/objects/%FF"],
      ["POST", "/schedules/%E2%82/execute"],
      ["GET", "/nope/%FF"],
      ["PUT", "/activities/%zz"],
    ];
    for (const [method, path] of cases)
      expectError(await call(method, path, method === "GET" ? {} : { body: {} }), 400, "BAD_REQUEST", path);
    expectError(await call("GET", "/activities/%00"), 400, "BAD_REQUEST", "NUL in a path");
  });

  it("TRACE → 405 JSON with Allow", async () => {
    for (const path of ["/activities", `/activities/${run.id}`, "/openapi.json", "/nope"]) {
      const a = await call("TRACE", path);
      expectError(a, 405, "METHOD_NOT_ALLOWED", `TRACE ${path}`);
      expect(a.headers.get("allow")).toBeTruthy();
    }
  });

  it("a TRACE with a body leaves its keep-alive connection usable", async () => {
    // The refusal is written before the body is read: the next request on the connection must
    // still be parsed as a request (not as the rest of the TRACE).
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const answers: string[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const trace = await fuzzer.nodeHttp(
          sentOf("TRACE", "/activities", { raw: "{}", headers: { "Content-Type": "application/json" } }),
          agent,
        );
        const next = await fuzzer.nodeHttp(sentOf("GET", "/health/live"), agent);
        answers.push(
          `${trace instanceof Error ? trace.message : trace.status} ${next instanceof Error ? next.message : next.status}`,
        );
      }
    } finally {
      agent.destroy();
    }
    expect(answers.filter((a) => a !== "405 200")).toEqual([]);
  });

  it("a replayed create (same Idempotency-Key) answers like the first, Location included", async () => {
    const key = `${TAG}-replay`;
    const body = { name: `${TAG} replay`, targetType: "DataGeneration" };
    const first = await call("POST", "/activities", { body, headers: { "Idempotency-Key": key } });
    const again = await call("POST", "/activities", { body, headers: { "Idempotency-Key": key } });
    fuzzer.createdActivities.add((first.body as { id: string }).id);
    expect(first.problems.concat(again.problems)).toEqual([]);
    expect([again.status, again.headers.get("idempotent-replayed")]).toEqual([201, "true"]);
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
  });

  it("an unknown method (raw FOO through node:net) → 400 JSON", async () => {
    // TRACK is unknown to Node's HTTP parser as well: refused before routing, like FOO.
    for (const method of ["FOO", "GETT", "get", "TRACK"]) {
      const raw = `${method} /api/v1/activities HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: ${ADMIN_KEY}\r\nConnection: close\r\n\r\n`;
      const a = await fuzzer.socket(raw);
      const problems = await fuzzer.verify(sentOf(method, "/activities"), a, { note: "named case" });
      if (a instanceof Error) throw a;
      expect(problems.filter((p) => !p.startsWith("contract"))).toEqual([]);
      expect(`${a.status} ${(a.body as { code?: string } | undefined)?.code}`, a.text).toBe("400 BAD_REQUEST");
    }
  });

  it("PUT on /activities → 405 JSON with Allow (the documented methods)", async () => {
    const a = await call("PUT", "/activities", { body: { name: "x", targetType: "DataGeneration" } });
    expectError(a, 405, "METHOD_NOT_ALLOWED", "PUT /activities");
    const allow = (a.headers.get("allow") ?? "").split(",").map((m) => m.trim());
    expect(allow).toEqual(expect.arrayContaining(doc.methodsAt("/activities")));
    expect(allow).not.toContain("PUT");
  });

  it("unknown /api/v1 paths → JSON 404", async () => {
    for (const path of ["/nope", "/activities/x/y/z/w", "/Activities", "/activities.json", "/openapi.yaml", "/v2"])
      expectError(await call("GET", path), 404, "NOT_FOUND", path);
    expectError(await call("DELETE", "/nope"), 404, "NOT_FOUND", "DELETE /nope");
  });

  it("offset depth past 1,000,000 rows → 400 that points to the cursor", async () => {
    const lists = doc.operations.filter((o) => o.method === "GET" && o.query.some((p) => p.name === "cursor"));
    expect(lists.length).toBeGreaterThan(3);
    for (const op of lists) {
      const path = op.template.replace("{id}", op.template.includes("children") ? parent.id : run.id);
      for (const [page, size] of [
        [10_001, 100],
        [1_000_000, 100],
        [1_000_000, 2],
      ]) {
        const a = await call("GET", `${path}?page=${page}&pageSize=${size}`);
        expectError(a, 400, "BAD_REQUEST", `${path} page ${page} × ${size}`);
        expect(a.text, "the answer points to the cursor").toMatch(/cursor/i);
      }
      const fine = await call("GET", `${path}?page=10000&pageSize=100`);
      expect(`${fine.status} ${fine.problems.join("; ")}`, `${path} at exactly 1,000,000 rows`).toBe("200 ");
    }
  });

  it("% and _ in a search are literal", async () => {
    const by = { type: "User", id: null, name: `${TAG}-search` };
    const first = await ok<{ id: string }>("POST", "/activities", {
      body: { name: "50%_done", targetType: "DataGeneration", initiatedBy: by },
    });
    const second = await ok<{ id: string }>("POST", "/activities", {
      body: { name: "50xydone", targetType: "DataGeneration", initiatedBy: by },
    });
    fuzzer.createdActivities.add(first.id).add(second.id);
    const list = await ok<{ items: { id: string }[] }>(
      "GET",
      `/activities?initiatorName=${encode(by.name)}&search=${encode("50%_")}`,
    );
    expect(list.items.map((i) => i.id)).toEqual([first.id]);
    const under = await ok<{ items: { id: string }[] }>(
      "GET",
      `/activities?initiatorName=${encode(by.name)}&search=${encode("0_d")}`,
    );
    expect(under.items).toEqual([]);
    const items = await ok<{ items: { displayName: string }[] }>(
      "GET",
      `/activities/${run.id}/items?search=${encode("50%_")}`,
    );
    expect(items.items.map((i) => i.displayName)).toEqual(["50%_done"]);
  });

  it("newerThan at the last millisecond of 9999 is answered (not 500)", async () => {
    // The newer-than count starts 1 ms later: year 10000, which the store cannot take.
    const a = await call("GET", `/activities?newerThan=${encode("9999-12-31T23:59:59.999Z")}`);
    expect(a.problems, a.problems.join("; ")).toEqual([]);
    expect(a.status).toBe(200);
  });

  it("the rolled-up counters of a tree stay within the documented 32-bit range", async () => {
    // Each run may report counters up to 2,147,483,647; the rollup sums them over the runs.
    const root = await ok<{ id: string }>("POST", "/activities", {
      body: { name: `${TAG} tree`, targetType: "ConfigurationChange" },
    });
    fuzzer.createdActivities.add(root.id);
    for (let i = 0; i < 2; i++) {
      const child = await ok<{ id: string }>("POST", "/activities", {
        body: {
          name: `${TAG} tree run ${i}`,
          targetType: "ConnectedSystemRunProfile",
          connectedSystemId: pair.cs,
          runProfileId: pair.rp,
          parentActivityId: root.id,
        },
      });
      fuzzer.createdActivities.add(child.id);
      await ok("POST", `/activities/${child.id}/progress`, { body: { counters: { totalObjectTypes: 2_147_483_647 } } });
    }
    const a = await call("GET", `/activities/${root.id}/tree`);
    expect(a.problems, a.problems.join("; ")).toEqual([]);
    expect(a.status).toBe(200);
  });

  it("OPTIONS on every documented path answers with Allow (never a plain-text error)", async () => {
    for (const template of doc.templates) {
      const path = template.replace(/\{[^}]+\}/g, (p) =>
        p === "{id}" && template.startsWith("/activities") ? run.id : "1",
      );
      const a = await call("OPTIONS", path);
      expect(a.problems, `OPTIONS ${path}: ${a.problems.join("; ")}`).toEqual([]);
    }
  });

  it("GET /failures up to the last millisecond of 9999 is answered (not 500)", async () => {
    // With failures in range, the trend query ends 1 ms after `to`: "+010000-01-01T00:00:00.000Z".
    const objectType = await freshFailureGroup("last-ms");
    const a = await call(
      "GET",
      `/failures?from=${encode("2000-01-01T00:00:00Z")}&to=${encode("9999-12-31T23:59:59.999Z")}` +
        `&objectType=${encode(objectType)}&pageSize=1`,
    );
    expect(a.problems, a.problems.join("; ")).toEqual([]);
    expect(a.status).toBe(200);
  });
});

// ---------- every operation, from the document ----------

describe("fuzz: every operation of the document", () => {
  for (const op of OPERATIONS) {
    const requests = Math.round((BUDGET[op.id] ?? PER_OPERATION) * SCALE);
    it(`${op.method} ${op.template} (${requests} requests)`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(gen.request(op), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          await Promise.all(
            batch.map(async (r) => {
              await fuzzer.run(r);
              // The same request again with the same Idempotency-Key: a replay, answered as the first.
              if (r.headers["Idempotency-Key"]) await fuzzer.run(r);
            }),
          );
        }),
        { seed: seedOf(op.id), numRuns: Math.max(1, Math.ceil(requests / BATCH)), endOnFailure: true },
      );
      const problems = fuzzer.report((v) => v.where === `${op.method} ${op.template}`);
      expect(problems, `${problems.length} problems:\n\n${problems.join("\n\n")}`).toEqual([]);
    });
  }
});

// ---------- other methods, unknown paths ----------

describe("methods and paths", () => {
  const METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "POST", "TRACE", "TRACK"];
  /** A concrete path of a template, with real ids (or random ones). */
  const concrete = (template: string, idx: number, random: string) =>
    template.split("/").map((part) => {
      if (!part.startsWith("{")) return part;
      const name = part.slice(1, -1);
      if (template.startsWith("/connected-systems")) return new Ref(name === "id" ? "pairCs" : "pairRp", idx);
      if (template.startsWith("/schedules")) return new Ref("schedule", idx);
      return idx % 4 === 0
        ? random
        : new Ref(template.includes("items/{itemId}") && name === "itemId" ? "item" : "activity", idx);
    });
  const known = fc
    .tuple(fc.constantFrom(...doc.templates), fc.constantFrom(...METHODS), fc.nat({ max: 1000 }), fc.uuid())
    .filter(([t, m]) => m === "GET" || m === "HEAD" || !doc.methodsAt(t).includes(m))
    .map(([template, method, idx, uuid]) => ({
      method,
      template,
      segments: concrete(template, idx, uuid),
      unknown: false,
    }));
  const unknown = fc
    .tuple(
      fc.constantFrom(
        "/nope",
        "/Activities",
        "/activities.json",
        "/openapi.yaml",
        "/v2/activities",
        "/health/live/now",
        "/api-keys/x/y",
        "/activities/{id}/nope",
        "/activities/{id}/items/{id}/more",
        "/schedules/1/execute/now",
        "/saved-views/{id}/default",
        "/failures/objects/{id}/history",
        "/%F0%9F%98%80",
        "/activities;jsessionid=1",
      ),
      fc.constantFrom(...METHODS),
      fc.uuid(),
    )
    .map(([path, method, uuid]) => ({
      method,
      template: path,
      segments: path.replaceAll("{id}", uuid).split("/"),
      unknown: true,
    }));
  const requests = Math.round(270 * SCALE);

  it(`documented paths with other methods, and unknown paths (${requests} requests)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 3, arbitrary: known }, { weight: 1, arbitrary: unknown }), {
          minLength: BATCH,
          maxLength: BATCH,
        }),
        async (batch) => {
          await Promise.all(
            batch.map(async ({ method, template, segments, unknown: isUnknown }) => {
              const path = segments.map((s) => (s instanceof Ref ? encodeURIComponent(pools.get(s)) : s)).join("/");
              const sent = sentOf(method, path, method === "GET" || method === "HEAD" ? {} : { body: {} });
              const answer = ["TRACE", "TRACK"].includes(method)
                ? await fuzzer.nodeHttp(sent)
                : await fuzzer.fetch(sent);
              const documented = doc.operationAt(method === "HEAD" ? "GET" : method, path);
              await fuzzer.verify(sent, answer, {
                note: isUnknown ? "unknown path" : "other method",
                where: `methods: ${method} ${template}`,
                expect: (a) => {
                  if (documented) return null;
                  if (method === "OPTIONS") return isUnknown ? (a.status === 404 ? null : `status ${a.status}`) : null;
                  // TRACE is refused with 405 everywhere; TRACK is unknown to Node's parser (400).
                  const expected = method === "TRACE" ? [405] : method === "TRACK" ? [400] : isUnknown ? [404] : [405];
                  return expected.includes(a.status) ? null : `expected ${expected.join("/")}, got ${a.status}`;
                },
              });
            }),
          );
        },
      ),
      { seed: seedOf("methods"), numRuns: Math.ceil(requests / BATCH), endOnFailure: true },
    );
    // Refusals of POST /retention/run happen before it runs: they are safe to send.
    for (const [raw, type] of [
      ['{"now":true}', "application/json"],
      ["{}", "text/plain"],
      ["{", "application/json"],
    ]) {
      const sent = sentOf("POST", "/retention/run", { raw, headers: { "Content-Type": type } });
      await fuzzer.verify(sent, await fuzzer.fetch(sent), {
        note: "refused retention run",
        where: "methods: POST /retention/run (refused)",
        expect: (a) => (a.status === 400 || a.status === 415 ? null : `expected 400/415, got ${a.status}`),
      });
    }
    const problems = fuzzer.report((v) => v.where.startsWith("methods: "));
    expect(problems, `${problems.length} problems:\n\n${problems.join("\n\n")}`).toEqual([]);
  });
});

// ---------- answers that grow without bound ----------

describe("bounded answers", () => {
  it("GET /failures over a wide range answers a bounded trend (at most 10,000 buckets per group)", async () => {
    // The trend holds one bucket per day of the range for every group on the page: over
    // 1970–9999 that is 2.9 million buckets per group (364 MB and 21 s for two groups, more
    // groups exhaust the server). 1970–2300 shows the growth at a fraction of the cost.
    const objectType = await freshFailureGroup("wide");
    const path =
      `/failures?from=${encode("1970-01-01T00:00:00Z")}&to=${encode("2300-01-01T00:00:00Z")}` +
      `&objectType=${encode(objectType)}&connectedSystemId=${pair.cs}&pageSize=1`;
    const a = await call("GET", path);
    expect(a.problems, a.problems.join("; ")).toEqual([]);
    const items = (a.body as { items?: { trend: unknown[] }[] }).items ?? [];
    expect(items.length, "the group is there").toBe(1);
    expect(items[0].trend.length, "trend buckets of one group").toBeLessThanOrEqual(10_000);
  });
});
