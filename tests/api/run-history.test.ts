/**
 * A run against its run profile's history (GET /activities/{id}/history) and the unusual flag in
 * the list: the strip of recent runs, deltas against the previous and the usual run, the flag,
 * the running comparison at the same progress, and the list marker agreeing with the page.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { config, expectError, get, post, unique } from "./helpers";
import { MIN_BASELINE_RUNS } from "@/lib/domain/usual-run";

let cs: any;
let rp: any;
let other: any; // a second profile, for runs without progress samples
/** Runs the chosen profile had before this file recorded any. */
let earlierRuns = 0;
const TAG = unique("history");
const usualIds: string[] = [];
let unusualId = "";
let quietId = "";

async function run(name: string) {
  const r = await post("/activities", {
    name,
    targetType: "ConnectedSystemRunProfile",
    connectedSystemId: cs.id,
    runProfileId: rp.id,
    objectsToProcess: 100,
    initiatedBy: { type: "User", id: null, name: TAG },
  });
  expect(r.status, r.text).toBe(201);
  return r.body.id as string;
}

async function progress(id: string, processed: number, errors: number) {
  const r = await post(`/activities/${id}/progress`, {
    objectsProcessed: processed,
    counters: { totalObjectsProcessed: processed, totalObjectChangeCount: processed, totalObjectErrors: errors },
  });
  expect(r.status, r.text).toBe(200);
}

async function complete(id: string, processed: number, errors: number) {
  const r = await post(`/activities/${id}/complete`, {
    objectsProcessed: processed,
    counters: { totalObjectsProcessed: processed, totalObjectChangeCount: processed, totalObjectErrors: errors },
  });
  expect(r.status, r.text).toBe(200);
}

beforeAll(async () => {
  ({ cs } = await config());
  // The run profile with the fewest earlier runs (other files, the fuzzer among them, record runs on
  // any profile): "too little history" below needs fewer than MIN_BASELINE_RUNS runs before one of these.
  const counted = await Promise.all(
    cs.runProfiles.map(async (p: any) => {
      const r = await get(`/activities?runProfileId=${p.id}&topLevelOnly=false&pageSize=1&count=exact`);
      expect(r.status, r.text).toBe(200);
      return { p, runs: r.body.totalCount as number };
    }),
  );
  const fewest = counted.sort((a, b) => a.runs - b.runs)[0];
  expect(fewest.runs, "every run profile already has a history").toBeLessThan(MIN_BASELINE_RUNS);
  earlierRuns = fewest.runs;
  rp = fewest.p;
  other = counted[1]?.p ?? rp;
  // 20 usual runs (a whole baseline): 1 error at half-way, 2 at the end.
  for (let i = 0; i < 20; i++) {
    const id = await run(`${TAG}-usual-${i}`);
    await progress(id, 50, 1);
    await complete(id, 100, 2);
    usualIds.push(id);
  }
  unusualId = await run(`${TAG}-unusual`);
  await progress(unusualId, 50, 20);
  await complete(unusualId, 100, 40);
  quietId = await run(`${TAG}-quiet`);
  await progress(quietId, 50, 0);
  await complete(quietId, 100, 1);
});

describe("GET /activities/{id}/history", () => {
  it("shows the profile's last runs up to this one, oldest first, this one marked and last", async () => {
    const r = await get(`/activities/${unusualId}/history?limit=5`);
    expect(r.status, r.text).toBe(200);
    const h = r.body;
    expect(h.runs.map((x: any) => x.id)).toEqual([...usualIds.slice(-4), unusualId]);
    expect(h.runs.map((x: any) => x.current)).toEqual([false, false, false, false, true]);
    expect(h.runs[4]).toMatchObject({ status: "CompleteWithError", totalObjectsProcessed: 100, totalObjectErrors: 40 });
    // one newer run (the quiet one), and it is the latest
    expect(h.newerRuns).toBe(1);
    expect(h.latestRunId).toBe(quietId);
    expect(h.previousRunId).toBe(usualIds[19]);
    expect(h.basis).toBe("final");
    expect(h.atProcessed).toBeNull();
  });

  it("gives deltas against the previous and the usual (median) run, and the usual range", async () => {
    const h = (await get(`/activities/${unusualId}/history`)).body;
    expect(h.runs).toHaveLength(10);
    expect(h.usualRuns).toBe(20);
    const errors = h.metrics.find((m: any) => m.metric === "errors");
    expect(errors).toMatchObject({
      current: 40,
      previous: { figure: 2, delta: 38, deltaPercent: 1900 },
      usual: { figure: 2, delta: 38 },
      usualLow: 0,
      usualHigh: 5, // median 2, MAD 0: the floor of 3 errors
    });
    const processed = h.metrics.find((m: any) => m.metric === "processed");
    expect(processed).toMatchObject({ current: 100, previous: { figure: 100, delta: 0 }, usual: { figure: 100 } });
    expect(h.metrics.map((m: any) => m.metric)).toEqual(["errors", "durationMs", "processed", "changes"]);
  });

  it("flags the run with errors far above the usual, and not a usual one", async () => {
    const h = (await get(`/activities/${unusualId}/history`)).body;
    expect(h.unusual).toEqual([
      expect.objectContaining({ metric: "errors", direction: "higher", value: 40, usual: 2, high: 5 }),
    ]);
    const quiet = (await get(`/activities/${quietId}/history`)).body;
    expect(quiet.unusual).toEqual([]);
    // the strip carries each run's own verdict: the unusual run stays flagged next to the quiet one
    expect(quiet.runs.find((x: any) => x.id === unusualId).unusual).toHaveLength(1);
    // the first runs have too little history to judge: this one has MIN_BASELINE_RUNS - 1 before it
    const first = (await get(`/activities/${usualIds[MIN_BASELINE_RUNS - 1 - earlierRuns]}/history`)).body;
    expect(first.unusual).toBeNull();
    expect(first.usualRuns).toBeLessThan(5);
    expect(first.metrics.find((m: any) => m.metric === "errors").usual.figure).toBeNull();
  });

  it("marks the same runs unusual in the activity list", async () => {
    const r = await get(`/activities?initiatorName=${encodeURIComponent(TAG)}&pageSize=100`);
    expect(r.status, r.text).toBe(200);
    const byId = new Map(r.body.items.map((a: any) => [a.id, a]));
    expect((byId.get(unusualId) as any).unusual).toEqual([expect.objectContaining({ metric: "errors", value: 40 })]);
    expect((byId.get(quietId) as any).unusual).toEqual([]);
    expect((byId.get(usualIds[0]) as any).unusual).toBeNull();
    expect((byId.get(usualIds[19]) as any).unusual).toEqual([]);
  });

  it("compares a running run with the others at the same progress, and says so", async () => {
    const id = await run(`${TAG}-running`);
    try {
      await progress(id, 50, 1);
      const h = (await get(`/activities/${id}/history`)).body;
      expect(h.basis).toBe("sameProgress");
      expect(h.atProcessed).toBe(50);
      expect(h.runs.at(-1)).toMatchObject({ id, status: "InProgress", current: true });
      const errors = h.metrics.find((m: any) => m.metric === "errors");
      // the quiet run had 0 errors at 50 objects, the usual runs 1
      expect(errors.previous).toMatchObject({ figure: 0, delta: 1 });
      expect(errors.usual).toMatchObject({ figure: 1, delta: 0 });
      expect(errors.usualLow).toBeNull(); // ranges are for ended runs
      // processed is against the others' final figures: how far it has come
      expect(h.metrics.find((m: any) => m.metric === "processed").previous).toMatchObject({ figure: 100, delta: -50 });
      // 1 error so far is not unusual; 30 already is (errors do not come back)
      expect(h.unusual).toEqual([]);
      await progress(id, 60, 30);
      const later = (await get(`/activities/${id}/history`)).body;
      expect(later.unusual).toEqual([expect.objectContaining({ metric: "errors", value: 30 })]);
    } finally {
      await post(`/activities/${id}/cancel`, { reason: "test over" });
    }
  });

  it("says the comparison is partial when the other runs left no progress samples at this point", async () => {
    // a profile without earlier sampled runs: the runs recorded here complete without progress reports
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await post("/activities", {
        name: `${TAG}-unsampled-${i}`,
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: cs.id,
        runProfileId: other.id,
        objectsToProcess: 100,
      });
      ids.push(r.body.id);
    }
    try {
      await complete(ids[0], 100, 0);
      // the previous run's only sample is its completion at 100 objects: nothing at or below 10
      await progress(ids[1], 10, 0);
      const h = (await get(`/activities/${ids[1]}/history`)).body;
      expect(h.previousRunId).toBe(ids[0]);
      expect(h.basis).toBe("partial");
      expect(h.atProcessed).toBeNull();
      expect(h.metrics.find((m: any) => m.metric === "errors").previous.figure).toBe(0);
    } finally {
      await post(`/activities/${ids[1]}/cancel`, {});
    }
  });

  it("answers 304 to its ETag, 400 for other activities and bad limits, 404 for unknown ones", async () => {
    const first = await get(`/activities/${quietId}/history`);
    const etag = first.headers.get("etag")!;
    expect(etag).toBeTruthy();
    const again = await get(`/activities/${quietId}/history`, undefined, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    const plain = await post("/activities", { name: unique("plain"), targetType: "DataGeneration" });
    expectError(await get(`/activities/${plain.body.id}/history`), 400, "BAD_REQUEST");
    expectError(await get(`/activities/${quietId}/history?limit=1`), 400, "BAD_REQUEST");
    expectError(await get(`/activities/${quietId}/history?limit=51`), 400, "BAD_REQUEST");
    expectError(await get(`/activities/00000000-0000-7000-8000-000000000000/history`), 404, "NOT_FOUND");
    await post(`/activities/${plain.body.id}/complete`, {});
  });
});
