/**
 * The recorder (lib/services/recorder.ts over lib/repo/activity-writes.ts) against a real
 * embedded store: a PGlite folder in a temporary directory, in this process. Also what lives
 * next to it: failures across runs, retention, the sweep of abandoned runs, the administrator key.
 */
import { tempRoot, removeStore } from "./support/embedded-store";

import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import type { NewExecutionItem } from "@/lib/domain/activity";
import type { InitiatedBy } from "@/lib/domain/activity";
import { asSyncwatchError, type SyncwatchError } from "@/lib/domain/errors";
import type { StoredConfiguration } from "@/lib/domain/configuration";
import { ensureConfiguration } from "@/lib/repo/config";
import { findRecentRunTimes } from "@/lib/repo/activities";
import { runHistoryOf } from "@/lib/domain/progress";
import { registerInstance } from "@/lib/repo/instances";
import { getActivity } from "@/lib/services/activities";
import { ensureAdministratorKey, revokeApiKey, createApiKey } from "@/lib/services/api-keys";
import { sweepAbandoned } from "@/lib/services/leases";
import { activityRecorder as recorder } from "@/lib/services/recorder";
import { listFailureGroups, listFailureObjects } from "@/lib/services/failures";
import { NO_TEMPLATE } from "@/lib/domain/messages";
import { purgeExpired } from "@/lib/services/retention";

const SYSTEM: InitiatedBy = { type: "System", id: null, name: "test" };
let config: StoredConfiguration;
let hr: { id: number; full: number; delta: number };
let ad: { id: number; full: number; export: number };
let scheduleId: number;

beforeAll(async () => {
  config = await ensureConfiguration(
    [
      {
        name: "HR",
        kind: "HrSource",
        description: "HR",
        externalIdAttribute: "employeeId",
        objectTypes: ["person"],
        runProfiles: [
          { name: "Full Import", runType: "FullImport" },
          { name: "Delta Import", runType: "DeltaImport" },
        ],
      },
      {
        name: "AD",
        kind: "Directory",
        description: "AD",
        externalIdAttribute: "objectGUID",
        objectTypes: ["user"],
        runProfiles: [
          { name: "Full Import", runType: "FullImport" },
          { name: "Export", runType: "Export" },
        ],
      },
    ],
    [
      {
        name: "Nightly",
        description: "Nightly",
        intervalMinutes: 1440,
        steps: [
          { system: "HR", runProfile: "Full Import" },
          { system: "AD", runProfile: "Export", parallelGroup: 1 },
          { system: "AD", runProfile: "Full Import", parallelGroup: 1 },
        ],
      },
    ],
  );
  const rp = (s: number, name: string) => config.systems[s].runProfiles.find((r) => r.name === name)!.id;
  hr = { id: config.systems[0].id, full: rp(0, "Full Import"), delta: rp(0, "Delta Import") };
  ad = { id: config.systems[1].id, full: rp(1, "Full Import"), export: rp(1, "Export") };
  scheduleId = config.schedules[0].id;
}, 120_000);

afterAll(async () => {
  await removeStore();
});

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Moments in the recent past, one second apart, so runs of one profile have a clear order. */
let clock = Date.now() - 6 * 3_600_000;
const tick = (ms = 1000) => new Date((clock += ms));

async function caught(p: Promise<unknown>): Promise<SyncwatchError> {
  const e = await p.then(
    () => null,
    (x) => x,
  );
  const known = asSyncwatchError(e);
  if (!known) throw new Error(`expected a SyncwatchError, got ${e === null ? "success" : String(e)}`);
  return known;
}

function item(sequence: number, o: Partial<NewExecutionItem> = {}): NewExecutionItem {
  return {
    sequence,
    externalIdValue: `E${sequence}`,
    displayName: `Person ${sequence}`,
    connectedSystemObjectType: "person",
    objectChangeType: "Add",
    errorType: null,
    errorMessage: null,
    errorDetail: null,
    outcomes: [{ type: "Added", count: 1 }],
    attributeChanges: [],
    connectedSystemObjectId: null,
    metaverseObjectId: null,
    ...o,
  };
}
const failed = (sequence: number, externalIdValue: string) =>
  item(sequence, {
    externalIdValue,
    objectChangeType: "Update",
    errorType: "DuplicateObject",
    errorMessage: `Duplicate ${externalIdValue}`,
    outcomes: [],
  });
const ok = (sequence: number, externalIdValue: string) => item(sequence, { externalIdValue });

async function run(runProfileId: number, opts: Parameters<typeof recorder.create>[2] = {}) {
  const cs = runProfileId === hr.full || runProfileId === hr.delta ? hr.id : ad.id;
  const { id } = await recorder.create(
    { name: "test run", targetType: "ConnectedSystemRunProfile", connectedSystemId: cs, runProfileId },
    SYSTEM,
    { at: tick(), ...opts },
  );
  return id;
}

async function row(id: string) {
  const prisma = await getPrisma();
  return (await prisma.activity.findUnique({ where: { id } }))!;
}
async function sampleCount(id: string) {
  return (await getPrisma()).progressSample.count({ where: { activityId: id } });
}

// ---------------------------------------------------------------------------------------------
// create
// ---------------------------------------------------------------------------------------------

describe("create", () => {
  it("stores what the activity refers to by name, and starts it at once", async () => {
    const at = tick();
    const { id, deduplicated } = await recorder.create(
      {
        name: "HR: Full Import",
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: hr.id,
        runProfileId: hr.full,
        objectsToProcess: 10,
      },
      { type: "User", id: "u-1", name: "Ann" },
      { at },
    );
    expect(deduplicated).toBe(false);
    const a = await row(id);
    expect(a).toMatchObject({
      status: "InProgress",
      connectedSystemName: "HR",
      runProfileName: "Full Import",
      runType: "FullImport",
      targetName: "HR / Full Import",
      initiatorType: "User",
      initiatorName: "Ann",
      objectsToProcess: 10,
      queueKey: null,
      ownerInstanceId: null,
    });
    expect(a.createdAt).toEqual(at);
    expect(a.startedAt).toEqual(at);
    await recorder.complete(id, { objectsProcessed: 10 }, tick());
    // the next run of the profile knows its predecessor
    const next = await run(hr.full);
    expect((await row(next)).previousRunId).toBe(id);
    await recorder.cancel(next, undefined, tick());
  });

  it("refuses references that do not exist with one 400 listing every one", async () => {
    const e = await caught(
      recorder.create(
        {
          name: "x",
          targetType: "ConnectedSystemRunProfile",
          connectedSystemId: 9999,
          runProfileId: 9998,
          scheduleId: 9997,
        },
        SYSTEM,
      ),
    );
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.details).toEqual([
      { path: "connectedSystemId", message: "Connected system 9999 does not exist." },
      { path: "runProfileId", message: "Run profile 9998 does not exist." },
      { path: "scheduleId", message: "Schedule 9997 does not exist." },
    ]);
    const wrongSystem = await caught(
      recorder.create(
        { name: "x", targetType: "ConnectedSystemRunProfile", connectedSystemId: hr.id, runProfileId: ad.export },
        SYSTEM,
      ),
    );
    expect(wrongSystem.details).toEqual([
      { path: "runProfileId", message: `Run profile ${ad.export} does not belong to connected system ${hr.id}.` },
    ]);
    const noParent = await caught(
      recorder.create(
        { name: "x", targetType: "DataGeneration", parentActivityId: "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00" },
        SYSTEM,
      ),
    );
    expect(noParent.code).toBe("BAD_REQUEST");
    expect((noParent.details as { path: string }[])[0].path).toBe("parentActivityId");
  });

  it("a schedule execution plans its steps; a step knows its execution", async () => {
    const { id: parent } = await recorder.create({ name: "Nightly", targetType: "Schedule", scheduleId }, SYSTEM, {
      at: tick(),
    });
    const p = await row(parent);
    expect(p.scheduleName).toBe("Nightly");
    expect(p.targetName).toBe("Nightly");
    expect(
      (p.plannedSteps as { stepIndex: number; name: string; parallelGroup: number | null }[]).map((s) => [
        s.stepIndex,
        s.name,
        s.parallelGroup,
      ]),
    ).toEqual([
      [1, "HR: Full Import", null],
      [2, "AD: Export", 1],
      [3, "AD: Full Import", 1],
    ]);
    const child = await run(hr.full, { at: tick() });
    // a run created without a parent is not a step
    expect((await row(child)).scheduleExecutionId).toBeNull();
    await recorder.cancel(child, undefined, tick());
    const { id: step } = await recorder.create(
      {
        name: "HR: Full Import",
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: hr.id,
        runProfileId: hr.full,
        parentActivityId: parent,
        stepIndex: 1,
      },
      SYSTEM,
      { at: tick() },
    );
    expect(await row(step)).toMatchObject({
      scheduleExecutionId: parent,
      scheduleId,
      scheduleName: "Nightly",
      stepIndex: 1,
      parentActivityId: parent,
    });
    expect((await row(parent)).childCount).toBe(1);
    await recorder.cancel(parent, undefined, tick());
  });

  it("refuses a step under a parent that has ended (409)", async () => {
    const { id: parent } = await recorder.create({ name: "Nightly", targetType: "Schedule", scheduleId }, SYSTEM, {
      at: tick(),
    });
    await recorder.cancel(parent, "stop", tick());
    const e = await caught(
      recorder.create(
        {
          name: "late step",
          targetType: "ConnectedSystemRunProfile",
          connectedSystemId: hr.id,
          runProfileId: hr.full,
          parentActivityId: parent,
        },
        SYSTEM,
        { at: tick() },
      ),
    );
    expect(e.code).toBe("CONFLICT");
    expect(e.message).toBe(`Activity ${parent} has already ended with status Cancelled.`);
    expect((await row(parent)).childCount).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// queue and start
// ---------------------------------------------------------------------------------------------

describe("queue and start", () => {
  it("a queued run has no start until one instance claims it; a claim succeeds once", async () => {
    const id = await run(ad.full, { queue: { key: `cs:${ad.id}` } });
    const queued = await row(id);
    expect(queued).toMatchObject({ status: "InProgress", startedAt: null, queueKey: `cs:${ad.id}` });
    expect((await getActivity(id)).started).toBeNull();
    const at = tick();
    const claims = await Promise.all([
      recorder.start(id, { instanceId: "i-1", at }),
      recorder.start(id, { instanceId: "i-2", at }),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const started = await row(id);
    expect(started.startedAt).toEqual(at);
    expect(["i-1", "i-2"]).toContain(started.ownerInstanceId);
    expect(await recorder.start(id, { instanceId: "i-3" })).toBe(false);
    await recorder.complete(id, {}, tick(5000));
    expect((await row(id)).executionTimeMs).toBe(5000);
  });

  it("a run that started at once, or was cancelled while queued, cannot be claimed", async () => {
    const direct = await run(ad.full);
    expect(await recorder.start(direct, { instanceId: "i-1" })).toBe(false);
    await recorder.cancel(direct, undefined, tick());
    const queued = await run(ad.full, { queue: { key: `cs:${ad.id}` } });
    await recorder.cancel(queued, undefined, tick());
    expect(await recorder.start(queued, { instanceId: "i-1" })).toBe(false);
    const q = await row(queued);
    expect(q).toMatchObject({ status: "Cancelled", startedAt: null, executionTimeMs: 0 });
  });

  it("with dedupe, a second trigger of a queued run profile returns the queued run", async () => {
    const queue = { key: `cs:${ad.id}`, dedupe: true };
    const first = await recorder.create(
      {
        name: "AD: Export",
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: ad.id,
        runProfileId: ad.export,
      },
      SYSTEM,
      { at: tick(), queue },
    );
    const second = await recorder.create(
      {
        name: "AD: Export",
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: ad.id,
        runProfileId: ad.export,
      },
      SYSTEM,
      { at: tick(), queue },
    );
    expect(first.deduplicated).toBe(false);
    expect(second).toEqual({ id: first.id, deduplicated: true });
    // once it started, a trigger queues a new run
    expect(await recorder.start(first.id, { instanceId: "i-1", at: tick() })).toBe(true);
    const third = await recorder.create(
      {
        name: "AD: Export",
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: ad.id,
        runProfileId: ad.export,
      },
      SYSTEM,
      { at: tick(), queue },
    );
    expect(third.deduplicated).toBe(false);
    expect(third.id).not.toBe(first.id);
    await recorder.cancel(first.id, undefined, tick());
    await recorder.cancel(third.id, undefined, tick());
  });
});

// ---------------------------------------------------------------------------------------------
// progress
// ---------------------------------------------------------------------------------------------

describe("reportProgress", () => {
  it("takes absolute values, last writer wins: concurrent reports are all accepted, each whole", async () => {
    const id = await run(hr.full);
    await recorder.reportProgress(id, { objectsToProcess: 100 }, tick());
    const at = tick();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        recorder.reportProgress(id, { objectsProcessed: 10 * i, counters: { totalCsoAdds: i } }, at),
      ),
    );
    const a = await row(id);
    expect(a.totalCsoAdds * 10).toBe(a.objectsProcessed); // both from the same report
    expect(await sampleCount(id)).toBe(11);
    // a repeated report changes nothing but the sample count
    await recorder.reportProgress(id, { objectsProcessed: 50, counters: { totalCsoAdds: 5 } }, tick());
    await recorder.reportProgress(id, { objectsProcessed: 50, counters: { totalCsoAdds: 5 } }, tick());
    expect(await row(id)).toMatchObject({ objectsProcessed: 50, totalCsoAdds: 5, objectsToProcess: 100 });
    await recorder.complete(id, {}, tick());
  });

  it("a refused report stores nothing, not even a progress sample", async () => {
    const id = await run(hr.full);
    await recorder.reportProgress(id, { objectsToProcess: 10, objectsProcessed: 8 }, tick());
    const before = await row(id);
    expect(await sampleCount(id)).toBe(1);

    const over = await caught(
      recorder.reportProgress(id, { objectsProcessed: 11, counters: { totalJoins: 3 } }, tick()),
    );
    expect(over.code).toBe("CONFLICT");
    expect(over.message).toContain("objectsProcessed (11)");
    expect(over.message).toContain("objectsToProcess (10)");
    expect(over.details).toEqual({ objectsProcessed: 11, objectsToProcess: 10 });
    // lowering the total below what was processed is refused the same way
    expect((await caught(recorder.reportProgress(id, { objectsToProcess: 5 }, tick()))).code).toBe("CONFLICT");
    expect((await caught(recorder.reportProgress(id, { objectsToProcess: 5, objectsProcessed: 6 }))).code).toBe(
      "CONFLICT",
    );
    const after = await row(id);
    expect(await sampleCount(id)).toBe(1);
    expect([after.objectsProcessed, after.totalJoins, after.version]).toEqual([8, 0, before.version]);

    await recorder.complete(id, {}, tick());
    const ended = await caught(recorder.reportProgress(id, { objectsProcessed: 9 }, tick()));
    expect(ended.code).toBe("CONFLICT");
    expect(ended.message).toBe(`Activity ${id} has already ended with status Complete.`);
    expect(await sampleCount(id)).toBe(2); // the report before, and the completion's own sample
    const missing = await caught(recorder.reportProgress("0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00", {}));
    expect(missing.code).toBe("NOT_FOUND");
  });

  it("earlier runs' connecting, processing and finishing times come from their samples (for estimates)", async () => {
    const id = await run(hr.delta);
    const t0 = clock;
    const at = (ms: number) => new Date(t0 + ms);
    await recorder.reportProgress(id, { objectsToProcess: 100, objectsProcessed: 0, phase: "Connecting" }, at(1000));
    await recorder.reportProgress(id, { phase: "Importing" }, at(4000));
    await recorder.reportProgress(id, { objectsProcessed: 50 }, at(9000));
    await recorder.reportProgress(id, { objectsProcessed: 100 }, at(14_000));
    await recorder.complete(id, { objectsProcessed: 100 }, at(16_000));
    clock = t0 + 16_000;
    const [past] = (await findRecentRunTimes([hr.delta], 1)).get(hr.delta)!;
    expect(past).toEqual({ objectsProcessed: 100, executionTimeMs: 16_000, leadMs: 4000, processMs: 10_000 });
    expect(runHistoryOf([past])).toMatchObject({ objectsPerSecond: 10, leadMs: 4000, tailMs: 2000 });
  });

  it("records phases: the previous one ends when the next starts, the last when the run ends", async () => {
    const id = await run(hr.full);
    const t1 = tick();
    await recorder.reportProgress(id, { phase: "Connecting" }, t1);
    await recorder.reportProgress(id, { phase: "Connecting", message: "still" }, tick());
    const t2 = tick();
    await recorder.reportProgress(id, { phase: "Importing", warnings: ["w1"] }, t2);
    await recorder.reportProgress(id, { warnings: ["w1", "w2"] }, tick());
    const t3 = tick();
    await recorder.complete(id, {}, t3);
    const a = await getActivity(id);
    expect(a.phases).toEqual([
      { name: "Connecting", status: "Complete", started: t1.toISOString(), ended: t2.toISOString() },
      { name: "Importing", status: "Complete", started: t2.toISOString(), ended: t3.toISOString() },
    ]);
    expect(a.warnings).toEqual(["w1", "w2"]);
    expect(a.status).toBe("CompleteWithWarning");
  });
});

// ---------------------------------------------------------------------------------------------
// items
// ---------------------------------------------------------------------------------------------

describe("appendItems", () => {
  it("is idempotent per sequence: a retried batch inserts nothing twice; itemCount follows", async () => {
    const id = await run(ad.full);
    const at = tick();
    expect(await recorder.appendItems(id, [item(0), item(1), item(2)], at)).toEqual({ inserted: 3, duplicates: 0 });
    expect(await recorder.appendItems(id, [item(0), item(1), item(2)], tick())).toEqual({ inserted: 0, duplicates: 3 });
    expect(await recorder.appendItems(id, [item(2), item(3)], tick())).toEqual({ inserted: 1, duplicates: 1 });
    expect((await row(id)).itemCount).toBe(4);
    const prisma = await getPrisma();
    const items = await prisma.executionItem.findMany({ where: { activityId: id }, orderBy: { sequence: "asc" } });
    expect(items.map((i) => i.sequence)).toEqual([0, 1, 2, 3]);
    expect(items[0].processedAt).toEqual(at);
    expect(items[0].outcomeSummary).toBe("Added:1");
    expect(items[0].connectedSystemId).toBe(ad.id);
    await recorder.complete(id, {}, tick());
  });

  it("refuses a sequence stored with other content, naming the sequences; nothing of the batch is stored", async () => {
    const id = await run(ad.full);
    await recorder.appendItems(id, [item(0), item(1), item(2)], tick());
    const before = await row(id);
    const e = await caught(
      recorder.appendItems(
        id,
        [item(1, { displayName: "Someone else" }), item(2, { errorType: "UnhandledError" }), item(9)],
        tick(),
      ),
    );
    expect(e.code).toBe("CONFLICT");
    expect(e.message).toContain("sequence 1, 2");
    expect(e.details).toEqual({ sequences: [1, 2] });
    const prisma = await getPrisma();
    expect(await prisma.executionItem.count({ where: { activityId: id } })).toBe(3);
    expect(await prisma.executionItem.findFirst({ where: { activityId: id, sequence: 9 } })).toBeNull();
    const after = await row(id);
    expect([after.itemCount, after.version]).toEqual([3, before.version]);
    await recorder.complete(id, {}, tick());
  });

  it("refuses an item id stored already, in this run or another, or twice in the batch (409 naming it)", async () => {
    const first = await run(ad.full);
    const id = "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a01";
    expect(await recorder.appendItems(first, [item(0, { id })], tick())).toEqual({ inserted: 1, duplicates: 0 });
    // The same item again (a retried batch) is a duplicate, not a conflict.
    expect(await recorder.appendItems(first, [item(0, { id })], tick())).toEqual({ inserted: 0, duplicates: 1 });
    const second = await run(ad.full);
    const elsewhere = await caught(recorder.appendItems(second, [item(0), item(1, { id })], tick()));
    expect([elsewhere.code, elsewhere.details]).toEqual(["CONFLICT", { ids: [id] }]);
    expect(elsewhere.message).toContain(id);
    const sameRun = await caught(recorder.appendItems(first, [item(5, { id })], tick()));
    expect([sameRun.code, sameRun.details]).toEqual(["CONFLICT", { ids: [id] }]);
    const twice = "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a02";
    const inBatch = await caught(
      recorder.appendItems(second, [item(2, { id: twice }), item(3, { id: twice })], tick()),
    );
    expect([inBatch.code, inBatch.details]).toEqual(["CONFLICT", { ids: [twice] }]);
    // Another id for a stored sequence is other content.
    const moved = await caught(
      recorder.appendItems(first, [item(0, { id: "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a03" })], tick()),
    );
    expect([moved.code, moved.details]).toEqual(["CONFLICT", { sequences: [0] }]);
    const prisma = await getPrisma();
    expect(await prisma.executionItem.count({ where: { activityId: second } })).toBe(0);
    expect((await row(second)).itemCount).toBe(0);
    expect(await prisma.executionItem.count({ where: { activityId: first } })).toBe(1);
    await recorder.complete(first, {}, tick());
    await recorder.complete(second, {}, tick());
  });

  it("refuses items for activities that are not runs (400), have ended (409) or do not exist (404)", async () => {
    const { id: other } = await recorder.create({ name: "cert", targetType: "Certificate" }, SYSTEM, { at: tick() });
    expect((await caught(recorder.appendItems(other, [item(0)], tick()))).code).toBe("BAD_REQUEST");
    await recorder.complete(other, {}, tick());
    const ended = await run(ad.full);
    await recorder.complete(ended, {}, tick());
    expect((await caught(recorder.appendItems(ended, [item(0)], tick()))).code).toBe("CONFLICT");
    const missing = await caught(recorder.appendItems("0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00", [item(0)]));
    expect(missing.code).toBe("NOT_FOUND");
  });
});

// ---------------------------------------------------------------------------------------------
// failures across runs
// ---------------------------------------------------------------------------------------------

describe("failures across runs", () => {
  const failure = async (key: string) =>
    (await getPrisma()).objectFailure.findUnique({
      where: { connectedSystemId_objectKey: { connectedSystemId: hr.id, objectKey: key } },
    });
  const recurrenceOf = async (activityId: string, sequence: number) =>
    (await (await getPrisma()).executionItem.findFirst({ where: { activityId, sequence } }))!.recurrence;

  it("tracks a failed object, marks it Recurring when the next run fails it again, and Recovered when a full run does not", async () => {
    const run1 = await run(hr.full);
    await recorder.appendItems(run1, [failed(0, "F1"), failed(1, "F2"), ok(2, "F3")], tick());
    expect(await recurrenceOf(run1, 0)).toBe("New");
    expect(await recurrenceOf(run1, 2)).toBeNull();
    expect(await failure("ext:F1")).toMatchObject({
      state: "Open",
      consecutiveRuns: 1,
      totalFailures: 1,
      lastActivityId: run1,
      lastRunProfileId: hr.full,
      lastErrorType: "DuplicateObject",
      lastErrorMessage: "Duplicate F1",
      objectType: "person",
    });
    expect(await failure("ext:F3")).toBeNull();
    await recorder.complete(run1, { counters: { totalObjectErrors: 2 } }, tick());

    const run2 = await run(hr.full);
    await recorder.appendItems(run2, [failed(0, "F1"), ok(1, "F3")], tick());
    expect(await recurrenceOf(run2, 0)).toBe("Recurring");
    expect(await failure("ext:F1")).toMatchObject({ state: "Open", consecutiveRuns: 2, totalFailures: 2 });
    // F2 was not failed again, but the run has not ended yet
    expect((await failure("ext:F2"))!.state).toBe("Open");
    const endedAt = tick();
    expect(await recorder.complete(run2, { counters: { totalObjectErrors: 1 } }, endedAt)).toBe("CompleteWithError");

    const run3 = await run(hr.full);
    await recorder.appendItems(run3, [failed(0, "F1")], tick());
    expect(await recurrenceOf(run3, 0)).toBe("Recurring");
    expect(await failure("ext:F1")).toMatchObject({ state: "Open", consecutiveRuns: 3, totalFailures: 3 });
    // a second batch of the same run failing it again counts once
    await recorder.appendItems(run3, [failed(1, "F1")], tick());
    expect(await failure("ext:F1")).toMatchObject({ consecutiveRuns: 3, totalFailures: 3 });
    await recorder.complete(run3, { counters: { totalObjectErrors: 2 } }, tick());

    const f2 = (await failure("ext:F2"))!;
    expect(f2).toMatchObject({ state: "Recovered", recoveredActivityId: run2, consecutiveRuns: 0 });
    expect(f2.recoveredAt).toEqual(endedAt);
    expect((await failure("ext:F1"))!.state).toBe("Open");
    const events = await (
      await getPrisma()
    ).objectFailureEvent.findMany({
      where: { failureId: f2.id },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => [e.kind, e.activityId])).toEqual([
      ["Failed", run1],
      ["Recovered", run2],
    ]);
  });

  it("New means the object's failing streak began in that run, whatever ran in between; Recurring that it was already failing", async () => {
    const full = await run(hr.full);
    await recorder.appendItems(full, [failed(0, "S1")], tick());
    // a second batch of the same run failing it again is as new as the first
    await recorder.appendItems(full, [failed(1, "S1")], tick());
    expect([await recurrenceOf(full, 0), await recurrenceOf(full, 1)]).toEqual(["New", "New"]);
    await recorder.complete(full, {}, tick());
    // delta runs that do not process it leave it failing
    for (let i = 0; i < 3; i++) {
      const d = await run(hr.delta);
      await recorder.appendItems(d, [ok(0, `other-${i}`)], tick());
      await recorder.complete(d, {}, tick());
    }
    const again = await run(hr.delta);
    await recorder.appendItems(again, [failed(0, "S1")], tick());
    expect(await recurrenceOf(again, 0)).toBe("Recurring");
    const f = (await failure("ext:S1"))!;
    expect(f.streakActivityId).toBe(full);
    await recorder.complete(again, {}, tick());
    // recovered (a run of the profile that failed it last processes it without error), then failing
    // again: a new streak, New again
    const recovers = await run(hr.delta);
    await recorder.appendItems(recovers, [ok(0, "S1")], tick());
    await recorder.complete(recovers, {}, tick());
    const relapse = await run(hr.delta);
    await recorder.appendItems(relapse, [failed(0, "S1")], tick());
    expect(await recurrenceOf(relapse, 0)).toBe("New");
    expect((await failure("ext:S1"))!.streakActivityId).toBe(relapse);
    await recorder.complete(relapse, {}, tick());
  });

  it("failed items are object errors as they arrive: totalObjectErrors never says fewer, whatever is reported", async () => {
    const id = await run(hr.delta);
    await recorder.appendItems(id, [failed(0, "C1"), failed(1, "C2"), ok(2, "C3")], tick());
    expect(await row(id)).toMatchObject({ failedItemCount: 2, totalObjectErrors: 2 });
    await recorder.reportProgress(id, { counters: { totalObjectErrors: 0, totalCsoUpdates: 1 } }, tick());
    expect((await row(id)).totalObjectErrors).toBe(2);
    await recorder.reportProgress(id, { counters: { totalObjectErrors: 5 } }, tick());
    expect((await row(id)).totalObjectErrors).toBe(5);
    expect(await recorder.complete(id, { counters: { totalObjectErrors: 1 } }, tick())).toBe("CompleteWithError");
    expect(await row(id)).toMatchObject({ totalObjectErrors: 2, errorTypeCounts: { DuplicateObject: 2 } });
  });

  it("a delta run recovers only the objects it processed successfully", async () => {
    const d1 = await run(hr.delta);
    await recorder.appendItems(d1, [failed(0, "D1"), failed(1, "D2")], tick());
    await recorder.complete(d1, { counters: { totalObjectErrors: 2 } }, tick());
    const d2 = await run(hr.delta);
    await recorder.appendItems(d2, [ok(0, "D1")], tick());
    await recorder.complete(d2, {}, tick());
    expect((await failure("ext:D1"))!.state).toBe("Recovered");
    expect((await failure("ext:D2"))!.state).toBe("Open");
  });

  it("a delta run recovers an object known only by its connector-space id or its name, like any other", async () => {
    // objectKeyOf: external id, else connector-space id, else display name
    const bare = (sequence: number, o: Partial<NewExecutionItem>) =>
      item(sequence, { externalIdValue: null, connectedSystemObjectId: null, ...o });
    const d1 = await run(hr.delta);
    await recorder.appendItems(
      d1,
      [
        bare(0, { connectedSystemObjectId: "cso-77", errorType: "UnresolvedReference", errorMessage: "manager" }),
        bare(1, { displayName: "Nameless Person", errorType: "UnhandledError", errorMessage: "boom" }),
      ],
      tick(),
    );
    await recorder.complete(d1, { counters: { totalObjectErrors: 2 } }, tick());
    expect((await failure("cso:cso-77"))!.state).toBe("Open");
    expect((await failure("name:Nameless Person"))!.state).toBe("Open");
    const d2 = await run(hr.delta);
    await recorder.appendItems(
      d2,
      [bare(0, { connectedSystemObjectId: "cso-77" }), bare(1, { displayName: "Nameless Person" })],
      tick(),
    );
    await recorder.complete(d2, {}, tick());
    expect((await failure("cso:cso-77"))!.state).toBe("Recovered");
    expect((await failure("name:Nameless Person"))!.state, "a name-keyed object processed successfully recovers").toBe(
      "Recovered",
    );
  });

  it("failed and cancelled runs settle nothing; a recovered object that fails again starts a new streak", async () => {
    const r1 = await run(hr.full);
    await recorder.appendItems(r1, [failed(0, "G1")], tick());
    await recorder.complete(r1, { counters: { totalObjectErrors: 1 } }, tick());
    const broken = await run(hr.full);
    await recorder.complete(broken, { status: "FailedWithError", errorMessage: "LDAP down" }, tick());
    const cancelled = await run(hr.full);
    await recorder.cancel(cancelled, undefined, tick());
    expect((await failure("ext:G1"))!.state).toBe("Open");

    const clean = await run(hr.full);
    await recorder.complete(clean, {}, tick());
    expect((await failure("ext:G1"))!.state).toBe("Recovered");

    const again = await run(hr.full);
    const at = tick();
    await recorder.appendItems(again, [failed(0, "G1")], at);
    const g1 = (await failure("ext:G1"))!;
    expect(g1).toMatchObject({ state: "Open", consecutiveRuns: 1, totalFailures: 2, recoveredAt: null });
    expect(g1.firstSeenAt).toEqual(at);
    expect(await recurrenceOf(again, 0)).toBe("New");
    await recorder.complete(again, { counters: { totalObjectErrors: 1 } }, tick());
  });
});

describe("failure message templates", () => {
  const ACL = "HTTP 403 Forbidden: Operation against {table} is not allowed by ACL ({op}, {field})";
  const TIMEOUT = "Timeout after {number} seconds";
  const acl = (table: string, op: string) =>
    `HTTP 403 Forbidden: Operation against ${table} is not allowed by ACL (${op}, ${table}.manager)`;
  const denied = (sequence: number, id: string, errorMessage: string | null) =>
    item(sequence, {
      externalIdValue: id,
      connectedSystemObjectType: "user",
      objectChangeType: "Update",
      errorType: "ExportConfirmationFailed",
      errorMessage,
      outcomes: [],
    });
  const filter = () => ({
    connectedSystemId: [ad.id],
    errorType: ["ExportConfirmationFailed" as const],
    from: new Date(clock - 3_600_000).toISOString(),
    to: new Date(clock + 3_600_000).toISOString(),
  });
  const groups = async () => (await listFailureGroups({ ...filter(), page: 1, pageSize: 25 })).items;
  const objects = async (template: string) =>
    (
      await listFailureObjects({ ...filter(), template, sort: "displayName", order: "asc", page: 1, pageSize: 25 })
    ).items.map((o) => o.externalIdValue);

  it("groups a group's objects by the template of their latest failure, with failures and first/last seen; the filter lists them", async () => {
    const r1 = await run(ad.export);
    const at1 = tick();
    await recorder.appendItems(
      r1,
      [
        denied(0, "T1", acl("sys_user", "write")),
        denied(1, "T2", acl("sys_group", "create")),
        denied(2, "T3", "Timeout after 30 seconds"),
        denied(3, "T4", null),
      ],
      at1,
    );
    await recorder.complete(r1, { counters: { totalObjectErrors: 4 } }, tick());
    let [g] = await groups();
    expect(g.templateCount).toBe(3);
    expect(g.templates).toEqual([
      { template: ACL, objects: 2, failedInRange: 2, firstSeen: at1.toISOString(), lastSeen: at1.toISOString() },
      { template: TIMEOUT, objects: 1, failedInRange: 1, firstSeen: at1.toISOString(), lastSeen: at1.toISOString() },
      { template: null, objects: 1, failedInRange: 1, firstSeen: at1.toISOString(), lastSeen: at1.toISOString() },
    ]);
    expect(await objects(ACL)).toEqual(["T1", "T2"]);
    expect(await objects(NO_TEMPLATE)).toEqual(["T4"]);

    // T1 fails the same way again; T2 now times out: it leaves the ACL template
    const r2 = await run(ad.export);
    const at2 = tick();
    await recorder.appendItems(
      r2,
      [denied(0, "T1", acl("sys_user", "read")), denied(1, "T2", "Timeout after 5 seconds")],
      at2,
    );
    await recorder.complete(r2, { counters: { totalObjectErrors: 2 } }, tick());
    [g] = await groups();
    expect(g.templates.map((t) => [t.template, t.objects, t.failedInRange, t.firstSeen, t.lastSeen])).toEqual([
      [TIMEOUT, 2, 2, at1.toISOString(), at2.toISOString()],
      [ACL, 1, 2, at1.toISOString(), at2.toISOString()],
      [null, 1, 1, at1.toISOString(), at1.toISOString()],
    ]);
    expect(await objects(ACL)).toEqual(["T1"]);
    expect(await objects(TIMEOUT)).toEqual(["T2", "T3"]);
    expect(await objects("Nothing fails like this {id}")).toEqual([]);
    // the groups honour the template filter too
    const only = (await listFailureGroups({ ...filter(), template: ACL, page: 1, pageSize: 25 })).items;
    expect(only.map((o) => [o.objects, o.templates.map((t) => t.template)])).toEqual([[1, [ACL]]]);
  });
});

// ---------------------------------------------------------------------------------------------
// complete
// ---------------------------------------------------------------------------------------------

describe("complete", () => {
  it("derives the status from errors and warnings when none is given", async () => {
    const a = await run(ad.full);
    expect(await recorder.complete(a, {}, tick())).toBe("Complete");
    const b = await run(ad.full);
    expect(await recorder.complete(b, { warnings: ["schema changed"] }, tick())).toBe("CompleteWithWarning");
    const c = await run(ad.full);
    await recorder.reportProgress(c, { counters: { totalObjectErrors: 2 } }, tick());
    expect(await recorder.complete(c, { warnings: ["w"] }, tick())).toBe("CompleteWithError");
  });

  it("refuses Complete with errors (409) and leaves the run running; accepts a more severe status", async () => {
    const id = await run(ad.full);
    const e = await caught(recorder.complete(id, { status: "Complete", counters: { totalObjectErrors: 3 } }, tick()));
    expect(e.code).toBe("CONFLICT");
    expect(e.message).toContain("3 object errors");
    expect(e.details).toMatchObject({ derived: "CompleteWithError" });
    const still = await row(id);
    expect([still.status, still.totalObjectErrors, still.endedAt]).toEqual(["InProgress", 0, null]);
    expect(await recorder.complete(id, { status: "FailedWithError", errorMessage: "broken" }, tick())).toBe(
      "FailedWithError",
    );
    expect((await row(id)).errorMessage).toBe("broken");
    expect((await caught(recorder.complete(id, {}, tick()))).message).toBe(
      `Activity ${id} has already ended with status FailedWithError.`,
    );
    expect((await caught(recorder.complete("0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00", {}))).code).toBe("NOT_FOUND");
  });

  it("refuses more objects processed than to process", async () => {
    const id = await run(ad.full);
    await recorder.reportProgress(id, { objectsToProcess: 4 }, tick());
    expect((await caught(recorder.complete(id, { objectsProcessed: 5 }, tick()))).code).toBe("CONFLICT");
    expect(await recorder.complete(id, { objectsProcessed: 4 }, tick())).toBe("Complete");
  });

  it("records the counts per error type and object type, which outlive the items", async () => {
    const id = await run(hr.full);
    await recorder.appendItems(
      id,
      [
        failed(0, "T1"),
        failed(1, "T2"),
        item(2, { errorType: "UnresolvedReference", errorMessage: "manager", connectedSystemObjectType: "group" }),
        item(3),
      ],
      tick(),
    );
    await recorder.complete(id, { counters: { totalObjectErrors: 3 } }, tick());
    const a = await row(id);
    expect(a.errorTypeCounts).toEqual({ DuplicateObject: 2, UnresolvedReference: 1 });
    expect(a.objectTypeCounts).toEqual({ person: 3, group: 1 });
  });

  it("a schedule execution cannot complete while a step runs; then its status summarises the steps", async () => {
    const { id: parent } = await recorder.create({ name: "Nightly", targetType: "Schedule", scheduleId }, SYSTEM, {
      at: tick(),
    });
    const step = (runProfileId: number, stepIndex: number) =>
      recorder.create(
        {
          name: "step",
          targetType: "ConnectedSystemRunProfile",
          connectedSystemId: runProfileId === hr.full ? hr.id : ad.id,
          runProfileId,
          parentActivityId: parent,
          stepIndex,
        },
        SYSTEM,
        { at: tick() },
      );
    const s1 = (await step(hr.full, 1)).id;
    await recorder.complete(s1, {}, tick());
    const s2 = (await step(ad.export, 2)).id;
    const e = await caught(recorder.complete(parent, {}, tick()));
    expect(e.code).toBe("CONFLICT");
    expect(e.message).toContain("1 running step(s)");
    await recorder.complete(s2, { status: "FailedWithError", errorMessage: "export failed" }, tick());
    // a step failed: the execution cannot claim Complete
    expect((await caught(recorder.complete(parent, { status: "Complete" }, tick()))).details).toEqual({
      derived: "CompleteWithError",
    });
    expect(await recorder.complete(parent, {}, tick())).toBe("CompleteWithError");
  });
});

// ---------------------------------------------------------------------------------------------
// cancel
// ---------------------------------------------------------------------------------------------

describe("cancel", () => {
  it("cascades to the running and queued steps, with the reason on the cancelled activity", async () => {
    const { id: parent } = await recorder.create({ name: "Nightly", targetType: "Schedule", scheduleId }, SYSTEM, {
      at: tick(),
    });
    const child = (runProfileId: number, queue?: { key: string }) =>
      recorder.create(
        {
          name: "step",
          targetType: "ConnectedSystemRunProfile",
          connectedSystemId: runProfileId === hr.full ? hr.id : ad.id,
          runProfileId,
          parentActivityId: parent,
        },
        SYSTEM,
        { at: tick(), queue },
      );
    const done = (await child(hr.full)).id;
    await recorder.complete(done, {}, tick());
    const running = (await child(ad.export)).id;
    const queued = (await child(ad.full, { key: `cs:${ad.id}` })).id;
    expect(await recorder.shouldStop(running)).toBe(false);

    const at = tick();
    await recorder.cancel(parent, "Maintenance window", at);
    const [p, r, q, d] = await Promise.all([row(parent), row(running), row(queued), row(done)]);
    expect(p).toMatchObject({ status: "Cancelled", cancelRequested: true, message: "Cancelled: Maintenance window" });
    expect(p.endedAt).toEqual(at);
    expect(r).toMatchObject({ status: "Cancelled", cancelRequested: true });
    expect(q).toMatchObject({ status: "Cancelled", startedAt: null, executionTimeMs: 0 });
    expect(d.status).toBe("Complete");
    expect(await recorder.shouldStop(running)).toBe(true);
    expect(await recorder.shouldStop(queued)).toBe(true);

    const again = await caught(recorder.cancel(parent, undefined, tick()));
    expect(again.message).toBe(`Activity ${parent} has already ended with status Cancelled.`);
    expect((await caught(recorder.cancel("0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00", undefined))).code).toBe("NOT_FOUND");
  });

  it("shouldStop is true for an id that names nothing", async () => {
    expect(await recorder.shouldStop("0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00")).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// the sweep of abandoned runs
// ---------------------------------------------------------------------------------------------

describe("sweepAbandoned", () => {
  it("ends the runs of a dead instance: started ones FailedWithError (interrupted), queued ones Cancelled", async () => {
    const owner = { instanceId: "dead-instance", lane: `cs:${hr.id}` };
    const started = await run(hr.full, { owner });
    const queued = await run(hr.delta, { owner: { instanceId: "dead-instance" }, queue: { key: `cs:${hr.id}` } });
    const mine = await run(ad.full, { owner: { instanceId: "me" } });
    const now = new Date();
    expect(await sweepAbandoned("me", { soleInstance: true, now })).toBeGreaterThanOrEqual(2);
    const s = await row(started);
    expect(s.status).toBe("FailedWithError");
    expect(s.errorMessage).toMatch(/^Interrupted: /);
    expect(s.endedAt).toEqual(now);
    const q = await row(queued);
    expect(q.status).toBe("Cancelled");
    expect(q.message).toMatch(/^Cancelled: the server stopped before the run started/);
    expect(q.errorMessage).toBeNull();
    expect((await row(mine)).status).toBe("InProgress");
    await recorder.cancel(mine, undefined, tick());
  });

  it("a schedule of a dead instance ends with the status its steps give it", async () => {
    const owner = { instanceId: "dead-too" };
    const { id: parent } = await recorder.create({ name: "Nightly", targetType: "Schedule", scheduleId }, SYSTEM, {
      at: tick(),
      owner,
    });
    const step = async (runProfileId: number) =>
      (
        await recorder.create(
          {
            name: "step",
            targetType: "ConnectedSystemRunProfile",
            connectedSystemId: runProfileId === hr.full ? hr.id : ad.id,
            runProfileId,
            parentActivityId: parent,
          },
          SYSTEM,
          { at: tick(), owner },
        )
      ).id;
    const done = await step(hr.full);
    await recorder.complete(done, {}, tick());
    const interrupted = await step(ad.export);
    await sweepAbandoned("me", { soleInstance: true });
    expect((await row(interrupted)).status).toBe("FailedWithError");
    expect((await row(done)).status).toBe("Complete");
    // one step complete, one failed: CompleteWithError, as summariseChildStatuses says
    expect((await row(parent)).status).toBe("CompleteWithError");
  });

  it("ends reported runs silent longer than the heartbeat timeout, and only those", async () => {
    const now = new Date();
    const silentAt = new Date(now.getTime() - 16 * 60_000);
    const { id: silent } = await recorder.create({ name: "outside", targetType: "DataGeneration" }, SYSTEM, {
      at: silentAt,
    });
    const { id: talking } = await recorder.create({ name: "outside", targetType: "DataGeneration" }, SYSTEM, {
      at: silentAt,
    });
    await recorder.reportProgress(talking, { objectsProcessed: 1 }, new Date(now.getTime() - 60_000));
    await sweepAbandoned("me", { soleInstance: true, now });
    const s = await row(silent);
    expect(s.status).toBe("FailedWithError");
    expect(s.errorMessage).toBe(
      `No progress reported for 15 minutes (last report ${silentAt.toISOString()}): the reporter is presumed gone.`,
    );
    expect((await row(talking)).status).toBe("InProgress");
    await recorder.complete(talking, {}, new Date());
  });

  it("with several instances, the runs of a live instance are left alone", async () => {
    const now = new Date();
    await registerInstance({ id: "alive", host: "h", pid: 1, at: new Date(now.getTime() - 5_000) });
    await registerInstance({ id: "gone", host: "h", pid: 2, at: new Date(now.getTime() - 120_000) });
    const alive = await run(ad.full, { owner: { instanceId: "alive" } });
    const gone = await run(ad.export, { owner: { instanceId: "gone" } });
    await sweepAbandoned("me", { soleInstance: false, now });
    expect((await row(alive)).status).toBe("InProgress");
    expect((await row(gone)).status).toBe("FailedWithError");
    await recorder.cancel(alive, undefined, tick());
  });
});

// ---------------------------------------------------------------------------------------------
// retention
// ---------------------------------------------------------------------------------------------

describe("purgeExpired", () => {
  it("purges the items that did not fail beyond the last N runs of each profile, keeping failed items and counts; old activities go", async () => {
    const prisma = await getPrisma();
    // runs of a profile of their own, so earlier tests' runs do not count
    const own = await ensureConfiguration(
      [
        {
          name: "Retention",
          kind: "Application",
          description: "r",
          externalIdAttribute: "id",
          objectTypes: ["user"],
          runProfiles: [{ name: "Full Import", runType: "FullImport" }],
        },
      ],
      [],
    );
    const cs = own.systems[0].id;
    const rp = own.systems[0].runProfiles[0].id;
    const runs: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { id } = await recorder.create(
        { name: `run ${i}`, targetType: "ConnectedSystemRunProfile", connectedSystemId: cs, runProfileId: rp },
        SYSTEM,
        { at: tick() },
      );
      await recorder.appendItems(
        id,
        Array.from({ length: 30 }, (_, s) =>
          s < 2 ? failed(s, `R${s}`) : item(s, { connectedSystemObjectType: "user" }),
        ),
        tick(),
      );
      await recorder.complete(id, { counters: { totalObjectErrors: 2, totalCsoAdds: 28 } }, tick());
      runs.push(id);
    }
    const running = (
      await recorder.create(
        { name: "running", targetType: "ConnectedSystemRunProfile", connectedSystemId: cs, runProfileId: rp },
        SYSTEM,
        { at: tick() },
      )
    ).id;
    await recorder.appendItems(running, [item(0)], tick());
    const old = new Date(Date.now() - 200 * 86_400_000);
    const parent = (await recorder.create({ name: "old", targetType: "Schedule", scheduleId }, SYSTEM, { at: old })).id;
    const child = (
      await recorder.create({ name: "old child", targetType: "DataGeneration", parentActivityId: parent }, SYSTEM, {
        at: old,
      })
    ).id;
    await recorder.complete(child, {}, old);
    await recorder.complete(parent, {}, old);

    // 0 and 0 switch both parts off
    const off = await purgeExpired({ keepItemRuns: 0, maxActivityAgeDays: 0 });
    expect([off.itemsDeleted, off.activitiesDeleted]).toEqual([0, 0]);

    const now = new Date();
    const r = await purgeExpired({ keepItemRuns: 3, maxActivityAgeDays: 90, batchSize: 100, now });
    expect(r.itemsDeleted).toBeGreaterThanOrEqual(56);
    expect(r.activitiesDeleted).toBeGreaterThanOrEqual(1);
    const counts = await Promise.all(runs.map((id) => prisma.executionItem.count({ where: { activityId: id } })));
    // beyond the last 3 runs, the items that did not fail go; the 2 failed items of each run stay
    expect(counts).toEqual([2, 2, 30, 30, 30]);
    expect(r.failedItemsKept).toBeGreaterThanOrEqual(4);
    const purged = await row(runs[0]);
    expect(purged.itemsPurgedAt).toEqual(now);
    expect(purged).toMatchObject({ itemsKept: "Failed", failedItemCount: 2 });
    expect(await prisma.executionItem.count({ where: { activityId: runs[0], errorType: null } })).toBe(0);
    expect(purged).toMatchObject({
      itemCount: 30,
      totalObjectErrors: 2,
      totalCsoAdds: 28,
      errorTypeCounts: { DuplicateObject: 2 },
      objectTypeCounts: { user: 28, person: 2 },
    });
    expect((await row(runs[2])).itemsPurgedAt).toBeNull();
    expect((await getActivity(runs[0])).itemsRetained).toBe(false);
    expect(await prisma.executionItem.count({ where: { activityId: running } })).toBe(1);
    expect(await prisma.activity.findUnique({ where: { id: parent } })).toBeNull();
    expect(await prisma.activity.findUnique({ where: { id: child } })).toBeNull();

    const again = await purgeExpired({ keepItemRuns: 3, maxActivityAgeDays: 90 });
    expect([again.itemsDeleted, again.runsPurgedOfItems]).toEqual([0, 0]);
    await recorder.cancel(running, undefined, tick());
  });
});

// ---------------------------------------------------------------------------------------------
// the administrator key
// ---------------------------------------------------------------------------------------------

describe("ensureAdministratorKey", () => {
  const keysDir = path.join(tempRoot, "keys");

  it("generates a key once when no administrator key exists, written 0600 to the data folder", async () => {
    const cfg = parseConfig({ SYNCWATCH_DATA_DIR: keysDir });
    const first = await ensureAdministratorKey(cfg);
    expect(first.source).toBe("generated");
    expect(first.generatedSecret).toMatch(/^sw_[A-Za-z0-9_-]{43}$/);
    const file = path.join(keysDir, "admin-api-key");
    expect(fs.readFileSync(file, "utf8")).toBe(`${first.generatedSecret}\n`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await ensureAdministratorKey(cfg)).toEqual({ generatedSecret: null, source: "existing" });
    expect(fs.readFileSync(file, "utf8")).toBe(`${first.generatedSecret}\n`);
    const keys = await (await getPrisma()).apiKey.findMany({ where: { source: "Generated" } });
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ role: "Administrator", revokedAt: null });
  });

  it("keeps the environment's key as an Administrator key that revokeApiKey refuses (409)", async () => {
    const secret = "sw_env_key_for_tests_0123456789";
    const cfg = parseConfig({ SYNCWATCH_DATA_DIR: keysDir, SYNCWATCH_ADMIN_API_KEY: secret });
    expect(await ensureAdministratorKey(cfg)).toEqual({ generatedSecret: null, source: "environment" });
    expect(await ensureAdministratorKey(cfg)).toEqual({ generatedSecret: null, source: "environment" });
    const prisma = await getPrisma();
    const env = await prisma.apiKey.findMany({ where: { source: "Environment" } });
    expect(env).toHaveLength(1);
    expect(env[0]).toMatchObject({ role: "Administrator", revokedAt: null, prefix: secret.slice(0, 10) });
    expect(JSON.stringify(env[0])).not.toContain(secret);

    const e = await caught(revokeApiKey(env[0].id));
    expect(e.code).toBe("CONFLICT");
    expect(e.message).toMatch(/SYNCWATCH_ADMIN_API_KEY/);
    expect((await prisma.apiKey.findUnique({ where: { id: env[0].id } }))!.revokedAt).toBeNull();

    // revoked behind its back, it is restored at the next start
    await prisma.apiKey.update({ where: { id: env[0].id }, data: { revokedAt: new Date(), role: "ReadOnly" } });
    await ensureAdministratorKey(cfg);
    expect(await prisma.apiKey.findUnique({ where: { id: env[0].id } })).toMatchObject({
      revokedAt: null,
      role: "Administrator",
    });
  });

  it("other keys can be revoked (idempotently)", async () => {
    const created = await createApiKey("automation", "Administrator");
    const revoked = await revokeApiKey(created.id);
    expect(revoked.revoked).not.toBeNull();
    expect((await revokeApiKey(created.id)).revoked).toBe(revoked.revoked);
    expect((await caught(revokeApiKey("0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00"))).code).toBe("NOT_FOUND");
  });
});
