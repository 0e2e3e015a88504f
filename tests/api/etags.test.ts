/**
 * Stable ETags: an answer's ETag is computed from the normalised query (parameter order, list
 * order and `wait` do not matter) and from the same read as the body, so the same body always has
 * the same ETag and a different body another one; a running activity reads the same until it
 * changes (its time-based figures are as of its last report).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, BASE_URL, createPlain, createRun, get, post, unique } from "./helpers";

interface Fetched {
  status: number;
  etag: string | null;
  text: string;
}

/** A raw GET (the query string exactly as given). */
async function raw(pathAndQuery: string, headers: Record<string, string> = {}): Promise<Fetched> {
  const res = await fetch(`${BASE_URL}/api/v1${pathAndQuery}`, { headers: { "X-Api-Key": ADMIN_KEY, ...headers } });
  return { status: res.status, etag: res.headers.get("etag"), text: await res.text() };
}

const shuffled = <T>(items: T[], order: number[]) =>
  items
    .map((v, i) => [v, order[i % order.length] ?? i] as const)
    .sort((a, b) => a[1] - b[1])
    .map(([v]) => v);

let runId: string;
let plainId: string;
let prefix: string;

beforeAll(async () => {
  prefix = unique("etag");
  for (let i = 0; i < 4; i++) await createPlain(`${prefix}-plain-${i}`);
  const plain = await createPlain(`${prefix}-ended`);
  plainId = plain.id;
  expect((await post(`/activities/${plainId}/complete`, {})).status).toBe(200);
  const run = await createRun(`${prefix}-run`, { objectsToProcess: 100 });
  runId = run.id;
  expect((await post(`/activities/${runId}/progress`, { objectsProcessed: 10 })).status).toBe(200);
});

/** The queries under test: the path, its parameters (sent in some order), and whether it long-polls (?wait=). */
const QUERIES = (): [string, string[], boolean][] => [
  [
    "/activities",
    [`search=${prefix}`, "topLevelOnly=false", "status=InProgress", "status=Complete", "pageSize=3"],
    true,
  ],
  ["/activities", [`search=${prefix}`, "sort=name", "order=asc", "pageSize=2", "page=2"], true],
  ["/activities", [`search=${prefix}`, "targetType=DataGeneration,ConnectedSystemRunProfile", "sort=created"], true],
  [`/activities/${runId}/snapshot`, [], true],
  [`/activities/${runId}/progress`, [], true],
  [`/activities/${plainId}`, [], false],
  ["/operations", [], true],
  ["/schedule-executions", ["pageSize=5", "order=desc"], false],
];

describe("stable ETags", () => {
  it("property: same body ⇔ same ETag, across parameter orders, list orders and waits", async () => {
    const queries = QUERIES();
    const request = fc.record({
      which: fc.integer({ min: 0, max: queries.length - 1 }),
      order: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 8 }),
      wait: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    });
    const send = async (r: { which: number; order: number[]; wait?: number }) => {
      const [path, params, longPoll] = queries[r.which];
      const parts = shuffled(params, r.order);
      const wait = longPoll ? r.wait : undefined;
      if (wait !== undefined) parts.splice(r.order[0] % (parts.length + 1), 0, `wait=${wait}`);
      const qs = parts.length ? `?${parts.join("&")}` : "";
      // A long poll with an ETag that never matches answers at once: `wait` must not change the answer.
      const headers: Record<string, string> = wait !== undefined ? { "If-None-Match": 'W/"none"' } : {};
      return raw(path + qs, headers);
    };
    await fc.assert(
      fc.asyncProperty(request, request, async (r1, r2) => {
        const [a, b] = await Promise.all([send(r1), send(r2)]);
        expect(a.status).toBe(200);
        expect(b.status).toBe(200);
        expect(a.etag).toBeTruthy();
        expect(a.text === b.text).toBe(a.etag === b.etag);
      }),
      { numRuns: 60 },
    );
  });

  it("an ETag from one parameter order answers 304 to another order, with or without wait", async () => {
    const a = await raw(`/activities?search=${prefix}&topLevelOnly=false&status=Complete&status=InProgress`);
    expect(a.status).toBe(200);
    const b = await raw(`/activities?status=InProgress&topLevelOnly=false&status=Complete&search=${prefix}`, {
      "If-None-Match": a.etag!,
    });
    expect(b.status).toBe(304);
    const t = Date.now();
    const c = await raw(`/activities?wait=1&status=InProgress,Complete&search=${prefix}&topLevelOnly=false`, {
      "If-None-Match": a.etag!,
    });
    expect(c.status).toBe(304);
    expect(Date.now() - t).toBeGreaterThanOrEqual(900); // it waited: the ETag was current
  });

  it("a running run reads the same until it reports: running time is as of its last report", async () => {
    const first = await raw(`/activities/${runId}`);
    await new Promise((r) => setTimeout(r, 1200));
    const again = await raw(`/activities/${runId}`);
    expect(again.etag).toBe(first.etag);
    expect(again.text).toBe(first.text);
    const snapshot1 = await raw(`/activities/${runId}/snapshot`);
    await new Promise((r) => setTimeout(r, 1100));
    const snapshot2 = await raw(`/activities/${runId}/snapshot`);
    expect(snapshot2.text).toBe(snapshot1.text);
    const body = JSON.parse(snapshot1.text);
    expect(body.activity.executionTimeMs).toBe(Date.parse(body.progress.sampledAt) - Date.parse(body.activity.started));

    expect((await post(`/activities/${runId}/progress`, { objectsProcessed: 20 })).status).toBe(200);
    const moved = await raw(`/activities/${runId}`);
    expect(moved.etag).not.toBe(first.etag);
    expect(JSON.parse(moved.text).progress.objectsProcessed).toBe(20);
  });

  it("stats and the detail agree with their ETags after a change (one read for both)", async () => {
    for (let i = 0; i < 5; i++) {
      const [stats, progress] = await Promise.all([
        raw(`/activities/${runId}/stats`),
        post(`/activities/${runId}/progress`, { objectsProcessed: 30 + i }),
      ]);
      expect(progress.status).toBe(200);
      const again = await raw(`/activities/${runId}/stats`, { "If-None-Match": stats.etag! });
      if (again.status === 304) continue;
      expect(again.etag).not.toBe(stats.etag);
      expect(again.text).not.toBe(stats.text);
    }
    const detail = await get(`/activities/${runId}`);
    expect(detail.body.totalObjectsProcessed).toBeGreaterThanOrEqual(0);
  });
});
