/**
 * The live picture: queued runs (started null, position, what they wait behind), the operations
 * view, schedule executions with every planned step, the progress snapshot, samples, long polls.
 */
import { describe, expect, it } from "vitest";
import { api, expectError, get, pollUntilTerminal, post, unique } from "./helpers";

interface System {
  id: number;
  name: string;
  runProfiles: { id: number; name: string; runType: string }[];
}

async function system(name: string): Promise<System> {
  const systems: System[] = (await get("/connected-systems")).body.items;
  const cs = systems.find((s) => s.name === name);
  if (!cs) throw new Error(`no connected system ${name}`);
  return cs;
}

const profile = (cs: System, runType: string) => {
  const rp = cs.runProfiles.find((r) => r.runType === runType);
  if (!rp) throw new Error(`${cs.name} has no ${runType} run profile`);
  return rp;
};

const trigger = (cs: System, runType: string, headers: Record<string, string> = {}) =>
  api("POST", `/connected-systems/${cs.id}/run-profiles/${profile(cs, runType).id}/execute`, { rawBody: "", headers });

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the queue", () => {
  it("a run behind a busy system waits: not started, position 1 behind the running run, shown by operations", async () => {
    const hr = await system("Workday HR");
    const first = await trigger(hr, "FullImport");
    expect(first.status, first.text).toBe(202);
    // The dispatcher starts a run of a free lane before the trigger answers.
    expect(first.body).toMatchObject({ queued: false, queuePosition: null });
    expect((await get(`/activities/${first.body.activityId}`)).body.started).not.toBeNull();
    const second = await trigger(hr, "DeltaImport");
    expect(second.status, second.text).toBe(202);
    expect(second.body).toMatchObject({ queued: true, queuePosition: 1, deduplicated: false, status: "InProgress" });
    const waiting = await get(`/activities/${second.body.activityId}`);
    expect(waiting.body.started).toBeNull();
    expect(waiting.body.executionTimeMs).toBeNull();
    expect(waiting.body.queue).toEqual({
      position: 1,
      lane: `cs:${hr.id}`,
      behind: { id: first.body.activityId, name: expect.stringContaining("Workday HR") },
    });
    const ops = await get("/operations");
    expect(ops.body.running.map((a: { id: string }) => a.id)).toContain(first.body.activityId);
    expect(ops.body.queued.map((a: { id: string }) => a.id)).toContain(second.body.activityId);
    expect(ops.body.engine).toMatchObject({ enabled: true, scheduler: true });
    const a = await pollUntilTerminal(first.body.activityId);
    const b = await pollUntilTerminal(second.body.activityId);
    expect(Date.parse(b.started)).toBeGreaterThanOrEqual(Date.parse(a.ended));
    // The wait is not run time: execution starts at started, the total at created.
    expect(b.executionTimeMs).toBeLessThan(b.totalActivityTimeMs);
    expect(b.totalActivityTimeMs - b.executionTimeMs).toBeGreaterThanOrEqual(
      Date.parse(b.started) - Date.parse(b.created) - 5,
    );
  }, 120_000);

  it("triggering a profile that already waits returns the waiting run (200, deduplicated), not a second one", async () => {
    const ad = await system("Contoso Active Directory");
    const running = await trigger(ad, "FullImport");
    const queued = await trigger(ad, "FullSynchronisation");
    const again = await trigger(ad, "FullSynchronisation");
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ activityId: queued.body.activityId, deduplicated: true });
    await pollUntilTerminal(running.body.activityId);
    await pollUntilTerminal(queued.body.activityId);
  }, 120_000);

  it("a queued run can be cancelled: it ends Cancelled without ever starting", async () => {
    const snow = await system("ServiceNow");
    const running = await trigger(snow, "FullImport");
    const queued = await trigger(snow, "Export");
    const c = await post(`/activities/${queued.body.activityId}/cancel`, { reason: "not now" });
    expect(c.status, c.text).toBe(200);
    expect(c.body).toMatchObject({ status: "Cancelled", started: null, executionTimeMs: 0, queue: null });
    expect(c.body.progress.message).toBe("Cancelled: not now");
    await pollUntilTerminal(running.body.activityId);
    expect((await get(`/activities/${queued.body.activityId}`)).body.started).toBeNull();
  }, 120_000);

  it("Idempotency-Key: a repeated trigger gets the first answer; the key with another request is a conflict", async () => {
    const payroll = await system("Payroll (legacy)");
    const key = unique("idem");
    const r1 = await trigger(payroll, "FullImport", { "Idempotency-Key": key });
    expect(r1.status).toBe(202);
    const r2 = await trigger(payroll, "FullImport", { "Idempotency-Key": key });
    expect(r2.status).toBe(202);
    expect(r2.headers.get("idempotent-replayed")).toBe("true");
    expect(r2.body).toEqual(r1.body);
    expectError(await trigger(payroll, "FullSynchronisation", { "Idempotency-Key": key }), 409, "CONFLICT");
    await pollUntilTerminal(r1.body.activityId);
  }, 120_000);
});

describe("schedule executions", () => {
  it("lists every planned step, pending ones without an activity, then runs them in order with step indexes", async () => {
    const schedules = (await get("/schedules")).body.items;
    const delta = schedules.find((s: { name: string }) => s.name === "Delta sync cycle");
    expect(delta, "the demo configuration has the delta sync cycle").toBeTruthy();
    const t = await post(`/schedules/${delta.id}/execute`);
    expect(t.status, t.text).toBe(202);
    const id = t.body.activityId;
    const first = await get(`/schedule-executions/${id}`);
    expect(first.status, first.text).toBe(200);
    expect(first.body.stepCount).toBe(delta.steps.length);
    expect(first.body.steps).toHaveLength(delta.steps.length);
    expect(first.body.steps.map((s: { stepIndex: number }) => s.stepIndex)).toEqual(
      delta.steps.map((_: unknown, i: number) => i + 1),
    );
    const pending = first.body.steps.filter((s: { status: string }) => s.status === "Pending");
    expect(pending.length).toBeGreaterThan(0);
    for (const s of pending) expect(s.activityId).toBeNull();
    // Parallel steps share a group.
    expect(
      first.body.steps.filter((s: { parallelGroup: number | null }) => s.parallelGroup !== null).length,
    ).toBeGreaterThan(1);
    const done = await pollUntilTerminal(id, 120_000);
    expect(["Complete", "CompleteWithWarning", "CompleteWithError"]).toContain(done.status);
    const after = await get(`/schedule-executions/${id}`);
    expect(after.body.stepsCompleted).toBe(delta.steps.length);
    for (const s of after.body.steps) {
      expect(s.activityId).toBeTruthy();
      const step = (await get(`/activities/${s.activityId}`)).body;
      expect(step).toMatchObject({
        scheduleId: delta.id,
        scheduleExecutionId: id,
        stepIndex: s.stepIndex,
        parentActivityId: id,
      });
    }
    // ?scheduleId= finds the steps when steps are included.
    const all = await get(`/activities?scheduleId=${delta.id}&topLevelOnly=false&pageSize=100`);
    const ids = all.body.items.map((a: { id: string }) => a.id);
    for (const s of after.body.steps) expect(ids).toContain(s.activityId);
    const byExecution = await get(`/activities?scheduleExecutionId=${id}&pageSize=100`);
    expect(byExecution.body.items).toHaveLength(delta.steps.length);
    const list = await get(`/schedule-executions?scheduleId=${delta.id}`);
    expect(list.body.items[0]).toMatchObject({ id, stepCount: delta.steps.length, stepsCompleted: delta.steps.length });
  }, 180_000);

  it("reports step N of M while it runs; cancelling stops the rest, which never start and count as ended, Cancelled", async () => {
    const schedules = (await get("/schedules")).body.items;
    const nightly = schedules.find((s: { name: string }) => s.name === "Nightly full sync");
    const t = await post(`/schedules/${nightly.id}/execute`);
    const id = t.body.activityId;
    const running = await waitFor("a running step", async () => {
      const r = await get(`/schedule-executions/${id}`);
      return r.body.currentStep && r.body.status === "InProgress" ? r.body : null;
    });
    expect(running.currentStep).toMatchObject({
      count: nightly.steps.length,
      index: expect.any(Number),
      name: expect.any(String),
    });
    expect(running.progress).toMatchObject({ unit: "steps", state: "Running", steps: { total: nightly.steps.length } });
    const active = await get("/schedule-executions/active");
    expect(active.body.items.map((e: { id: string }) => e.id)).toContain(id);
    const c = await post(`/schedule-executions/${id}/cancel`, { reason: "test" });
    expect(c.status, c.text).toBe(200);
    expect(c.body.status).toBe("Cancelled");
    const later = (await get(`/schedule-executions/${id}`)).body;
    for (const s of later.steps)
      expect(["Cancelled", "Complete", "CompleteWithWarning", "CompleteWithError", "FailedWithError"]).toContain(
        s.status,
      );
    // The steps it never started ended with it, Cancelled without an activity, and are counted as ended
    // like the steps that ran: in the execution, its progress and the list.
    const never = later.steps.filter((s: { activityId: string | null }) => s.activityId === null);
    expect(never.length, "the nightly schedule had steps left").toBeGreaterThan(0);
    for (const s of never) expect(s).toMatchObject({ status: "Cancelled", started: null, ended: null });
    expect(later.stepsCompleted).toBe(nightly.steps.length);
    expect(later.progress.steps).toEqual({ completed: nightly.steps.length, total: nightly.steps.length });
    expect(later.currentStep).toBeNull();
    const listed = (await get(`/schedule-executions?scheduleId=${nightly.id}`)).body.items.find(
      (e: { id: string }) => e.id === id,
    );
    expect(listed).toMatchObject({
      status: "Cancelled",
      stepCount: nightly.steps.length,
      stepsCompleted: nightly.steps.length,
    });
    expectError(
      await get(
        `/schedule-executions/${(await post("/activities", { name: unique("x"), targetType: "DataGeneration" })).body.id}`,
      ),
      404,
      "NOT_FOUND",
    );
  }, 120_000);
});

describe("progress snapshot, samples and long polls", () => {
  async function reported(objectsToProcess = 100) {
    const cs = await system("Workday HR");
    const r = await post("/activities", {
      name: unique("reported"),
      targetType: "ConnectedSystemRunProfile",
      connectedSystemId: cs.id,
      runProfileId: profile(cs, "DeltaImport").id,
      objectsToProcess,
    });
    expect(r.status, r.text).toBe(201);
    return r.body;
  }

  it("the snapshot: percent, rate, estimate, counts by operation, phases", async () => {
    const a = await reported(1000);
    expect(a).toMatchObject({ reportedBy: "api", started: expect.any(String), queue: null });
    await post(`/activities/${a.id}/progress`, { objectsProcessed: 0, phase: "Connecting" });
    await new Promise((r) => setTimeout(r, 1200));
    await post(`/activities/${a.id}/progress`, {
      objectsProcessed: 100,
      phase: "Importing",
      counters: { totalCsoAdds: 7 },
    });
    await new Promise((r) => setTimeout(r, 1200));
    await post(`/activities/${a.id}/progress`, { objectsProcessed: 250 });
    const p = await get(`/activities/${a.id}/progress`);
    expect(p.status, p.text).toBe(200);
    expect(p.body).toMatchObject({
      activityId: a.id,
      state: "Running",
      unit: "objects",
      percentComplete: 25,
      objectsProcessed: 250,
      objectsToProcess: 1000,
      currentStep: null,
    });
    expect(p.body.objectsPerSecond).toBeGreaterThan(50);
    expect(p.body.estimatedSecondsRemaining).toBeGreaterThan(0);
    // 2.4 s of rate at 25 %: unsure, so a range around the estimate
    const { lowSeconds, highSeconds } = p.body.estimateRange;
    expect(lowSeconds).toBeLessThan(p.body.estimatedSecondsRemaining);
    expect(highSeconds).toBeGreaterThan(p.body.estimatedSecondsRemaining);
    expect(p.body.operationCounts.import.totalCsoAdds).toBe(7);
    expect(p.body.phases.map((x: { name: string; status: string }) => [x.name, x.status])).toEqual([
      ["Connecting", "Complete"],
      ["Importing", "Running"],
    ]);
    await post(`/activities/${a.id}/complete`, { objectsProcessed: 1000 });
    const end = (await get(`/activities/${a.id}/progress`)).body;
    expect(end).toMatchObject({ state: "Ended", estimatedSecondsRemaining: null, estimateRange: null });
    expect(end.phases.at(-1)).toMatchObject({ name: "Importing", status: "Complete", ended: expect.any(String) });
    // The completion is the chart's last point, even when no report of the final figures came before it.
    const samples = (await get(`/activities/${a.id}/progress/samples?limit=5000`)).body.samples;
    expect(samples.at(-1)).toMatchObject({ objectsProcessed: 1000 });
  });

  it("samples: the tail after a moment, or the whole run downsampled, never silently cut", async () => {
    const a = await reported(10_000);
    for (let i = 1; i <= 40; i++) await post(`/activities/${a.id}/progress`, { objectsProcessed: i * 10 });
    const all = await get(`/activities/${a.id}/progress/samples?limit=5000`);
    expect(all.body).toMatchObject({ totalSamples: 40, downsampled: false, hasMore: false });
    const few = await get(`/activities/${a.id}/progress/samples?maxPoints=10`);
    expect(few.body.downsampled).toBe(true);
    expect(few.body.samples.length).toBeLessThanOrEqual(11);
    expect(few.body.samples[0].objectsProcessed).toBe(10);
    expect(few.body.samples.at(-1).objectsProcessed).toBe(400);
    const page = await get(`/activities/${a.id}/progress/samples?limit=15`);
    expect(page.body).toMatchObject({ hasMore: true });
    expect(page.body.samples).toHaveLength(15);
    const next = await get(
      `/activities/${a.id}/progress/samples?limit=50&after=${encodeURIComponent(page.body.samples.at(-1).at)}`,
    );
    expect(next.body.samples[0].objectsProcessed).toBe(160);
  });

  it("the live snapshot carries detail, progress and new samples; 304 while unchanged", async () => {
    const a = await reported(100);
    await post(`/activities/${a.id}/progress`, { objectsProcessed: 10 });
    const s1 = await get(`/activities/${a.id}/snapshot`);
    expect(s1.status).toBe(200);
    expect(s1.body.activity.id).toBe(a.id);
    expect(s1.body.progress.objectsProcessed).toBe(10);
    expect(s1.body.newSamples).toEqual([]);
    const etag = s1.headers.get("etag")!;
    expect((await get(`/activities/${a.id}/snapshot`, undefined, { "If-None-Match": etag })).status).toBe(304);
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await post(`/activities/${a.id}/progress`, { objectsProcessed: 20 });
    const s2 = await get(`/activities/${a.id}/snapshot?samplesAfter=${encodeURIComponent(since)}`);
    expect(s2.body.newSamples.map((x: { objectsProcessed: number }) => x.objectsProcessed)).toEqual([20]);
    expect(s2.body.activity.progress.objectsProcessed).toBe(20);
  });

  it("a long poll answers 304 after the wait when nothing changes, at once when the activity changes", async () => {
    const a = await reported(100);
    const first = await get(`/activities/${a.id}/snapshot`);
    const etag = first.headers.get("etag")!;
    let t = Date.now();
    const idle = await get(`/activities/${a.id}/snapshot?wait=2`, undefined, { "If-None-Match": etag });
    expect(idle.status).toBe(304);
    expect(Date.now() - t).toBeGreaterThanOrEqual(1800);
    t = Date.now();
    const waiting = get(`/activities/${a.id}/snapshot?wait=20`, undefined, { "If-None-Match": etag });
    await new Promise((r) => setTimeout(r, 400));
    const wrote = Date.now();
    await post(`/activities/${a.id}/progress`, { objectsProcessed: 55 });
    const woke = await waiting;
    expect(woke.status).toBe(200);
    expect(woke.body.progress.objectsProcessed).toBe(55);
    expect(Date.now() - wrote).toBeLessThan(3000);
    expect(Date.now() - t).toBeLessThan(10_000);
    // A long poll on the list wakes on any change too.
    const list = await get("/activities?pageSize=5");
    const listWait = get("/activities?pageSize=5&wait=20", undefined, { "If-None-Match": list.headers.get("etag")! });
    await new Promise((r) => setTimeout(r, 300));
    await post("/activities", { name: unique("wake"), targetType: "DataGeneration" });
    expect((await listWait).status).toBe(200);
    expectError(await get(`/activities/${a.id}/snapshot?wait=26`), 400, "BAD_REQUEST");
  }, 60_000);
});

describe("honest retention", () => {
  it("items of runs beyond the last N of their profile are purged but the failed ones, per-type counts kept", async () => {
    const cs = await system("Payroll (legacy)");
    const rp = profile(cs, "FullSynchronisation");
    const runs: string[] = [];
    for (let n = 0; n < 4; n++) {
      const r = await post("/activities", {
        name: unique("ret"),
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: cs.id,
        runProfileId: rp.id,
      });
      await post(`/activities/${r.body.id}/items`, {
        items: [
          {
            sequence: 0,
            externalIdValue: `ret-${n}-a`,
            objectChangeType: "Update",
            connectedSystemObjectType: "person",
          },
          {
            sequence: 1,
            externalIdValue: `ret-${n}-b`,
            objectChangeType: "Update",
            errorType: "AmbiguousMatch",
            errorMessage: "two matches",
          },
        ],
      });
      await post(`/activities/${r.body.id}/complete`, { counters: { totalObjectErrors: 1, totalObjectsProcessed: 2 } });
      runs.push(r.body.id);
    }
    const purge = await post("/retention/run");
    expect(purge.status, purge.text).toBe(200);
    expect(purge.body.runsPurgedOfItems).toBeGreaterThanOrEqual(1);
    const oldest = (await get(`/activities/${runs[0]}`)).body;
    expect(oldest).toMatchObject({
      itemsRetained: false,
      itemsPurgedAt: expect.any(String),
      itemsKept: "Failed",
      itemCount: 2,
      failedItemCount: 1,
      errorTypeCounts: { AmbiguousMatch: 1 },
    });
    const kept = await get(`/activities/${runs[0]}/items`);
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body.items.map((i: { externalIdValue: string }) => i.externalIdValue)).toEqual(["ret-0-b"]);
    const gone = await get(`/activities/${runs[0]}/items?errorType=none`);
    expectError(gone, 410, "GONE");
    expect(gone.body.message).toMatch(
      /without an error were purged on .* kept for the last \d+ runs of each run profile/,
    );
    expectError(await get(`/activities/${runs[0]}/items.csv?errorType=none`), 410, "GONE");
    const stats = (await get(`/activities/${runs[0]}/stats`)).body;
    expect(stats).toMatchObject({
      totalObjectErrors: 1,
      errorTypeCounts: { AmbiguousMatch: 1 },
      objectTypeCounts: { person: 1 },
    });
    const newest = (await get(`/activities/${runs[3]}`)).body;
    expect(newest).toMatchObject({ itemsRetained: true, itemsPurgedAt: null });
    expect((await get(`/activities/${runs[3]}/items`)).status).toBe(200);
  });

  it("items of a finished run are cacheable: ETag, private max-age, 304", async () => {
    const cs = await system("Payroll (legacy)");
    const r = await post("/activities", {
      name: unique("cache"),
      targetType: "ConnectedSystemRunProfile",
      connectedSystemId: cs.id,
      runProfileId: profile(cs, "FullImport").id,
    });
    await post(`/activities/${r.body.id}/items`, { items: [{ sequence: 0, objectChangeType: "Add" }] });
    const running = await get(`/activities/${r.body.id}/items`);
    expect(running.headers.get("cache-control")).toBe("private, no-cache");
    await post(`/activities/${r.body.id}/complete`, {});
    const ended = await get(`/activities/${r.body.id}/items`);
    expect(ended.headers.get("cache-control")).toBe("private, max-age=300");
    expect(
      (await get(`/activities/${r.body.id}/items`, undefined, { "If-None-Match": ended.headers.get("etag")! })).status,
    ).toBe(304);
    const itemId = ended.body.items[0].id;
    const item = await get(`/activities/${r.body.id}/items/${itemId}`);
    expect(item.headers.get("cache-control")).toBe("private, max-age=300");
    expect(
      (await get(`/activities/${r.body.id}/items/${itemId}`, undefined, { "If-None-Match": item.headers.get("etag")! }))
        .status,
    ).toBe(304);
  });
});
