/**
 * The run engine (lib/engine) against an in-memory ActivityRecorder and a VirtualClock: imports,
 * synchronisations, exports and confirming imports, error types and terminal statuses, schedules,
 * cancellation, the demo history and its determinism. No database, no real time: every run is
 * seeded and the clock only moves when the engine sleeps.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CompleteActivityBody, CreateActivityBody, NewExecutionItem, ProgressBody } from "@/lib/api/schemas";
import {
  completionStatus,
  emptyCounters,
  sumCounters,
  summariseChildStatuses,
  type Counters,
} from "@/lib/domain/counters";
import { ERROR_TYPES, type ActivityStatus, type RunType } from "@/lib/domain/enums";
import { ActivityAlreadyEndedError, type ActivityRecorder, type InitiatedBy } from "@/lib/domain/recorder";
import { memoryConfigStore, DELTA_CYCLE, NIGHTLY } from "@/lib/engine/config";
import { SCHEDULER, SimulationEngine, type EngineOptions } from "@/lib/engine/engine";
import { Rng } from "@/lib/engine/random";
import { executeRunProfile, executeSchedule, VirtualClock, type RunResult } from "@/lib/engine/runner";
import type { SystemKey, World } from "@/lib/engine/world";

// ---------------------------------------------------------------------------------------------
// An in-memory recorder with the rules of lib/services/activity-recorder.ts: bodies must satisfy
// the write API's schemas, writes to an ended activity throw ActivityAlreadyEndedError, complete()
// derives the status from errors and warnings when none is given, cancel() cascades to running
// descendants, shouldStop() is true once the activity ended or a cancel was requested.
// ---------------------------------------------------------------------------------------------

type Op = "create" | "reportProgress" | "appendItems" | "complete" | "cancel";

interface FakeItem extends NewExecutionItem {
  appendedAt: number;
}

interface FakeActivity {
  id: string;
  seq: number;
  input: CreateActivityBody;
  initiatedBy: InitiatedBy;
  createdAt: number;
  endedAt: number | null;
  status: ActivityStatus;
  cancelRequested: boolean;
  objectsToProcess: number | null;
  objectsProcessed: number;
  message: string | null;
  counters: Counters;
  warnings: string[];
  errorMessage: string | null;
  errorStackTrace: string | null;
  items: FakeItem[];
  samples: { at: number; objectsProcessed: number }[];
}

const fakeId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

class MemoryRecorder implements ActivityRecorder {
  readonly activities = new Map<string, FakeActivity>();
  /** Writes refused because the activity had already ended. */
  readonly rejected: { op: Op; id: string; status: ActivityStatus }[] = [];
  /** Called after each accepted write (tests use it to cancel from outside at a chosen point). */
  afterWrite?: (op: Op, activity: FakeActivity) => void | Promise<void>;
  private n = 0;

  list(): FakeActivity[] {
    return [...this.activities.values()];
  }
  get(id: string): FakeActivity {
    const a = this.activities.get(id);
    if (!a) throw new Error(`no activity ${id}`);
    return a;
  }
  children(id: string): FakeActivity[] {
    return this.list().filter((a) => a.input.parentActivityId === id);
  }

  private running(op: Op, id: string): FakeActivity {
    const a = this.get(id);
    if (a.status !== "InProgress") {
      this.rejected.push({ op, id, status: a.status });
      throw new ActivityAlreadyEndedError(id, a.status);
    }
    return a;
  }

  async create(input: CreateActivityBody, initiatedBy: InitiatedBy, at = new Date()): Promise<{ id: string }> {
    const body = CreateActivityBody.parse(input);
    if (body.parentActivityId) this.running("create", body.parentActivityId);
    const seq = ++this.n;
    const id = fakeId(seq);
    this.activities.set(id, {
      id,
      seq,
      input: body,
      initiatedBy,
      createdAt: at.getTime(),
      endedAt: null,
      status: "InProgress",
      cancelRequested: false,
      objectsToProcess: body.objectsToProcess ?? null,
      objectsProcessed: 0,
      message: body.message ?? null,
      counters: emptyCounters(),
      warnings: [],
      errorMessage: null,
      errorStackTrace: null,
      items: [],
      samples: [],
    });
    await this.afterWrite?.("create", this.get(id));
    return { id };
  }

  async reportProgress(id: string, progress: ProgressBody, at = new Date()): Promise<void> {
    const body = ProgressBody.parse(progress);
    const a = this.running("reportProgress", id);
    Object.assign(a.counters, body.counters ?? {});
    if (body.objectsToProcess !== undefined) a.objectsToProcess = body.objectsToProcess;
    if (body.objectsProcessed !== undefined) a.objectsProcessed = body.objectsProcessed;
    if (body.message !== undefined) a.message = body.message;
    for (const w of body.warnings ?? []) if (!a.warnings.includes(w)) a.warnings.push(w);
    a.samples.push({ at: at.getTime(), objectsProcessed: a.objectsProcessed });
    await this.afterWrite?.("reportProgress", a);
  }

  async appendItems(
    id: string,
    items: NewExecutionItem[],
    at = new Date(),
  ): Promise<{ inserted: number; duplicates: number }> {
    const parsed = items.map((i) => NewExecutionItem.parse(i));
    const a = this.running("appendItems", id);
    if (a.input.targetType !== "ConnectedSystemRunProfile") throw new Error("items on a non-run-profile activity");
    const seen = new Set(a.items.map((i) => i.sequence));
    let inserted = 0;
    for (const i of parsed) {
      if (seen.has(i.sequence)) continue;
      seen.add(i.sequence);
      a.items.push({ ...i, appendedAt: at.getTime() });
      inserted++;
    }
    await this.afterWrite?.("appendItems", a);
    return { inserted, duplicates: items.length - inserted };
  }

  async complete(id: string, result: CompleteActivityBody, at = new Date()): Promise<ActivityStatus> {
    const body = CompleteActivityBody.parse(result);
    const a = this.running("complete", id);
    Object.assign(a.counters, body.counters ?? {});
    for (const w of body.warnings ?? []) if (!a.warnings.includes(w)) a.warnings.push(w);
    a.status =
      body.status ?? completionStatus({ objectErrors: a.counters.totalObjectErrors, warnings: a.warnings.length });
    if (body.objectsProcessed !== undefined) a.objectsProcessed = body.objectsProcessed;
    a.errorMessage = body.errorMessage ?? null;
    a.errorStackTrace = body.errorStackTrace ?? null;
    a.endedAt = at.getTime();
    await this.afterWrite?.("complete", a);
    return a.status;
  }

  async cancel(id: string, reason: string | undefined, at = new Date()): Promise<void> {
    const a = this.running("cancel", id);
    const end = (x: FakeActivity) => {
      x.status = "Cancelled";
      x.cancelRequested = true;
      x.endedAt = at.getTime();
      for (const c of this.children(x.id)) if (c.status === "InProgress") end(c);
    };
    end(a);
    if (reason) a.message = `Cancelled: ${reason}`;
  }

  async shouldStop(id: string): Promise<boolean> {
    const a = this.activities.get(id);
    return !a || a.status !== "InProgress" || a.cancelRequested;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const SEED = 424242;

/** A live-mode engine (no timers, no history) on a virtual clock; no drift and no broken connectors unless asked. */
async function makeEngine(options: Partial<EngineOptions> = {}) {
  const recorder = new MemoryRecorder();
  const clock = new VirtualClock(NOW);
  const logs: string[] = [];
  const engine = new SimulationEngine(
    { recorder, configStore: memoryConfigStore(0), clock, log: (l) => logs.push(l) },
    { scale: 300, seed: SEED, autorun: false, demoHistory: false, failureRate: 0, driftFactor: 0, ...options },
  );
  await engine.init();
  return { engine, recorder, clock, logs, world: engine.world };
}

type Harness = Awaited<ReturnType<typeof makeEngine>>;

function profile(engine: SimulationEngine, key: SystemKey, runType: RunType) {
  const cs = engine.config.systems.find((s) => s.key === key)!;
  const rp = cs.runProfiles.find((r) => r.runType === runType);
  if (!rp) throw new Error(`${key} has no ${runType}`);
  return { connectedSystemId: cs.id, runProfileId: rp.id };
}

const ADMIN: InitiatedBy = { type: "User", id: "u-1", name: "Test Admin" };

/** Triggers a run profile the way the API does and waits until the engine is idle. */
async function run(h: Harness, key: SystemKey, runType: RunType): Promise<FakeActivity> {
  const p = profile(h.engine, key, runType);
  const { activityId } = await h.engine.triggerRunProfile(p.connectedSystemId, p.runProfileId, ADMIN);
  await h.engine.idle();
  return h.recorder.get(activityId);
}

/** Runs a run profile directly with context overrides (forced failures, cancellations). */
async function runWith(
  h: Harness,
  key: SystemKey,
  runType: RunType,
  overrides: Parameters<SimulationEngine["runContext"]>[0],
): Promise<{ activity: FakeActivity; result: RunResult }> {
  const p = profile(h.engine, key, runType);
  const target = h.engine.runTarget(p.connectedSystemId, p.runProfileId);
  const { id } = await h.recorder.create(
    { name: "test run", targetType: "ConnectedSystemRunProfile", ...p },
    ADMIN,
    new Date(h.clock.now()),
  );
  const result = await executeRunProfile(h.engine.runContext(overrides), id, target);
  return { activity: h.recorder.get(id), result };
}

/** Forgets a system's connector space (and the metaverse's links to it), as before the first import. */
function emptyConnectorSpace(world: World, key: SystemKey) {
  const s = world.systems[key];
  for (const cso of [...s.cs.values()]) world.removeCso(key, cso);
  for (const mvo of world.mv.values()) delete mvo.links[key];
  s.changeLog.clear();
  s.syncDirty.clear();
  s.importErrors.clear();
}

const hasOutcome = (i: NewExecutionItem, type: string) => i.outcomes.some((o) => o.type === type);
const errorItems = (a: FakeActivity) => a.items.filter((i) => i.errorType !== null);
const cleanItems = (a: FakeActivity) => a.items.filter((i) => i.errorType === null);

/** What every finished run-profile activity must satisfy, whatever it did. */
function expectConsistentRun(a: FakeActivity) {
  const c = a.counters;
  expect(a.status).not.toBe("InProgress");
  expect(c.totalObjectChangeCount + c.totalUnchanged).toBe(c.totalObjectsProcessed);
  expect(a.objectsProcessed).toBe(c.totalObjectsProcessed);
  // Sequences are unique and dense: every changed or failed object was recorded once.
  expect(a.items.map((i) => i.sequence)).toEqual(a.items.map((_, i) => i));
  if (a.status === "Cancelled" || a.status === "FailedWithError") return;
  expect(errorItems(a)).toHaveLength(c.totalObjectErrors);
  expect(cleanItems(a)).toHaveLength(c.totalObjectChangeCount);
}

// ---------------------------------------------------------------------------------------------
// Imports, synchronisations, exports
// ---------------------------------------------------------------------------------------------

describe("engine: import", () => {
  it("a full import into an empty connector space adds every valid object and reports the rest as errors", async () => {
    const h = await makeEngine();
    const hr = h.world.systems.hr;
    emptyConnectorSpace(h.world, "hr");
    const realRows = hr.real.size;

    const a = await run(h, "hr", "FullImport");

    expectConsistentRun(a);
    const adds = cleanItems(a);
    expect(adds.length).toBeGreaterThan(250);
    expect(
      adds.every((i) => i.objectChangeType === "Add" && i.outcomes.length === 1 && i.outcomes[0].type === "Added"),
    ).toBe(true);
    expect(a.counters.totalCsoAdds).toBe(adds.length);
    expect(a.counters.totalCsoUpdates).toBe(0);
    expect(a.counters.totalCsoDeletes).toBe(0);
    expect(a.counters.totalObjectsProcessed).toBe(realRows);
    expect(a.objectsToProcess).toBe(realRows);
    expect(a.counters.totalObjectTypes).toBe(1);
    // Each added item names its new connector-space object, whose attributes it lists as added.
    const csoById = new Map([...hr.cs.values()].map((c) => [c.id, c]));
    for (const i of adds) {
      const cso = csoById.get(i.connectedSystemObjectId!)!;
      expect(i.externalIdValue).toBe(cso.externalId);
      expect(i.attributeChanges.every((ch) => ch.operation === "ADD" && ch.oldValue === null)).toBe(true);
    }
    expect(hr.cs.size).toBe(adds.length);
    // HR rows without an employeeId, or with one already imported, are not staged.
    expect(new Set(errorItems(a).map((i) => i.errorType))).toEqual(
      new Set(["MissingExternalIdAttributeValue", "DuplicateObject"]),
    );
    expect(adds.length + errorItems(a).length).toBe(realRows);
    expect(a.status).toBe("CompleteWithError");
  });

  it("a second full import of an unchanged system changes nothing", async () => {
    const h = await makeEngine();
    emptyConnectorSpace(h.world, "ad");
    const first = await run(h, "ad", "FullImport");
    expect(first.counters.totalCsoAdds).toBeGreaterThan(0);
    const second = await run(h, "ad", "FullImport");
    expectConsistentRun(second);
    expect(second.counters.totalObjectChangeCount).toBe(0);
    expect(second.counters.totalCsoAdds + second.counters.totalCsoUpdates + second.counters.totalCsoDeletes).toBe(0);
    // Objects the schema does not know (partner contacts) are reported again by every full import.
    expect(second.counters.totalObjectErrors).toBe(first.counters.totalObjectErrors);
    expect(errorItems(second).every((i) => i.errorType === "CouldNotMatchObjectType")).toBe(true);
  });
});

describe("engine: synchronisation", () => {
  it("a sync projects new HR workers into the metaverse and provisions their accounts; a second delta sync changes nothing", async () => {
    const h = await makeEngine();
    const mvBefore = h.world.mv.size;
    const hires = Array.from({ length: 12 }, () => h.world.hire());

    const imp = await run(h, "hr", "DeltaImport");
    expect(imp.counters.totalCsoAdds).toBe(hires.length);

    const sync = await run(h, "hr", "DeltaSynchronisation");
    expectConsistentRun(sync);
    // The seeded world carries a few broken manager references; they are reported, the hires are not.
    const errors = errorItems(sync);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((i) => i.errorType === "UnresolvedReference" && /manager/.test(i.errorMessage ?? ""))).toBe(
      true,
    );
    expect(errors.some((i) => hires.some((p) => p.externalId === i.externalIdValue))).toBe(false);
    expect(sync.status).toBe("CompleteWithError");
    expect(sync.counters.totalProjections).toBe(hires.length);
    expect(sync.counters.totalJoins).toBe(0);
    expect(sync.counters.totalProvisioned).toBe(2 * hires.length); // Active Directory and ServiceNow
    expect(sync.counters.totalPendingExports).toBe(2 * hires.length);
    expect(h.world.mv.size).toBe(mvBefore + hires.length);
    for (const p of hires) {
      const mvo = h.world.findMvo(p.externalId!)!;
      expect(mvo.attrs.displayName).toBe(p.attrs.displayName);
      expect(mvo.links.hr).toBe(p.rowKey);
      const item = sync.items.find((i) => i.metaverseObjectId === mvo.id)!;
      expect(item.objectChangeType).toBe("Add");
      expect(item.outcomes.map((o) => o.type)).toEqual([
        "Projected",
        "AttributeFlow",
        "Provisioned",
        "PendingExportCreated",
      ]);
      for (const t of ["ad", "snow"] as const)
        expect(h.world.systems[t].cs.get(mvo.links[t]!)!.pending).toMatchObject({ kind: "Add", state: "pending" });
    }

    const again = await run(h, "hr", "DeltaSynchronisation");
    expect(again.status).toBe("Complete");
    expect(again.counters.totalObjectsProcessed).toBe(0);
    expect(again.items).toHaveLength(0);
    expect(h.world.mv.size).toBe(mvBefore + hires.length);
  });

  it("a full sync joins directory accounts to the people they belong to; repeating it changes nothing", async () => {
    const h = await makeEngine();
    const ad = h.world.systems.ad;
    const people = [...h.world.mv.values()].filter((m) => m.objectType === "person" && m.links.ad);
    emptyConnectorSpace(h.world, "ad");
    const accounts = [...ad.real.values()].filter((o) => o.objectType === "user" && o.attrs.employeeID);
    expect(accounts.length).toBe(people.length);
    // A legacy duplicate in the metaverse makes a match ambiguous: that account is left unjoined.
    const unambiguous = accounts.filter((o) => h.world.matches(o.attrs.employeeID).length === 1);
    expect(accounts.length - unambiguous.length).toBeLessThanOrEqual(2);

    await run(h, "ad", "FullImport");
    const sync = await run(h, "ad", "FullSynchronisation");

    expectConsistentRun(sync);
    expect(sync.counters.totalJoins).toBe(unambiguous.length);
    const joined = sync.items.filter((i) => hasOutcome(i, "Joined"));
    expect(joined).toHaveLength(unambiguous.length);
    for (const mvo of people.filter((m) => m.links.ad)) {
      const cso = ad.cs.get(mvo.links.ad!)!;
      expect(cso.mvoId).toBe(mvo.id);
      expect(cso.attrs.employeeID).toBe(mvo.attrs.employeeId);
    }
    // Service accounts have no employeeID: they stay disconnectors.
    const serviceAccounts = [...ad.cs.values()].filter((c) => c.objectType === "user" && !c.attrs.employeeID);
    expect(serviceAccounts.length).toBeGreaterThan(0);
    expect(serviceAccounts.every((c) => c.mvoId === null)).toBe(true);

    const again = await run(h, "ad", "FullSynchronisation");
    expectConsistentRun(again);
    expect(again.counters.totalObjectChangeCount).toBe(0);
    expect(again.counters.totalJoins + again.counters.totalProjections).toBe(0);
    expect(again.items).toHaveLength(0);
  });
});

describe("engine: export and confirming import", () => {
  it("pending exports are confirmed only by the import that follows the export", async () => {
    const h = await makeEngine();
    for (let i = 0; i < 20; i++) h.world.hire();
    await run(h, "hr", "DeltaImport");
    const sync = await run(h, "hr", "DeltaSynchronisation");
    expect(sync.counters.totalProvisioned).toBe(40);

    const exp = await run(h, "ad", "Export");
    expectConsistentRun(exp);
    const exported = exp.items.filter((i) => hasOutcome(i, "Exported"));
    expect(exported.length).toBeGreaterThan(0);
    expect(exp.counters.totalExported).toBe(exported.length);
    expect(exp.counters.totalPendingExportsConfirmed).toBe(0);
    // A retrying export carries a message, but is not an object error.
    for (const i of exp.items.filter((x) => hasOutcome(x, "ExportRetrying"))) {
      expect(i.errorType).toBeNull();
      expect(i.errorMessage).toMatch(/will retry/);
    }
    const exportedRows = [...h.world.systems.ad.cs.values()].filter((c) => c.pending?.state === "exported");
    expect(exportedRows).toHaveLength(exported.length);

    // Exporting again does not send what is already waiting for confirmation.
    const exp2 = await run(h, "ad", "Export");
    expect(exp2.counters.totalExported).toBe(exp2.items.filter((i) => hasOutcome(i, "Exported")).length);
    const exportedTotal = exported.length + exp2.counters.totalExported;

    const confirm = await run(h, "ad", "DeltaImport");
    expectConsistentRun(confirm);
    expect(confirm.counters.totalPendingExportsConfirmed).toBe(exportedTotal);
    expect(confirm.items.filter((i) => hasOutcome(i, "PendingExportConfirmed"))).toHaveLength(exportedTotal);
    for (const cso of exportedRows) {
      expect(cso.pending).toBeNull();
      expect(cso.placeholder).toBe(false);
      expect(cso.externalId).toBeTruthy();
    }

    const confirmAgain = await run(h, "ad", "DeltaImport");
    expect(confirmAgain.counters.totalPendingExportsConfirmed).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Errors and terminal statuses
// ---------------------------------------------------------------------------------------------

describe("engine: errors and terminal statuses", () => {
  it("a connector that cannot connect fails the run with FailedWithError before any object", async () => {
    const h = await makeEngine();
    const { activity, result } = await runWith(h, "ad", "FullImport", { forceFailure: "connect" });
    expect(result.status).toBe("FailedWithError");
    expect(activity.status).toBe("FailedWithError");
    expect(activity.errorMessage).toMatch(/LDAP/);
    expect(activity.errorStackTrace).toMatch(/^System\.DirectoryServices\.Protocols\.LdapException: /);
    expect(activity.items).toHaveLength(0);
    expect(activity.counters.totalObjectsProcessed).toBe(0);
    expect(h.logs).toEqual([]);
  });

  it("a connector that breaks during the run fails it with FailedWithError and keeps what it recorded", async () => {
    const h = await makeEngine();
    emptyConnectorSpace(h.world, "hr");
    const { activity } = await runWith(h, "hr", "FullImport", { forceFailure: "during", rng: new Rng(3) });
    expect(activity.status).toBe("FailedWithError");
    expect(activity.errorMessage).toBeTruthy();
    expect(activity.objectsProcessed).toBe(activity.counters.totalObjectsProcessed);
    expect(activity.counters.totalObjectsProcessed).toBeLessThan(h.world.systems.hr.real.size);
    expect(activity.items.length).toBeGreaterThan(0);
    expect(activity.counters.totalCsoAdds).toBe(cleanItems(activity).length);
  });
});

// ---------------------------------------------------------------------------------------------
// Schedules
// ---------------------------------------------------------------------------------------------

describe("engine: schedules", () => {
  it("a schedule execution is a parent with one child per step, in order, and the parent rolls their status up", async () => {
    const h = await makeEngine();
    for (let i = 0; i < 5; i++) h.world.hire();
    const schedule = h.engine.config.schedules.find((s) => s.name === DELTA_CYCLE)!;
    const { steps } = h.engine.scheduleSteps(schedule.id);

    const { activityId } = await h.engine.triggerSchedule(schedule.id, SCHEDULER);
    await h.engine.idle();

    const parent = h.recorder.get(activityId);
    expect(parent.input).toMatchObject({ targetType: "Schedule", scheduleId: schedule.id });
    expect(parent.initiatedBy).toEqual({ type: "System", id: String(schedule.id), name: "Scheduler" });
    const children = h.recorder.children(activityId).sort((a, b) => a.seq - b.seq);
    expect(children).toHaveLength(steps.length);
    children.forEach((c, i) => {
      expect(c.input.parentActivityId).toBe(activityId);
      expect(c.input).toMatchObject({
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: steps[i].connectedSystemId,
        runProfileId: steps[i].runProfileId,
      });
      expect(c.input.name).toBe(`${steps[i].connectedSystemName}: ${steps[i].runProfileName}`);
      expectConsistentRun(c);
      // Steps run one after another, inside the parent's lifetime.
      expect(c.createdAt).toBeGreaterThanOrEqual(i === 0 ? parent.createdAt : children[i - 1].endedAt!);
      expect(c.endedAt!).toBeLessThanOrEqual(parent.endedAt!);
    });
    expect(parent.status).toBe(summariseChildStatuses(children.map((c) => c.status)));
    expect(parent.objectsProcessed).toBe(steps.length);
    expect(parent.counters).toEqual(sumCounters(children.map((c) => c.counters)));
    // The new hires went all the way: imported, projected, exported to both targets, confirmed.
    const [hrImport, hrSync, adExport, snowExport, adImport, snowImport] = children;
    expect(hrImport.counters.totalCsoAdds).toBe(5);
    expect(hrSync.counters.totalProjections).toBe(5);
    expect(adExport.counters.totalExported + snowExport.counters.totalExported).toBe(
      adImport.counters.totalPendingExportsConfirmed + snowImport.counters.totalPendingExportsConfirmed,
    );
  });

  it("a failed step does not stop the later steps, and makes the schedule CompleteWithError", async () => {
    const h = await makeEngine();
    const schedule = h.engine.config.schedules.find((s) => s.name === NIGHTLY)!;
    const { steps } = h.engine.scheduleSteps(schedule.id);
    const { id } = await h.recorder.create(
      { name: schedule.name, targetType: "Schedule", scheduleId: schedule.id },
      SCHEDULER,
      new Date(NOW),
    );

    const result = await executeSchedule(h.engine.runContext(), id, steps, {
      initiatedBy: SCHEDULER,
      exclusive: (_cs, fn) => fn(),
      stepContext: (i) => (i === 2 ? { forceFailure: "connect" } : {}),
    });

    const children = h.recorder.children(id).sort((a, b) => a.seq - b.seq);
    expect(children).toHaveLength(steps.length);
    expect(children[2].status).toBe("FailedWithError");
    expect(children.slice(3).every((c) => c.status !== "FailedWithError" && c.status !== "Cancelled")).toBe(true);
    expect(result.status).toBe("CompleteWithError");
    expect(h.recorder.get(id).status).toBe("CompleteWithError");
  });
});

// ---------------------------------------------------------------------------------------------
// Cancellation
// ---------------------------------------------------------------------------------------------

describe("engine: cancellation", () => {
  it("a cancel requested mid-run is seen between batches: the run ends Cancelled and records nothing more", async () => {
    const h = await makeEngine();
    emptyConnectorSpace(h.world, "hr");
    let itemsAtCancel = -1;
    h.recorder.afterWrite = async (op, a) => {
      // The administrator presses Cancel after the second progress sample.
      if (op === "reportProgress" && a.samples.length === 3 && itemsAtCancel < 0) {
        itemsAtCancel = a.items.length;
        await h.recorder.cancel(a.id, "Stopped by an administrator", new Date(h.clock.now()));
      }
    };

    const a = await run(h, "hr", "FullImport");

    expect(itemsAtCancel).toBeGreaterThan(0);
    expect(a.status).toBe("Cancelled");
    expect(a.message).toBe("Cancelled: Stopped by an administrator");
    expect(a.items).toHaveLength(itemsAtCancel);
    expect(a.items.length).toBeLessThan(h.world.systems.hr.real.size / 2);
    expect(h.recorder.rejected).toEqual([]);
    expect(h.logs).toEqual([]);
  });

  it("a cancel that lands between two writes of a batch ends the run Cancelled, not failed", async () => {
    const h = await makeEngine();
    emptyConnectorSpace(h.world, "hr");
    let itemsAtCancel = -1;
    h.recorder.afterWrite = async (op, a) => {
      if (op === "appendItems" && a.items.length >= 100 && itemsAtCancel < 0) {
        itemsAtCancel = a.items.length;
        await h.recorder.cancel(a.id, undefined, new Date(h.clock.now()));
      }
    };

    const a = await run(h, "hr", "FullImport");

    expect(a.status).toBe("Cancelled");
    expect(a.items).toHaveLength(itemsAtCancel);
    // The progress report already on its way is refused; nothing is appended or completed afterwards.
    expect(h.recorder.rejected.every((r) => r.op === "reportProgress")).toBe(true);
    expect(h.logs).toEqual([]);
  });

  it("cancelling a schedule cancels the running step and starts no further steps", async () => {
    const h = await makeEngine();
    const schedule = h.engine.config.schedules.find((s) => s.name === NIGHTLY)!;
    const { steps } = h.engine.scheduleSteps(schedule.id);
    let parentId = "";
    h.recorder.afterWrite = async (op, a) => {
      // Cancel the whole execution while its third step (a full import) is half-way.
      if (
        op === "reportProgress" &&
        a.input.parentActivityId &&
        h.recorder.children(a.input.parentActivityId).length === 3 &&
        a.samples.length === 3
      ) {
        parentId = a.input.parentActivityId;
        h.recorder.afterWrite = undefined;
        await h.recorder.cancel(parentId, "Maintenance window", new Date(h.clock.now()));
      }
    };

    const { activityId } = await h.engine.triggerSchedule(schedule.id, ADMIN);
    await h.engine.idle();

    expect(parentId).toBe(activityId);
    const parent = h.recorder.get(activityId);
    const children = h.recorder.children(activityId).sort((a, b) => a.seq - b.seq);
    expect(parent.status).toBe("Cancelled");
    expect(children).toHaveLength(3);
    expect(children.slice(0, 2).every((c) => c.status !== "Cancelled" && c.status !== "InProgress")).toBe(true);
    expect(children[2].status).toBe("Cancelled");
    expect(steps.length).toBeGreaterThan(3);
    expect(h.recorder.rejected.filter((r) => r.op !== "reportProgress")).toEqual([]);
    expect(h.logs).toEqual([]);
  });

  it("a delta import cancelled part-way leaves the changes it did not read for the next delta import", async () => {
    const h = await makeEngine();
    const hires = Array.from({ length: 150 }, () => h.world.hire());
    let cancelled = false;
    h.recorder.afterWrite = async (op, a) => {
      if (op === "reportProgress" && a.samples.length === 2 && !cancelled) {
        cancelled = true;
        await h.recorder.cancel(a.id, undefined, new Date(h.clock.now()));
      }
    };
    const first = await run(h, "hr", "DeltaImport");
    h.recorder.afterWrite = undefined;
    expect(first.status).toBe("Cancelled");
    expect(first.counters.totalCsoAdds).toBeGreaterThan(0);
    expect(first.counters.totalCsoAdds).toBeLessThan(hires.length);

    const second = await run(h, "hr", "DeltaImport");
    expect(second.status).not.toBe("Cancelled");
    expect(first.counters.totalCsoAdds + second.counters.totalCsoAdds).toBe(hires.length);
    expect(hires.every((p) => h.world.systems.hr.cs.has(p.rowKey))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The demo history
// ---------------------------------------------------------------------------------------------

/** Back-fills the demo history (a week, "small" scale) into a fresh in-memory store. */
async function backfill(seed: number, scale = 1500) {
  const recorder = new MemoryRecorder();
  const logs: string[] = [];
  const engine = new SimulationEngine(
    { recorder, configStore: memoryConfigStore(0), clock: new VirtualClock(NOW), log: (l) => logs.push(l) },
    { scale, seed, autorun: false, demoHistory: true },
  );
  await engine.init();
  const report = await engine.history;
  await engine.idle();
  return { engine, recorder, report: report!, logs };
}

/** Everything the store would hold, minus nothing that should vary between two runs of one seed. */
function snapshot(recorder: MemoryRecorder) {
  return recorder.list().map((a) => ({
    name: a.input.name,
    targetType: a.input.targetType,
    parent: a.input.parentActivityId ?? null,
    initiatedBy: a.initiatedBy,
    status: a.status,
    createdAt: a.createdAt,
    endedAt: a.endedAt,
    counters: a.counters,
    warnings: a.warnings,
    errorMessage: a.errorMessage,
    samples: a.samples,
    items: a.items,
  }));
}

describe("engine: demo history", () => {
  let h: Awaited<ReturnType<typeof backfill>>;
  let all: FakeActivity[];
  let runs: FakeActivity[];
  let schedules: FakeActivity[];
  beforeAll(async () => {
    h = await backfill(20261122);
    all = h.recorder.list();
    runs = all.filter((a) => a.input.targetType === "ConnectedSystemRunProfile");
    schedules = all.filter((a) => a.input.targetType === "Schedule");
  });

  it("back-fills a few hundred activities over the past week, all ended before now", () => {
    expect(h.logs).toHaveLength(1);
    expect(h.logs[0]).toMatch(/demo history back-filled: \d+ activities/);
    expect(all.length).toBe(h.report.activities);
    expect(all.length).toBeGreaterThanOrEqual(200);
    expect(all.length).toBeLessThanOrEqual(1000);
    expect(h.report.runs).toBe(runs.length);
    expect(h.report.items).toBe(runs.reduce((n, a) => n + a.items.length, 0));
    const week = 7 * 24 * 3_600_000;
    for (const a of all) {
      expect(a.status).not.toBe("InProgress");
      expect(a.createdAt).toBeLessThan(NOW);
      expect(a.createdAt).toBeGreaterThan(NOW - week - 3_600_000);
      expect(a.endedAt!).toBeGreaterThanOrEqual(a.createdAt);
      expect(a.endedAt!).toBeLessThanOrEqual(NOW);
      for (const s of a.samples) expect(s.at).toBeLessThanOrEqual(a.endedAt!);
    }
    // Something happened on every day of the week.
    const days = new Set(all.map((a) => Math.floor((NOW - a.createdAt) / (24 * 3_600_000))));
    expect(days.size).toBeGreaterThanOrEqual(7);
    // The other target types appear too, by users and API keys.
    for (const t of ["SchemaImport", "Certificate", "ConfigurationChange", "DataGeneration"])
      expect(all.some((a) => a.input.targetType === t)).toBe(true);
    expect(new Set(all.map((a) => a.initiatedBy.type))).toEqual(new Set(["System", "User", "ApiKey"]));
  });

  it("includes both schedules, each execution a parent with its steps as children in order", () => {
    const byName = (n: string) => schedules.filter((s) => s.input.name === n);
    expect(byName(DELTA_CYCLE).length).toBeGreaterThanOrEqual(30);
    expect(byName(NIGHTLY).length).toBeGreaterThanOrEqual(6);
    for (const parent of schedules) {
      const { steps } = h.engine.scheduleSteps(parent.input.scheduleId!);
      const children = h.recorder.children(parent.id).sort((a, b) => a.seq - b.seq);
      if (parent.status === "Cancelled") expect(children.length).toBeLessThan(steps.length);
      else expect(children).toHaveLength(steps.length);
      children.forEach((c, i) => {
        expect(c.input.runProfileId).toBe(steps[i].runProfileId);
        expect(c.createdAt).toBeGreaterThanOrEqual(parent.createdAt);
        expect(c.endedAt!).toBeLessThanOrEqual(parent.endedAt!);
        if (i > 0) expect(c.createdAt).toBeGreaterThanOrEqual(children[i - 1].endedAt!);
      });
      if (parent.status !== "Cancelled") {
        expect(parent.status).toBe(summariseChildStatuses(children.map((c) => c.status)));
        expect(parent.counters).toEqual(sumCounters(children.map((c) => c.counters)));
      }
    }
  });

  it("has a plausible status mix: mostly complete, some errors and warnings, a few failures and cancellations", () => {
    const count = (list: FakeActivity[], s: ActivityStatus) => list.filter((a) => a.status === s).length;
    expect(count(runs, "Complete") / runs.length).toBeGreaterThan(0.5);
    expect(count(runs, "CompleteWithError")).toBeGreaterThan(0);
    expect(count(runs, "CompleteWithWarning")).toBeGreaterThan(0);
    expect(count(runs, "FailedWithError")).toBeGreaterThan(0);
    expect(count(runs, "FailedWithError") / runs.length).toBeLessThan(0.1);
    expect(count(schedules, "Cancelled")).toBeGreaterThan(0);
    expect(count(schedules, "CompleteWithError")).toBeGreaterThan(0);
    expect(h.report.failed).toBe(count(all, "FailedWithError"));
    expect(h.report.cancelled).toBe(count(all, "Cancelled"));
  });

  it("ends every run with the status seed 000 gives it: errors, warnings only, none, or fatal", () => {
    for (const a of runs) {
      if (a.status === "Cancelled") continue;
      if (a.status === "FailedWithError") {
        expect(a.errorMessage).toBeTruthy();
        expect(a.errorStackTrace).toBeTruthy();
        continue;
      }
      expect(a.errorMessage).toBeNull();
      expect(a.counters.totalObjectChangeCount + a.counters.totalUnchanged).toBe(a.counters.totalObjectsProcessed);
      const expected =
        a.counters.totalObjectErrors > 0
          ? "CompleteWithError"
          : a.warnings.length > 0
            ? "CompleteWithWarning"
            : "Complete";
      expect(a.status).toBe(expected);
    }
  });

  it("keeps execution items only for the last three runs of each run profile, and they match the counters", () => {
    const byProfile = new Map<number, FakeActivity[]>();
    for (const a of runs) byProfile.set(a.input.runProfileId!, [...(byProfile.get(a.input.runProfileId!) ?? []), a]);
    for (const list of byProfile.values()) {
      list.sort((a, b) => a.seq - b.seq);
      const kept = list.slice(-3);
      for (const a of list.slice(0, -3)) expect(a.items).toHaveLength(0);
      for (const a of kept) expectConsistentRun(a);
    }
  });

  it("records every error type of seed 002, each with a message, on the objects that failed", () => {
    const items = runs.flatMap((a) => a.items);
    const types = new Set(items.map((i) => i.errorType).filter((t) => t !== null));
    expect([...types].sort()).toEqual([...ERROR_TYPES].sort());
    for (const i of items) {
      if (i.errorType !== null) {
        expect(i.errorMessage).toBeTruthy();
        expect(i.outcomes.some((o) => o.type !== "ExportFailed")).toBe(false);
      } else if (i.errorMessage !== null) {
        // Only an export that will be retried carries a message without being an error.
        expect(i.outcomes.map((o) => o.type)).toEqual(["ExportRetrying"]);
      }
    }
  });
});

describe("engine: determinism", () => {
  it("the same seed gives the same history; another seed another one", async () => {
    const a = await backfill(SEED, 300);
    const b = await backfill(SEED, 300);
    expect(a.recorder.list().length).toBeGreaterThan(200);
    expect(a.report.items).toBeGreaterThan(0);
    expect(snapshot(b.recorder)).toEqual(snapshot(a.recorder));
    expect(b.report).toEqual(a.report);
    const c = await backfill(SEED + 1, 300);
    expect(snapshot(c.recorder)).not.toEqual(snapshot(a.recorder));
  });

  it("the same seed gives the same world and the same live runs", async () => {
    const live = async () => {
      const h = await makeEngine({ failureRate: 0.2, driftFactor: 6 });
      const schedule = h.engine.config.schedules.find((s) => s.name === DELTA_CYCLE)!;
      for (let i = 0; i < 3; i++) {
        await h.engine.triggerSchedule(schedule.id, SCHEDULER);
        await h.engine.idle();
      }
      return { stats: h.world.stats(), activities: snapshot(h.recorder) };
    };
    const [x, y] = [await live(), await live()];
    expect(x.activities.length).toBe(3 * 8);
    expect(y).toEqual(x);
  });
});
