import { beforeAll, describe, expect, it } from "vitest";
import { api, config, createPlain, createRun, expectError, get, post, unique } from "./helpers";
import { MAX_BODY_BYTES } from "@/lib/api/limits";
import { RUN_TYPES } from "@/lib/domain/enums";

const TAG = unique("list-tag");
const by = { type: "User", id: "mvo-1", name: TAG };
const q = (extra = "") => `/activities?initiatorName=${encodeURIComponent(TAG)}${extra}`;
const ids: string[] = [];
let runId = "";
let childId = "";
let cs: any;
let rp: any;

beforeAll(async () => {
  ({ cs, rp } = await config());
  // 6 plain top-level activities with different counters and outcomes, 1 run-profile one, 1 child.
  for (let i = 0; i < 6; i++) {
    const a = await createPlain(
      `${TAG}-n${i}${i === 3 ? " Special" : ""}`,
      i % 2 ? "DataGeneration" : "ConfigurationChange",
      { initiatedBy: by, objectsToProcess: 100 },
    );
    ids.push(a.id);
    await post(`/activities/${a.id}/progress`, {
      objectsProcessed: i * 10,
      counters: {
        totalObjectsProcessed: i * 10,
        totalObjectChangeCount: (i * 7) % 5,
        totalObjectErrors: i === 2 ? 3 : 0,
      },
    });
    if (i === 0) continue; // stays InProgress
    if (i === 5) await post(`/activities/${a.id}/cancel`, { reason: "test" });
    else await post(`/activities/${a.id}/complete`, i === 4 ? { status: "FailedWithError", errorMessage: "boom" } : {});
    await new Promise((r) => setTimeout(r, 5));
  }
  const run = await createRun(`${TAG}-run`, { initiatedBy: by });
  runId = run.id;
  ids.push(runId);
  const child = await createPlain(`${TAG}-child`, "DataGeneration", { initiatedBy: by, parentActivityId: ids[0] });
  childId = child.id;
});

async function all(query: string, pageSize = 100): Promise<any[]> {
  const r = await get(`${query}&pageSize=${pageSize}`);
  expect(r.status, r.text).toBe(200);
  return r.body.items;
}

describe("POST /activities", () => {
  it("creates with Location, initiator from the API key, names from configuration", async () => {
    const r = await post("/activities", {
      name: unique("created"),
      targetType: "ConnectedSystemRunProfile",
      connectedSystemId: cs.id,
      runProfileId: rp.id,
      objectsToProcess: 5,
    });
    expect(r.status).toBe(201);
    expect(r.headers.get("location")).toBe(`/api/v1/activities/${r.body.id}`);
    expect(r.body).toMatchObject({
      status: "InProgress",
      targetType: "ConnectedSystemRunProfile",
      connectedSystemName: cs.name,
      runProfileName: rp.name,
      runType: rp.runType,
      initiatedBy: { type: "ApiKey", name: "Environment administrator key" },
      progress: { objectsToProcess: 5, objectsProcessed: 0, percent: 0 },
      childCount: 0,
      version: 0,
    });
    expect(r.body.started).not.toBeNull();
    expect(r.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it("refuses bad bodies with 400 and details, writing nothing", async () => {
    const name = unique("refused");
    expectError(await post("/activities", { name, targetType: "DataGeneration", bogus: 1 }), 400, "BAD_REQUEST");
    expectError(await post("/activities", { name, targetType: "NotAType" }), 400, "BAD_REQUEST");
    expectError(
      await post("/activities", { name, targetType: "ConnectedSystemRunProfile", connectedSystemId: cs.id }),
      400,
      "BAD_REQUEST",
    );
    expectError(await post("/activities", { name, targetType: "Schedule" }), 400, "BAD_REQUEST");
    const unknown = await post("/activities", {
      name,
      targetType: "ConnectedSystemRunProfile",
      connectedSystemId: 999999,
      runProfileId: 999998,
    });
    expectError(unknown, 400, "BAD_REQUEST");
    expect(unknown.body.details.map((d: any) => d.path)).toEqual(
      expect.arrayContaining(["connectedSystemId", "runProfileId"]),
    );
    expectError(
      await post("/activities", {
        name,
        targetType: "DataGeneration",
        parentActivityId: "01234567-89ab-7def-8123-456789abcdef",
      }),
      400,
      "BAD_REQUEST",
    );
    expectError(
      await post("/activities", { name, targetType: "DataGeneration", parentActivityId: "nope" }),
      400,
      "BAD_REQUEST",
    );
    expect((await get(`/activities?search=${encodeURIComponent(name)}&topLevelOnly=false`)).body.totalCount).toBe(0);
  });

  it("415 for a non-JSON content type, 400 for malformed JSON, 413 for an oversize body", async () => {
    expectError(
      await api("POST", "/activities", { rawBody: "name=x", headers: { "Content-Type": "text/plain" } }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
    expectError(
      await api("POST", "/activities", {
        rawBody: JSON.stringify({ name: "x", targetType: "DataGeneration" }),
        headers: {},
      }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
    expectError(
      await api("POST", "/activities", { rawBody: "{not json", headers: { "Content-Type": "application/json" } }),
      400,
      "BAD_REQUEST",
    );
    const big = JSON.stringify({ name: "x", targetType: "DataGeneration", message: "y".repeat(MAX_BODY_BYTES) });
    expectError(
      await api("POST", "/activities", { rawBody: big, headers: { "Content-Type": "application/json" } }),
      413,
      "PAYLOAD_TOO_LARGE",
    );
    // a lying Content-Length is caught by the byte count (chunked upload without a length)
    const stream = new ReadableStream({
      start(c) {
        const chunk = new TextEncoder().encode("x".repeat(1024 * 1024));
        for (let i = 0; i <= MAX_BODY_BYTES / chunk.length; i++) c.enqueue(chunk);
        c.close();
      },
    });
    const { BASE_URL, ADMIN_KEY } = await import("./helpers");
    const res = await fetch(`${BASE_URL}/api/v1/activities`, {
      method: "POST",
      headers: { "X-Api-Key": ADMIN_KEY, "Content-Type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe("PAYLOAD_TOO_LARGE");
  });
});

describe("GET /activities filters", () => {
  it("topLevelOnly (default true) and parentId", async () => {
    expect((await all(q())).length).toBe(7);
    expect((await all(q("&topLevelOnly=false"))).length).toBe(8);
    const kids = await all(q(`&parentId=${ids[0]}`));
    expect(kids.map((k) => k.id)).toEqual([childId]);
  });

  it("status (several, repeated or comma-separated)", async () => {
    const a = await all(q("&status=Complete&status=Cancelled"));
    const b = await all(q("&status=Complete,Cancelled"));
    expect(a.map((x) => x.id).sort()).toEqual(b.map((x) => x.id).sort());
    expect(a.every((x) => ["Complete", "Cancelled"].includes(x.status))).toBe(true);
    expect(a.length).toBe(3); // n1, n3 complete; n5 cancelled
    expect((await all(q("&status=InProgress"))).length).toBe(2); // n0 and the run
  });

  it("targetType, connectedSystemId, runProfileId, scheduleId, initiatorType", async () => {
    expect((await all(q("&targetType=ConnectedSystemRunProfile"))).map((x) => x.id)).toEqual([runId]);
    expect((await all(q("&targetType=DataGeneration,ConfigurationChange"))).length).toBe(6);
    expect((await all(q(`&connectedSystemId=${cs.id}`))).map((x) => x.id)).toEqual([runId]);
    expect((await all(q(`&runProfileId=${rp.id}`))).map((x) => x.id)).toEqual([runId]);
    expect((await all(q("&scheduleId=999999"))).length).toBe(0);
    expect((await all(q("&initiatorType=User"))).length).toBe(7);
    expect((await all(q("&initiatorType=ApiKey"))).length).toBe(0);
  });

  it("runType (several, repeated or comma-separated): run-profile activities of those operations", async () => {
    const [run] = await all(q(`&runProfileId=${rp.id}`));
    const others = RUN_TYPES.filter((t) => t !== run.runType);
    expect((await all(q(`&runType=${run.runType}`))).map((x) => x.id)).toEqual([runId]);
    expect(await all(q(`&runType=${others.join(",")}`))).toEqual([]);
    expect((await all(q(`&runType=${others[0]}&runType=${run.runType}`))).map((x) => x.id)).toEqual([runId]);
    expectError(await get(q("&runType=Sideways")), 400, "BAD_REQUEST");
  });

  it("search (case-insensitive on name), from/to, hasErrors", async () => {
    const s = await all(q("&search=sPeCiAl"));
    expect(s.map((x) => x.id)).toEqual([ids[3]]);
    const t = new Date(Date.now() + 60_000).toISOString();
    expect((await all(q(`&from=${encodeURIComponent(t)}`))).length).toBe(0);
    expect((await all(q(`&to=${encodeURIComponent(t)}`))).length).toBe(7);
    expect((await all(q(`&from=2000-01-01T00:00:00Z&to=2001-01-01T00:00:00Z`))).length).toBe(0);
    // CompleteWithError (3 errors) and FailedWithError
    const errs = await all(q("&hasErrors=true"));
    expect(errs.map((x) => x.id).sort()).toEqual([ids[2], ids[4]].sort());
    expect((await all(q("&hasErrors=false"))).length).toBe(5);
  });

  it("rows are ActivitySummary with live executionTime while running", async () => {
    const rows = await all(q());
    const running = rows.find((r) => r.id === ids[0]);
    expect(running.executionTimeMs).toBeGreaterThanOrEqual(0);
    expect(running.ended).toBeNull();
    const failed = rows.find((r) => r.id === ids[4]);
    expect(failed).toMatchObject({ status: "FailedWithError", errorMessage: "boom" });
    expect(failed.ended).not.toBeNull();
    expect(rows.find((r) => r.id === ids[0]).childCount).toBe(1);
    expect(Object.keys(running)).toEqual(
      expect.arrayContaining([
        "id",
        "name",
        "targetType",
        "status",
        "initiatedBy",
        "created",
        "started",
        "ended",
        "executionTimeMs",
        "totalActivityTimeMs",
        "progress",
        "totalObjectsProcessed",
        "totalObjectChangeCount",
        "totalObjectErrors",
        "warningCount",
        "parentActivityId",
        "childCount",
      ]),
    );
  });
});

const SORT_KEYS: Record<string, (r: any) => unknown> = {
  created: (r) => r.created,
  started: (r) => r.started,
  ended: (r) => r.ended,
  duration: (r) => (r.status === "InProgress" ? null : r.executionTimeMs),
  name: (r) => r.name,
  target: (r) => r.targetName,
  type: (r) =>
    [
      "ConnectedSystemRunProfile",
      "Schedule",
      "SchemaImport",
      "DataGeneration",
      "Certificate",
      "ConfigurationChange",
    ].indexOf(r.targetType),
  initiator: (r) => r.initiatedBy.name,
  status: (r) =>
    ["InProgress", "Complete", "CompleteWithWarning", "CompleteWithError", "FailedWithError", "Cancelled"].indexOf(
      r.status,
    ),
  errors: (r) => r.totalObjectErrors,
  processed: (r) => r.totalObjectsProcessed,
  changes: (r) => r.totalObjectChangeCount,
};

describe("GET /activities sorting and paging", () => {
  for (const sort of Object.keys(SORT_KEYS)) {
    for (const order of ["asc", "desc"]) {
      it(`sort=${sort} order=${order}: ordered, and cursor paging equals offset paging`, async () => {
        const base = q(`&topLevelOnly=false&sort=${sort}&order=${order}`);
        const full = await all(base);
        expect(full.length).toBe(8);
        // ordered (NULLs last ascending, first descending, as PostgreSQL orders them)
        const key = SORT_KEYS[sort];
        for (let i = 1; i < full.length; i++) {
          const a = key(full[i - 1]);
          const b = key(full[i]);
          if (a === null || b === null) {
            if (order === "asc") expect(a === null && b !== null, `${sort} nulls last`).toBe(false);
            else expect(b === null && a !== null, `${sort} nulls first`).toBe(false);
            continue;
          }
          if (order === "asc") expect(a! <= b!, `${sort} ${String(a)} <= ${String(b)}`).toBe(true);
          else expect(a! >= b!, `${sort} ${String(a)} >= ${String(b)}`).toBe(true);
        }
        // offset pages of 3
        const offset: string[] = [];
        for (let page = 1; page <= 3; page++) {
          const r = await get(`${base}&pageSize=3&page=${page}`);
          expect(r.body).toMatchObject({
            totalCount: 8,
            page,
            pageSize: 3,
            totalPages: 3,
            hasNextPage: page < 3,
            hasPreviousPage: page > 1,
          });
          offset.push(...r.body.items.map((x: any) => x.id));
        }
        expect(offset).toEqual(full.map((x) => x.id));
        // cursor pages of 3
        const viaCursor: string[] = [];
        let cursor: string | null = null;
        for (let n = 0; n < 5; n++) {
          const r: any = await get(`${base}&pageSize=3${cursor ? `&cursor=${cursor}` : ""}`);
          expect(r.status, r.text).toBe(200);
          viaCursor.push(...r.body.items.map((x: any) => x.id));
          cursor = r.body.nextCursor;
          if (!cursor) break;
        }
        expect(viaCursor).toEqual(offset);
      });
    }
  }

  it("page beyond the last: empty items, correct totals", async () => {
    const r = await get(q("&pageSize=5&page=9"));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      items: [],
      totalCount: 7,
      page: 9,
      pageSize: 5,
      totalPages: 2,
      hasNextPage: false,
      hasPreviousPage: true,
      nextCursor: null,
    });
  });

  it("pageSize 100 ok, 101 / 0 / page 0 / junk → 400", async () => {
    expect((await get(q("&pageSize=100"))).status).toBe(200);
    expectError(await get(q("&pageSize=101")), 400, "BAD_REQUEST");
    expectError(await get(q("&pageSize=0")), 400, "BAD_REQUEST");
    expectError(await get(q("&page=0")), 400, "BAD_REQUEST");
    expectError(await get(q("&page=abc")), 400, "BAD_REQUEST");
  });

  it("refuses unknown parameters, bad enums, bad uuids, bad dates and foreign cursors", async () => {
    expectError(await get(q("&colour=blue")), 400, "BAD_REQUEST");
    expectError(await get(q("&status=Finished")), 400, "BAD_REQUEST");
    expectError(await get(q("&sort=colour")), 400, "BAD_REQUEST");
    expectError(await get(q("&order=up")), 400, "BAD_REQUEST");
    expectError(await get(q("&parentId=123")), 400, "BAD_REQUEST");
    expectError(await get(q("&from=yesterday")), 400, "BAD_REQUEST");
    expectError(await get(q("&cursor=%%%")), 400, "BAD_REQUEST");
    const first = await get(q("&pageSize=2&sort=name"));
    expectError(await get(q(`&pageSize=2&sort=created&cursor=${first.body.nextCursor}`)), 400, "BAD_REQUEST");
  });
});

describe("GET /activities/{id} and ETags", () => {
  it("404 for an unknown uuid, 400 for a malformed one", async () => {
    expectError(await get("/activities/01234567-89ab-7def-8123-456789abcdef"), 404, "NOT_FOUND");
    expectError(await get("/activities/not-a-uuid"), 400, "BAD_REQUEST");
    for (const sub of ["stats", "items", "children", "tree", "progress"]) {
      expectError(await get(`/activities/01234567-89ab-7def-8123-456789abcdef/${sub}`), 404, "NOT_FOUND");
      expectError(await get(`/activities/123/${sub}`), 400, "BAD_REQUEST");
    }
  });

  it("detail: 304 on If-None-Match until the activity changes", async () => {
    const a = await createPlain();
    const r1 = await get(`/activities/${a.id}`);
    const etag = r1.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"/);
    expect(r1.headers.get("cache-control")).toBe("private, no-cache");
    const r2 = await get(`/activities/${a.id}`, undefined, { "If-None-Match": etag });
    expect(r2.status).toBe(304);
    await post(`/activities/${a.id}/progress`, { objectsProcessed: 3 });
    const r3 = await get(`/activities/${a.id}`, undefined, { "If-None-Match": etag });
    expect(r3.status).toBe(200);
    expect(r3.body.progress.objectsProcessed).toBe(3);
    expect(r3.headers.get("etag")).not.toBe(etag);
  });

  it("list, children, tree, progress and stats answer 304 when unchanged", async () => {
    const run = await createRun();
    for (const path of [
      q(),
      `/activities/${ids[0]}/children`,
      `/activities/${ids[0]}/tree`,
      `/activities/${run.id}/progress`,
      `/activities/${run.id}/stats`,
    ]) {
      const r1 = await get(path);
      expect(r1.status, path).toBe(200);
      const etag = r1.headers.get("etag");
      expect(etag, path).toBeTruthy();
      expect((await get(path, undefined, { "If-None-Match": etag! })).status, path).toBe(304);
    }
    const stats1 = await get(`/activities/${run.id}/stats`);
    await post(`/activities/${run.id}/progress`, { counters: { totalJoins: 4 } });
    const stats2 = await get(`/activities/${run.id}/stats`, undefined, {
      "If-None-Match": stats1.headers.get("etag")!,
    });
    expect(stats2.status).toBe(200);
    expect(stats2.body.totalJoins).toBe(4);
  });
});

describe("progress, complete, cancel", () => {
  it("progress sets absolute counters and appends samples; after= gives the tail", async () => {
    const a = await createRun(unique("progress"), { objectsToProcess: 200 });
    const p1 = await post(`/activities/${a.id}/progress`, {
      objectsProcessed: 50,
      message: "Importing",
      counters: { totalObjectsProcessed: 50, totalCsoAdds: 10 },
      warnings: ["slow"],
    });
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({
      progress: { objectsProcessed: 50, objectsToProcess: 200, percent: 25, message: "Importing" },
      warningCount: 1,
      warnings: ["slow"],
    });
    expect(p1.body.counters.totalCsoAdds).toBe(10);
    await new Promise((r) => setTimeout(r, 20));
    const mid = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const p2 = await post(`/activities/${a.id}/progress`, { objectsProcessed: 100, counters: { totalCsoAdds: 20 } });
    expect(p2.body.counters.totalCsoAdds).toBe(20);
    expect(p2.body.counters.totalObjectsProcessed).toBe(50); // untouched counters keep their value
    const s = await get(`/activities/${a.id}/progress/samples`);
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ status: "InProgress", totalSamples: 2, downsampled: false, hasMore: false });
    expect(s.body.samples.map((x: any) => x.objectsProcessed)).toEqual([50, 100]);
    expect(s.body.samples[0].counters).toEqual({ totalObjectsProcessed: 50, totalCsoAdds: 10 });
    const since = await get(`/activities/${a.id}/progress/samples?after=${encodeURIComponent(mid)}`);
    expect(since.body.samples.map((x: any) => x.objectsProcessed)).toEqual([100]);
    expectError(await get(`/activities/${a.id}/progress/samples?after=later`), 400, "BAD_REQUEST");
    expectError(await get(`/activities/${a.id}/progress?since=${encodeURIComponent(mid)}`), 400, "BAD_REQUEST");
    expectError(await post(`/activities/${a.id}/progress`, { objectsProcessed: -1 }), 400, "BAD_REQUEST");
    expectError(await post(`/activities/${a.id}/progress`, { counters: { totalNonsense: 1 } }), 400, "BAD_REQUEST");
  });

  it("complete derives the status from errors and warnings, sets times; later writes → 409", async () => {
    const ok = await createRun();
    const c1 = await post(`/activities/${ok.id}/complete`, { counters: { totalObjectsProcessed: 5 } });
    expect(c1.status).toBe(200);
    expect(c1.body.status).toBe("Complete");
    expect(c1.body.ended).not.toBeNull();
    expect(c1.body.executionTimeMs).toBeGreaterThanOrEqual(0);
    expect(c1.body.totalActivityTimeMs).toBeGreaterThanOrEqual(c1.body.executionTimeMs);
    expect(c1.body.progress.percent).toBe(100);
    // The closing message replaces the last progress message; without one, that message stays.
    const said = await createRun();
    await post(`/activities/${said.id}/progress`, { message: "Importing: 5 of 10" });
    const closed = await post(`/activities/${said.id}/complete`, { message: "Imported 10 objects" });
    expect(closed.body.progress.message).toBe("Imported 10 objects");
    const quiet = await createRun();
    await post(`/activities/${quiet.id}/progress`, { message: "Importing: 5 of 10" });
    expect((await post(`/activities/${quiet.id}/complete`, {})).body.progress.message).toBe("Importing: 5 of 10");
    const warn = await createRun();
    expect((await post(`/activities/${warn.id}/complete`, { warnings: ["w"] })).body.status).toBe(
      "CompleteWithWarning",
    );
    const err = await createRun();
    expect(
      (await post(`/activities/${err.id}/complete`, { counters: { totalObjectErrors: 2 }, warnings: ["w"] })).body
        .status,
    ).toBe("CompleteWithError");
    const explicit = await createRun();
    expect(
      (
        await post(`/activities/${explicit.id}/complete`, {
          status: "FailedWithError",
          errorMessage: "connector down",
          errorStackTrace: "at x",
        })
      ).body,
    ).toMatchObject({ status: "FailedWithError", errorMessage: "connector down", errorStackTrace: "at x" });
    expectError(await post(`/activities/${explicit.id}/complete`, { status: "InProgress" }), 400, "BAD_REQUEST");
    // every write after the end is a conflict, and changes nothing
    const before = await get(`/activities/${ok.id}`);
    expectError(await post(`/activities/${ok.id}/complete`, {}), 409, "CONFLICT");
    expectError(await post(`/activities/${ok.id}/progress`, { objectsProcessed: 9 }), 409, "CONFLICT");
    expectError(
      await post(`/activities/${ok.id}/items`, { items: [{ sequence: 0, objectChangeType: "Add" }] }),
      409,
      "CONFLICT",
    );
    expectError(await post(`/activities/${ok.id}/cancel`, {}), 409, "CONFLICT");
    expectError(
      await post("/activities", { name: "late child", targetType: "DataGeneration", parentActivityId: ok.id }),
      409,
      "CONFLICT",
    );
    const after = await get(`/activities/${ok.id}`);
    expect(after.body.version).toBe(before.body.version);
    expect((await get(`/activities/${ok.id}/items`)).body.totalCount).toBe(0);
    expectError(await post("/activities/01234567-89ab-7def-8123-456789abcdef/complete", {}), 404, "NOT_FOUND");
  });

  it("cancel ends the activity and all running descendants at once", async () => {
    const root = await createPlain(unique("cancel-root"), "DataGeneration");
    const c1 = await createPlain(unique("c1"), "DataGeneration", { parentActivityId: root.id });
    const c2 = await createPlain(unique("c2"), "DataGeneration", { parentActivityId: root.id });
    const g1 = await createPlain(unique("g1"), "DataGeneration", { parentActivityId: c1.id });
    await post(`/activities/${c2.id}/complete`, {});
    const r = await api("POST", `/activities/${root.id}/cancel`, { rawBody: "" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "Cancelled", cancelRequested: true, progress: { message: null } });
    expect((await get(`/activities/${c1.id}`)).body.status).toBe("Cancelled");
    expect((await get(`/activities/${g1.id}`)).body).toMatchObject({ status: "Cancelled", cancelRequested: true });
    expect((await get(`/activities/${c2.id}`)).body.status).toBe("Complete");
    const withReason = await createPlain();
    expect((await post(`/activities/${withReason.id}/cancel`, { reason: "operator" })).body.progress.message).toBe(
      "Cancelled: operator",
    );
    expectError(await post(`/activities/${withReason.id}/cancel`, { reason: "again" }), 409, "CONFLICT");
    expectError(await post(`/activities/${root.id}/cancel`, { unknown: true }), 400, "BAD_REQUEST");
  });
});

describe("children and tree", () => {
  it("children: envelope of direct children, oldest first", async () => {
    const root = await createPlain(unique("parent"), "DataGeneration");
    const kids = [];
    for (let i = 0; i < 4; i++)
      kids.push((await createPlain(unique(`kid${i}`), "DataGeneration", { parentActivityId: root.id })).id);
    await createPlain(unique("grandkid"), "DataGeneration", { parentActivityId: kids[0] });
    const r = await get(`/activities/${root.id}/children`);
    expect(r.status).toBe(200);
    expect(r.body.items.map((x: any) => x.id)).toEqual(kids);
    expect(r.body).toMatchObject({ totalCount: 4, page: 1, totalPages: 1, hasNextPage: false, nextCursor: null });
    const p = await get(`/activities/${root.id}/children?pageSize=3`);
    expect(p.body.hasNextPage).toBe(true);
    const p2 = await get(`/activities/${root.id}/children?pageSize=3&cursor=${p.body.nextCursor}`);
    expect([...p.body.items, ...p2.body.items].map((x: any) => x.id)).toEqual(kids);
    const desc = await get(`/activities/${root.id}/children?order=desc`);
    expect(desc.body.items.map((x: any) => x.id)).toEqual([...kids].reverse());
    expect((await get(`/activities/${root.id}`)).body.childCount).toBe(4);
    expectError(await get(`/activities/${root.id}/children?status=Complete`), 400, "BAD_REQUEST");
  });

  it("tree: every descendant, rollup over run-profile descendants, nodeCount", async () => {
    const root = await createPlain(unique("tree-root"), "DataGeneration");
    const r1 = await createRun(unique("step1"), { parentActivityId: root.id });
    const mid = await createPlain(unique("mid"), "DataGeneration", { parentActivityId: root.id });
    const r2 = await createRun(unique("step2"), { parentActivityId: mid.id });
    const deep = await createPlain(unique("deep"), "DataGeneration", { parentActivityId: r2.id });
    await post(`/activities/${r1.id}/progress`, { counters: { totalJoins: 2, totalObjectErrors: 1 } });
    await post(`/activities/${r2.id}/progress`, { counters: { totalJoins: 5 } });
    await post(`/activities/${mid.id}/progress`, { counters: { totalJoins: 100 } }); // not a run profile: not rolled up
    const t = await get(`/activities/${root.id}/tree`);
    expect(t.status).toBe(200);
    expect(t.body.nodeCount).toBe(5);
    expect(t.body.rollup.totalJoins).toBe(7);
    expect(t.body.rollup.totalObjectErrors).toBe(1);
    expect(Object.keys(t.body.rollup)).toHaveLength(23);
    expect(t.body.root.id).toBe(root.id);
    expect(t.body.root.children.map((c: any) => c.id)).toEqual([r1.id, mid.id]);
    expect(t.body.root.children[1].children[0].id).toBe(r2.id);
    expect(t.body.root.children[1].children[0].children[0].id).toBe(deep.id);
    const sub = await get(`/activities/${mid.id}/tree`);
    expect(sub.body.nodeCount).toBe(3);
  });
});

describe("stats", () => {
  it("the 23 counters, then the per-type counts, for a run-profile activity; 400 for other kinds", async () => {
    const run = await createRun();
    await post(`/activities/${run.id}/progress`, {
      counters: {
        totalObjectsProcessed: 12450,
        totalObjectChangeCount: 248,
        totalUnchanged: 12202,
        totalCsoAdds: 15,
        totalPendingExports: 45,
      },
    });
    const s = await get(`/activities/${run.id}/stats`);
    expect(s.status).toBe(200);
    expect(Object.keys(s.body)).toEqual([
      "totalObjectsProcessed",
      "totalObjectChangeCount",
      "totalUnchanged",
      "totalObjectErrors",
      "totalObjectTypes",
      "totalCsoAdds",
      "totalCsoUpdates",
      "totalCsoDeletes",
      "totalProjections",
      "totalJoins",
      "totalAttributeFlows",
      "totalDisconnections",
      "totalDisconnectedOutOfScope",
      "totalOutOfScopeRetainJoin",
      "totalDriftCorrections",
      "totalProvisioned",
      "totalExported",
      "totalDeprovisioned",
      "totalPendingExports",
      "totalPendingExportsConfirmed",
      "totalPendingExportsRetrying",
      "totalPendingExportsFailed",
      "totalCreated",
      "errorTypeCounts",
      "objectTypeCounts",
    ]);
    expect(s.body).toMatchObject({
      totalObjectsProcessed: 12450,
      totalObjectChangeCount: 248,
      totalUnchanged: 12202,
      totalCsoAdds: 15,
      totalPendingExports: 45,
      totalJoins: 0,
    });
    const plain = await createPlain();
    expectError(await get(`/activities/${plain.id}/stats`), 400, "BAD_REQUEST");
  });
});
