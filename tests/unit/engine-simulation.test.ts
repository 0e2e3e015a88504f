/**
 * The run engine (lib/engine) through its ports, against an in-memory recorder and store
 * (./support/memory-engine.ts) and a VirtualClock: imports, synchronisations, exports and
 * confirming imports, error types and terminal statuses, phases, schedules with parallel groups,
 * cancellation, the dispatcher's lanes and shutdown, the demo history and its determinism.
 * Every run is seeded and simulated time only moves when the engine sleeps.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { sumCounters } from "@/lib/domain/counters";
import {
  HISTORY_LANE_PREFIX,
  summariseChildStatuses,
  type InitiatedBy,
  type NewExecutionItem,
} from "@/lib/domain/activity";
import { ERROR_TYPES, type ActivityStatus, type RunType } from "@/lib/domain/enums";
import { asSyncwatchError } from "@/lib/domain/errors";
import type { PlannedStep } from "@/lib/domain/schedule";
import { DELTA_CYCLE, DEMO_SCHEDULES, NIGHTLY } from "@/lib/engine/demo-config";
import { SCHEDULER, SimulationEngine, demoIntervalMs, type EngineOptions } from "@/lib/engine/engine";
import { backfillHistory } from "@/lib/engine/history";
import { startEngine } from "@/lib/engine/index";
import { OTHER_KINDS } from "@/lib/engine/other";
import { Rng } from "@/lib/engine/random";
import {
  VirtualClock,
  activityName,
  executeRunProfile,
  executeSchedule,
  stepGroups,
  type RunResult,
  type ScheduleStepTarget,
} from "@/lib/engine/runner";
import type { SystemKey, World } from "@/lib/engine/world";
import { memoryPorts, type MemActivity, type MemoryRecorder } from "./support/memory-engine";

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const SEED = 424242;
const ADMIN: InitiatedBy = { type: "User", id: "u-1", name: "Test Admin" };

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

/** A live-mode engine (no timers, no history) on a virtual clock; no drift and no broken connectors unless asked. */
async function makeEngine(options: Partial<EngineOptions> = {}, instanceId = "test-instance") {
  const clock = new VirtualClock(NOW);
  const { ports, recorder, store, wake } = memoryPorts(clock, instanceId);
  const logs: string[] = [];
  const engine = new SimulationEngine(
    ports,
    { scale: 300, seed: SEED, autorun: false, demoHistory: false, failureRate: 0, driftFactor: 0, ...options },
    { clock, log: (l) => logs.push(l) },
  );
  wake.dispatcher = () => engine.dispatch();
  await engine.init();
  return { engine, recorder, store, ports, clock, logs, world: engine.world };
}
type Harness = Awaited<ReturnType<typeof makeEngine>>;

function profile(engine: SimulationEngine, key: SystemKey, runType: RunType) {
  const cs = engine.config.systems.find((s) => s.key === key)!;
  const rp = cs.runProfiles.find((r) => r.runType === runType);
  if (!rp) throw new Error(`${key} has no ${runType}`);
  return { connectedSystemId: cs.id, runProfileId: rp.id };
}

const schedule = (h: Harness, name: string) => h.engine.config.schedules.find((s) => s.name === name)!;

/** Waits until nothing runs and nothing queued can start. */
async function settle(h: Harness): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    await h.engine.idle();
    await new Promise((r) => setImmediate(r));
    const busy = await h.store.busyLanes();
    const startable = (await h.store.queued()).filter((q) => !busy.has(q.queueKey));
    const running = h.recorder.list().some((a) => a.status === "InProgress" && a.startedAt !== null);
    if (!startable.length && !running) return;
    if (startable.length) await h.engine.dispatch();
  }
  throw new Error("the engine did not settle");
}

/**
 * Holds the first run that reports progress at that report until released, so a test can queue
 * more work while it certainly still runs.
 */
function holdFirstRun(h: Harness, also?: (op: string, a: MemActivity) => void) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let held = false;
  h.recorder.afterWrite = async (op, a) => {
    also?.(op, a);
    if (op === "reportProgress" && !held) {
      held = true;
      await gate;
    }
  };
  return release;
}

/** Triggers a run profile the way the API does (queued in its lane, then dispatched) and waits until it ended. */
async function run(h: Harness, key: SystemKey, runType: RunType, by: InitiatedBy = ADMIN): Promise<MemActivity> {
  const p = profile(h.engine, key, runType);
  const { id } = (await h.ports.trigger.runProfile(p.connectedSystemId, p.runProfileId, by)) as { id: string };
  await settle(h);
  return h.recorder.get(id);
}

/** Runs a run profile directly with context overrides (forced failures, cancellations). */
async function runWith(
  h: Harness,
  key: SystemKey,
  runType: RunType,
  overrides: Parameters<SimulationEngine["runContext"]>[0],
): Promise<{ activity: MemActivity; result: RunResult }> {
  const p = profile(h.engine, key, runType);
  const target = h.engine.runTarget(p.connectedSystemId, p.runProfileId);
  const { id } = await h.recorder.create({ name: "test run", targetType: "ConnectedSystemRunProfile", ...p }, ADMIN, {
    at: new Date(h.clock.now()),
  });
  const result = await executeRunProfile(h.engine.runContext(overrides), id, target);
  return { activity: h.recorder.get(id), result };
}

/** A schedule execution run directly, each step started at once (as the history does). */
async function runScheduleDirectly(
  h: Harness,
  name: string,
  stepOverrides: (step: ScheduleStepTarget) => Parameters<SimulationEngine["runContext"]>[0] = () => ({}),
) {
  const s = schedule(h, name);
  const steps = h.engine.scheduleSteps(s.id, null);
  const { id } = await h.recorder.create({ name: s.name, targetType: "Schedule", scheduleId: s.id }, SCHEDULER, {
    at: new Date(h.clock.now()),
  });
  const result = await executeSchedule(h.engine.runContext(), id, steps, {
    runStep: async (step) => {
      const child = await h.recorder.create(
        {
          name: activityName(step),
          targetType: "ConnectedSystemRunProfile",
          connectedSystemId: step.connectedSystemId,
          runProfileId: step.runProfileId,
          parentActivityId: id,
          stepIndex: step.step.stepIndex,
        },
        SCHEDULER,
        { at: new Date(h.clock.now()) },
      );
      return executeRunProfile(h.engine.runContext(stepOverrides(step)), child.id, step);
    },
  });
  return { id, steps, result, parent: h.recorder.get(id), children: h.recorder.children(id) };
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
const errorItems = (a: MemActivity) => a.items.filter((i) => i.errorType !== null);
const cleanItems = (a: MemActivity) => a.items.filter((i) => i.errorType === null);

/** What every finished run-profile activity must satisfy, whatever it did. */
function expectConsistentRun(a: MemActivity) {
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
    expect(a.initiatedBy).toEqual(ADMIN);
    expect(h.logs).toEqual([]);
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
    expect(again.message).toBe("No changes to process");
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

  it("exports the target refuses for good are classified as the identity manager classifies them, not all unhandled", async () => {
    const h = await makeEngine();
    for (let i = 0; i < 400; i++) h.world.hire();
    await run(h, "hr", "DeltaImport");
    await run(h, "hr", "DeltaSynchronisation");
    const failed: NewExecutionItem[] = [];
    for (let attempt = 0; attempt <= 4; attempt++)
      for (const key of ["ad", "snow"] as const)
        failed.push(...(await run(h, key, "Export")).items.filter((i) => i.errorType));
    // What the target said decides the type: rights and policies are configuration, a value the
    // target already holds is a duplicate, an identifier it rejects is invalid, an unknown manager
    // is an unresolved reference.
    const expected: [RegExp, string][] = [
      [/not allowed by ACL/, "ConnectorConfigurationError"],
      [/LDAP 53 /, "ConnectorConfigurationError"],
      [/Unique Key violation/, "DuplicateObject"],
      [/LDAP 68 /, "DuplicateObject"],
      [/LDAP 19 /, "InvalidGeneratedExternalId"],
      [/LDAP 32 /, "UnresolvedReference"],
      [/LDAP 5[1]|LDAP 81|HTTP 429|HTTP 503/, "UnhandledError"],
    ];
    expect(failed.length).toBeGreaterThan(3);
    for (const item of failed) {
      expect(item.errorMessage).toMatch(/^Export failed after 3 retries: /);
      const rule = expected.find(([re]) => re.test(item.errorMessage!));
      expect(rule, item.errorMessage!).toBeDefined();
      expect(item.errorType, item.errorMessage!).toBe(rule![1]);
    }
    expect(new Set(failed.map((i) => i.errorType)).size).toBeGreaterThan(1);
    expect(failed.some((i) => i.errorType === "UnhandledError")).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Errors, terminal statuses and phases
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
    expect(activity.phases.map((p) => [p.name, p.status])).toEqual([["Connecting", "Failed"]]);
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
    expect(activity.phases.map((p) => [p.name, p.status])).toEqual([
      ["Connecting", "Complete"],
      ["Importing", "Failed"],
    ]);
  });

  it("with a failure rate, some runs fail as a whole and the rest complete", async () => {
    const h = await makeEngine({ failureRate: 0.5 });
    const statuses: ActivityStatus[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await run(h, "snow", "DeltaImport")).status);
    expect(statuses).toContain("FailedWithError");
    expect(statuses.some((s) => s !== "FailedWithError")).toBe(true);
    expect(statuses).not.toContain("InProgress");
  });
});

describe("engine: phases", () => {
  it.each([
    ["hr", "FullImport", "Importing"],
    ["hr", "DeltaImport", "Importing"],
    ["hr", "DeltaSynchronisation", "Synchronising"],
    ["ad", "FullSynchronisation", "Synchronising"],
    ["ad", "Export", "Exporting"],
  ] as const)("a %s %s run reports Connecting, then %s; both end with the run", async (key, runType, phase) => {
    const h = await makeEngine();
    const a = await run(h, key, runType);
    expect(a.phases.map((p) => [p.name, p.status])).toEqual([
      ["Connecting", "Complete"],
      [phase, "Complete"],
    ]);
    expect(a.phases[0].ended).toBe(a.phases[1].started);
    expect(a.phases[1].ended).toBe(a.endedAt);
    expect(a.samples[0].objectsProcessed).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Schedules
// ---------------------------------------------------------------------------------------------

describe("stepGroups", () => {
  const step = (stepIndex: number, parallelGroup: number | null) => ({
    step: { stepIndex, parallelGroup } as PlannedStep,
  });

  it("groups consecutive steps of the same parallel group; steps without a group run alone", () => {
    const steps = [
      step(1, null),
      step(2, null),
      step(3, 1),
      step(4, 1),
      step(5, 2),
      step(6, 2),
      step(7, 1),
      step(8, null),
    ];
    expect(stepGroups(steps).map((g) => g.map((s) => s.step.stepIndex))).toEqual([[1], [2], [3, 4], [5, 6], [7], [8]]);
    expect(stepGroups([])).toEqual([]);
  });
});

describe("engine: schedules", () => {
  it("an execution is a parent with one child per step; parallel groups run side by side, groups in order", async () => {
    const h = await makeEngine();
    for (let i = 0; i < 5; i++) h.world.hire();
    const s = schedule(h, DELTA_CYCLE);
    const steps = h.engine.scheduleSteps(s.id, null);
    expect(steps.map((x) => x.step.parallelGroup)).toEqual([null, null, 1, 1, 2, 2, null]);

    const { id } = (await h.ports.trigger.schedule(s.id, { ...SCHEDULER, id: String(s.id) })) as { id: string };
    await settle(h);

    const parent = h.recorder.get(id);
    expect(parent.input).toMatchObject({ targetType: "Schedule", scheduleId: s.id });
    expect(parent.initiatedBy).toEqual({ type: "System", id: String(s.id), name: "Scheduler" });
    expect(parent.queueKey).toBe(`schedule:${s.id}`);
    const children = h.recorder.children(id);
    expect(children).toHaveLength(steps.length);
    children.forEach((c, i) => {
      expect(c.input).toMatchObject({
        parentActivityId: id,
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: steps[i].connectedSystemId,
        runProfileId: steps[i].runProfileId,
        stepIndex: i + 1,
        name: `${steps[i].connectedSystemName}: ${steps[i].runProfileName}`,
      });
      expect(c.queueKey).toBe(`cs:${steps[i].connectedSystemId}`);
      expectConsistentRun(c);
      expect(c.startedAt!).toBeGreaterThanOrEqual(parent.startedAt!);
      expect(c.endedAt!).toBeLessThanOrEqual(parent.endedAt!);
    });
    // Each group starts once the previous group has ended; the steps of a group overlap.
    const groups = stepGroups(steps).map((g) => g.map((x) => children[x.step.stepIndex - 1]));
    for (let g = 1; g < groups.length; g++) {
      const previousEnd = Math.max(...groups[g - 1].map((c) => c.endedAt!));
      for (const c of groups[g]) expect(c.startedAt!).toBeGreaterThanOrEqual(previousEnd);
    }
    for (const group of groups.filter((g) => g.length > 1)) {
      const latestStart = Math.max(...group.map((c) => c.startedAt!));
      const earliestEnd = Math.min(...group.map((c) => c.endedAt!));
      expect(latestStart).toBeLessThan(earliestEnd);
    }
    expect(parent.status).toBe(summariseChildStatuses(children.map((c) => c.status)));
    expect(parent.objectsProcessed).toBe(children.reduce((n, c) => n + c.objectsProcessed, 0));
    expect(parent.counters).toEqual(sumCounters(children.map((c) => c.counters)));
    expect(parent.phases.map((p) => [p.name, p.status])).toEqual([
      ["Running steps", "Complete"],
      ["Finishing", "Complete"],
    ]);
    // The new hires went all the way: imported, projected, exported to both targets, confirmed.
    const [hrImport, hrSync, adExport, snowExport, adImport, snowImport] = children;
    expect(hrImport.counters.totalCsoAdds).toBe(5);
    expect(hrSync.counters.totalProjections).toBe(5);
    expect(adExport.counters.totalExported + snowExport.counters.totalExported).toBe(
      adImport.counters.totalPendingExportsConfirmed + snowImport.counters.totalPendingExportsConfirmed,
    );
    expect(h.logs).toEqual([]);
  });

  it("a failed step does not stop the later steps, and makes the schedule CompleteWithError", async () => {
    const h = await makeEngine();
    const { result, parent, children, steps } = await runScheduleDirectly(h, NIGHTLY, (step) =>
      step.step.stepIndex === 3 ? { forceFailure: "connect" } : {},
    );
    expect(children).toHaveLength(steps.length);
    expect(children[2].status).toBe("FailedWithError");
    expect(children.slice(3).every((c) => c.status !== "FailedWithError" && c.status !== "Cancelled")).toBe(true);
    expect(result.status).toBe("CompleteWithError");
    expect(parent.status).toBe("CompleteWithError");
  });

  it("a schedule whose every step failed ends FailedWithError", async () => {
    const h = await makeEngine();
    const { parent, children } = await runScheduleDirectly(h, DELTA_CYCLE, () => ({ forceFailure: "connect" }));
    expect(children.every((c) => c.status === "FailedWithError")).toBe(true);
    expect(parent.status).toBe("FailedWithError");
  });

  it("uses the steps planned when the execution was created, not the configuration of now", async () => {
    const h = await makeEngine();
    const s = schedule(h, NIGHTLY);
    const planned = h.engine
      .scheduleSteps(s.id, null)
      .slice(0, 2)
      .map((x) => x.step);
    expect(h.engine.scheduleSteps(s.id, planned).map((x) => x.runProfileId)).toEqual(
      planned.map((p) => p.runProfileId),
    );
    // a plan outlives its schedule
    expect(h.engine.scheduleSteps(9999, planned)).toHaveLength(2);
    expect(
      asSyncwatchError(
        (() => {
          try {
            h.engine.scheduleSteps(9999, null);
          } catch (e) {
            return e;
          }
        })(),
      )?.code,
    ).toBe("NOT_FOUND");
    expect(() => h.engine.runTarget(1, 9999)).toThrow(/Run profile 9999 does not exist/);
    expect(() => h.engine.runTarget(9999, 1)).toThrow(/Connected system 9999 does not exist/);
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
      // The administrator presses Cancel after the third progress sample.
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
    expect(a.phases.at(-1)!.status).toBe("Cancelled");
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
    expect(h.recorder.rejected.length).toBeLessThanOrEqual(1);
    expect(h.recorder.rejected.every((r) => r.op === "reportProgress")).toBe(true);
    expect(h.logs).toEqual([]);
  });

  it("cancelling a schedule cancels its running steps and starts no further steps", async () => {
    const h = await makeEngine();
    const s = schedule(h, NIGHTLY);
    const steps = h.engine.scheduleSteps(s.id, null);
    const firstGroup = stepGroups(steps)[0].length;
    let parentId = "";
    h.recorder.afterWrite = async (op, a) => {
      // Cancel the whole execution while the full imports of its first group are half-way.
      if (op === "reportProgress" && a.input.parentActivityId && a.samples.length === 3) {
        parentId = a.input.parentActivityId;
        h.recorder.afterWrite = undefined;
        await h.recorder.cancel(parentId, "Maintenance window", new Date(h.clock.now()));
      }
    };

    const { id } = (await h.ports.trigger.schedule(s.id, ADMIN)) as { id: string };
    await settle(h);

    expect(parentId).toBe(id);
    const parent = h.recorder.get(id);
    const children = h.recorder.children(id);
    expect(parent.status).toBe("Cancelled");
    expect(parent.message).toBe("Cancelled: Maintenance window");
    expect(firstGroup).toBeGreaterThan(1);
    expect(steps.length).toBeGreaterThan(firstGroup);
    expect(children).toHaveLength(firstGroup);
    expect(children.every((c) => c.status !== "InProgress")).toBe(true);
    expect(children.some((c) => c.status === "Cancelled")).toBe(true);
    // Writes already on their way may be refused; nothing is created or completed after the cancel.
    expect(h.recorder.rejected.filter((r) => r.op !== "reportProgress" && r.op !== "appendItems")).toEqual([]);
    expect(h.logs).toEqual([]);
  });

  it("a delta import cancelled part-way leaves the changes it did not read for the next delta import", async () => {
    const h = await makeEngine();
    const hires = Array.from({ length: 150 }, () => h.world.hire());
    let cancelled = false;
    h.recorder.afterWrite = async (op, a) => {
      if (op === "reportProgress" && a.samples.length === 3 && !cancelled) {
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
// The dispatcher
// ---------------------------------------------------------------------------------------------

describe("engine: dispatcher", () => {
  it("runs one run per lane at a time; queued runs of the lane start in order as it frees", async () => {
    const h = await makeEngine();
    emptyConnectorSpace(h.world, "ad");
    const order: [string, string][] = [];
    const release = holdFirstRun(h, (op, a) => {
      if (op === "start" || op === "complete") order.push([op, a.input.name]);
    });
    const trigger = async (runType: RunType) => {
      const p = profile(h.engine, "ad", runType);
      return ((await h.ports.trigger.runProfile(p.connectedSystemId, p.runProfileId, ADMIN)) as { id: string }).id;
    };
    const ids = [await trigger("FullImport"), await trigger("FullSynchronisation"), await trigger("Export")];
    // the first has the lane; the others wait, not started
    expect(h.recorder.get(ids[0]).startedAt).not.toBeNull();
    expect(ids.slice(1).map((id) => h.recorder.get(id).startedAt)).toEqual([null, null]);
    await h.engine.dispatch();
    expect(ids.slice(1).map((id) => h.recorder.get(id).startedAt)).toEqual([null, null]);
    release();
    await settle(h);
    const names = ids.map((id) => h.recorder.get(id).input.name);
    expect(order).toEqual([
      ["start", names[0]],
      ["complete", names[0]],
      ["start", names[1]],
      ["complete", names[1]],
      ["start", names[2]],
      ["complete", names[2]],
    ]);
    const runs = ids.map((id) => h.recorder.get(id));
    for (let i = 1; i < runs.length; i++) expect(runs[i].startedAt!).toBeGreaterThanOrEqual(runs[i - 1].endedAt!);
    expect(runs.every((r) => r.ownerInstanceId === "test-instance")).toBe(true);
  });

  it("runs of different lanes run side by side", async () => {
    const h = await makeEngine();
    emptyConnectorSpace(h.world, "hr");
    emptyConnectorSpace(h.world, "ad");
    const hr = profile(h.engine, "hr", "FullImport");
    const ad = profile(h.engine, "ad", "FullImport");
    const release = holdFirstRun(h);
    const a = (await h.ports.trigger.runProfile(hr.connectedSystemId, hr.runProfileId, ADMIN)) as { id: string };
    const b = (await h.ports.trigger.runProfile(ad.connectedSystemId, ad.runProfileId, ADMIN)) as { id: string };
    expect(h.recorder.get(b.id).startedAt).not.toBeNull();
    expect(h.recorder.get(a.id).status).toBe("InProgress");
    release();
    await settle(h);
    const [x, y] = [h.recorder.get(a.id), h.recorder.get(b.id)];
    expect(Math.max(x.startedAt!, y.startedAt!)).toBeLessThan(Math.min(x.endedAt!, y.endedAt!));
  });

  it("a second trigger of a run profile that is still queued returns the queued run", async () => {
    const h = await makeEngine();
    const imp = profile(h.engine, "snow", "FullImport");
    const sync = profile(h.engine, "snow", "FullSynchronisation");
    const release = holdFirstRun(h);
    await h.ports.trigger.runProfile(imp.connectedSystemId, imp.runProfileId, ADMIN);
    const first = (await h.ports.trigger.runProfile(sync.connectedSystemId, sync.runProfileId, ADMIN)) as {
      id: string;
      deduplicated: boolean;
    };
    const again = (await h.ports.trigger.runProfile(sync.connectedSystemId, sync.runProfileId, ADMIN)) as {
      id: string;
      deduplicated: boolean;
    };
    expect(first.deduplicated).toBe(false);
    expect(again).toEqual({ id: first.id, deduplicated: true });
    release();
    await settle(h);
    expect(h.recorder.list()).toHaveLength(2);
  });

  it("starts no queued run before the work it is held for has settled", async () => {
    const h = await makeEngine();
    let release!: () => void;
    h.engine.holdUntil(new Promise<void>((r) => (release = r)));
    const p = profile(h.engine, "hr", "DeltaImport");
    const queued = h.ports.trigger.runProfile(p.connectedSystemId, p.runProfileId, ADMIN) as Promise<{ id: string }>;
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    const only = h.recorder.list();
    expect(only).toHaveLength(1);
    expect(only[0].startedAt).toBeNull();
    release();
    const { id } = await queued;
    await settle(h);
    expect(h.recorder.get(id).status).not.toBe("InProgress");
  });

  it("with autorun, the schedules' timers start only once the history it is held for is written", async () => {
    const h = await makeEngine({ autorun: true });
    let release!: () => void;
    h.engine.holdUntil(new Promise<void>((r) => (release = r)));
    await h.engine.start();
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(h.store.nextRuns.size).toBe(0);
    const before = h.clock.now();
    release();
    for (let i = 0; i < 20 && h.store.nextRuns.size < 2; i++) await new Promise((r) => setImmediate(r));
    const delta = h.store.nextRuns.get(schedule(h, DELTA_CYCLE).id)!;
    // the first cycle fires seconds after the history, not behind it
    expect(delta.getTime() - before).toBeLessThanOrEqual(5000);
    expect(h.store.nextRuns.get(schedule(h, NIGHTLY).id)!.getTime()).toBeGreaterThan(delta.getTime());
    await h.engine.stop(100);
  });

  it("stop() ends the running runs Cancelled with the shutdown reason and starts nothing more", async () => {
    const h = await makeEngine();
    emptyConnectorSpace(h.world, "hr");
    // an activity this instance owns but does not run (e.g. left over): stop() ends it too
    const { id: orphan } = await h.recorder.create({ name: "orphan", targetType: "Certificate" }, ADMIN, {
      owner: { instanceId: "test-instance" },
    });
    let stopping: Promise<void> | null = null;
    h.recorder.afterWrite = (op, a) => {
      if (op === "reportProgress" && a.samples.length === 3 && !stopping) stopping = h.engine.stop(10_000);
    };
    const full = profile(h.engine, "hr", "FullImport");
    const delta = profile(h.engine, "hr", "DeltaImport");
    const running = (await h.ports.trigger.runProfile(full.connectedSystemId, full.runProfileId, ADMIN)) as {
      id: string;
    };
    const waiting = (await h.ports.trigger.runProfile(delta.connectedSystemId, delta.runProfileId, ADMIN)) as {
      id: string;
    };
    await h.engine.idle();
    expect(stopping).not.toBeNull();
    await stopping;
    const r = h.recorder.get(running.id);
    expect(r.status).toBe("Cancelled");
    expect(r.message).toBe("Cancelled: The server was shut down during the run");
    expect(r.items.length).toBeGreaterThan(0);
    expect(h.recorder.get(orphan)).toMatchObject({
      status: "Cancelled",
      message: "Cancelled: The server was shut down during the run",
    });
    // the queued run was not started, and nothing starts it now
    await h.engine.dispatch();
    expect(h.recorder.get(waiting.id)).toMatchObject({ status: "InProgress", startedAt: null });
    expect(h.logs).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Other activities
// ---------------------------------------------------------------------------------------------

describe("engine: other activities", () => {
  it("schema imports, data generation, certificates and configuration changes are recorded and end", async () => {
    const h = await makeEngine();
    for (const kind of OTHER_KINDS) {
      const id = await h.engine.triggerOther(kind, ADMIN);
      const a = h.recorder.get(id);
      expect(a.input.targetType).toBe(kind);
      expect(a.initiatedBy).toEqual(ADMIN);
      expect(a.status).not.toBe("InProgress");
      expect(a.ownerInstanceId).toBe("test-instance");
      expect(a.samples.length).toBeGreaterThan(0);
      if (a.status !== "FailedWithError") expect(a.objectsProcessed).toBe(a.objectsToProcess);
    }
  });

  it("demo intervals: the 15-minute cycle every 2.5 minutes, nightly every 15, never below a minute", () => {
    expect(demoIntervalMs(15)).toBe(150_000);
    expect(demoIntervalMs(1440)).toBe(15 * 60_000);
    expect(demoIntervalMs(1)).toBe(60_000);
    expect(DEMO_SCHEDULES.map((s) => s.name)).toEqual([DELTA_CYCLE, NIGHTLY]);
  });
});

// ---------------------------------------------------------------------------------------------
// The demo history
// ---------------------------------------------------------------------------------------------

/** Starts an engine on an empty in-memory store: it back-fills a week of history. */
async function withHistory(seed: number, scale = 1500, speed = 1) {
  const clock = new VirtualClock(NOW);
  const { ports, recorder, store, wake } = memoryPorts(clock);
  const logs: string[] = [];
  const { engine, history } = await startEngine(
    ports,
    { scale, seed, speed, autorun: false, demoHistory: true },
    { clock, log: (l) => logs.push(l) },
  );
  wake.dispatcher = () => engine.dispatch();
  const report = await history;
  await engine.stop(1000);
  return { engine, recorder, store, report: report!, logs };
}

/** Everything the store holds. */
const snapshot = (recorder: MemoryRecorder) => recorder.list().map((a) => ({ ...a }));

describe("engine: demo history", () => {
  let h: Awaited<ReturnType<typeof withHistory>>;
  let all: MemActivity[];
  let runs: MemActivity[];
  let schedules: MemActivity[];
  beforeAll(async () => {
    h = await withHistory(20261122);
    all = h.recorder.list();
    runs = all.filter((a) => a.input.targetType === "ConnectedSystemRunProfile");
    schedules = all.filter((a) => a.input.targetType === "Schedule");
  }, 120_000);

  it("back-fills a few hundred activities over the past week, all ended before now", () => {
    expect(all.length).toBe(h.report.activities);
    expect(all.length).toBeGreaterThanOrEqual(200);
    expect(all.length).toBeLessThanOrEqual(1500);
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
    // Written in history lanes of their own: the lists leave a run out while it is written, and no live
    // run waits behind it.
    for (const a of all) if (a.queueKey !== null) expect(a.queueKey.startsWith(HISTORY_LANE_PREFIX)).toBe(true);
    expect(all.filter((a) => a.queueKey !== null).length).toBeGreaterThan(all.length / 2);
    // Something happened on every day of the week.
    const days = new Set(all.map((a) => Math.floor((NOW - a.createdAt) / (24 * 3_600_000))));
    expect(days.size).toBeGreaterThanOrEqual(7);
    // The other target types appear too, by users and API keys.
    for (const t of ["SchemaImport", "Certificate", "ConfigurationChange", "DataGeneration"])
      expect(all.some((a) => a.input.targetType === t)).toBe(true);
    expect(new Set(all.map((a) => a.initiatedBy.type))).toEqual(new Set(["System", "User", "ApiKey"]));
  });

  it("logs the start and the back-fill in one line each", () => {
    expect(h.logs).toHaveLength(2);
    expect(
      h.logs.every((l) => !l.includes("\n")),
      JSON.stringify(h.logs),
    ).toBe(true);
    expect(h.logs.join(" ")).toMatch(/engine: 4 connected systems, 2 schedules, [\d,]+ HR records \(scale 1500\)/);
    expect(h.logs.join(" ")).toMatch(
      /demo history: \d+ activities \(\d+ runs, \d+ execution items\) over 7 days in [\d.]+ s/,
    );
  });

  it("includes both schedules, each execution a parent with its steps in order, groups side by side", () => {
    const byName = (n: string) => schedules.filter((s) => s.input.name === n);
    expect(byName(DELTA_CYCLE).length).toBeGreaterThanOrEqual(30);
    expect(byName(NIGHTLY).length).toBeGreaterThanOrEqual(6);
    for (const parent of schedules) {
      const steps = h.engine.scheduleSteps(parent.input.scheduleId!, null);
      const children = h.recorder.children(parent.id);
      if (parent.status === "Cancelled") expect(children.length).toBeLessThan(steps.length);
      else expect(children).toHaveLength(steps.length);
      children.forEach((c, i) => {
        expect(c.input.runProfileId).toBe(steps[i].runProfileId);
        expect(c.input.stepIndex).toBe(i + 1);
        expect(c.createdAt).toBeGreaterThanOrEqual(parent.createdAt);
        expect(c.endedAt!).toBeLessThanOrEqual(parent.endedAt!);
      });
      const groups = stepGroups(steps.slice(0, children.length)).map((g) =>
        g.map((x) => children[x.step.stepIndex - 1]),
      );
      for (let g = 1; g < groups.length; g++) {
        const previousEnd = Math.max(...groups[g - 1].map((c) => c.endedAt!));
        for (const c of groups[g]) expect(c.createdAt).toBeGreaterThanOrEqual(previousEnd);
      }
      if (parent.status !== "Cancelled") {
        expect(parent.status).toBe(summariseChildStatuses(children.map((c) => c.status)));
        expect(parent.counters).toEqual(sumCounters(children.map((c) => c.counters)));
      }
    }
  });

  it("has a plausible status mix: mostly complete, some errors and warnings, a few failures and cancellations", () => {
    const count = (list: MemActivity[], s: ActivityStatus) => list.filter((a) => a.status === s).length;
    expect(count(runs, "Complete") / runs.length).toBeGreaterThan(0.5);
    expect(count(runs, "CompleteWithError")).toBeGreaterThan(0);
    expect(count(runs, "CompleteWithWarning")).toBeGreaterThan(0);
    expect(count(runs, "FailedWithError")).toBeGreaterThan(0);
    expect(count(runs, "FailedWithError") / runs.length).toBeLessThan(0.1);
    expect(count(runs, "Cancelled")).toBeGreaterThan(0);
    expect(count(schedules, "Cancelled")).toBeGreaterThan(0);
    expect(count(schedules, "CompleteWithError")).toBeGreaterThan(0);
    expect(h.report.failed).toBe(count(all, "FailedWithError"));
    expect(h.report.cancelled).toBe(count(all, "Cancelled"));
  });

  it("ends every run with the status its errors and warnings give it, or a failure with its reason", () => {
    for (const a of runs) {
      if (a.status === "Cancelled") continue;
      if (a.status === "FailedWithError") {
        expect(a.errorMessage).toBeTruthy();
        expect(a.errorStackTrace).toBeTruthy();
        continue;
      }
      expect(a.errorMessage).toBeNull();
      const expected =
        a.counters.totalObjectErrors > 0
          ? "CompleteWithError"
          : a.warnings.length > 0
            ? "CompleteWithWarning"
            : "Complete";
      expect(a.status).toBe(expected);
    }
  });

  it("records the items of every run (retention purges them later), matching the counters", () => {
    for (const a of runs) expectConsistentRun(a);
    expect(runs.filter((a) => a.items.length > 0).length).toBeGreaterThan(runs.length / 2);
  });

  it("records every error type of seed 002 and the export classifications, each with a message, on the objects that failed", () => {
    const items = runs.flatMap((a) => a.items);
    const types = new Set(items.map((i) => i.errorType).filter((t) => t !== null));
    for (const t of ERROR_TYPES.slice(0, 6)) expect(types).toContain(t);
    for (const t of ["ConnectorConfigurationError", "DuplicateObject"]) expect(types).toContain(t);
    for (const t of types) expect(ERROR_TYPES).toContain(t);
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

  it("the store is not back-filled twice", async () => {
    const clock = new VirtualClock(NOW);
    const { ports, recorder } = memoryPorts(clock);
    await recorder.create({ name: "already here", targetType: "Certificate" }, ADMIN);
    const { engine, history } = await startEngine(
      ports,
      { scale: 300, autorun: false, demoHistory: true },
      {
        clock,
        log: () => undefined,
      },
    );
    expect(await history).toBeNull();
    await engine.stop(1000);
    expect(recorder.list()).toHaveLength(1);
  });
});

describe("engine: a demo history cut short", () => {
  /**
   * Top-level activities in order, as "what @ created": the plan names its schedule executions and
   * runs; the other kinds (certificates, schema imports, ...) get their names from the simulation.
   */
  const entries = (recorder: MemoryRecorder) =>
    recorder
      .list()
      .filter((a) => !a.input.parentActivityId)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((a) => {
        const planned = a.input.targetType === "Schedule" || a.input.targetType === "ConnectedSystemRunProfile";
        return `${planned ? a.input.name : a.input.targetType} @ ${new Date(a.createdAt).toISOString()}`;
      });

  it("is completed by the next start: every planned entry once, none twice, the mark completed", async () => {
    const whole = await withHistory(SEED, 300);
    expect(whole.store.historyMark?.completed).toBe(true);
    expect(whole.store.historyMark?.mark.written).toBe(whole.report.planned);

    // The first start dies (kill -9) at its 120th activity, in the middle of an entry.
    const clock = new VirtualClock(NOW);
    const { ports, recorder, store } = memoryPorts(clock);
    let creates = 0;
    // After it, nothing the process does reaches the store any more: every call hangs for good.
    const inner = ports.recorder;
    const dead = () => new Promise<never>(() => undefined);
    const alive = <T>(call: () => Promise<T>) => (creates >= 120 ? dead() : call());
    const dying: typeof ports = {
      ...ports,
      recorder: {
        create: (...a) => (++creates >= 120 ? dead() : inner.create(...a)),
        start: (...a) => alive(() => inner.start(...a)),
        reportProgress: (...a) => alive(() => inner.reportProgress(...a)),
        appendItems: (...a) => alive(() => inner.appendItems(...a)),
        complete: (...a) => alive(() => inner.complete(...a)),
        cancel: (...a) => alive(() => inner.cancel(...a)),
        shouldStop: (...a) => alive(() => inner.shouldStop(...a)),
      },
      store: Object.assign(Object.create(Object.getPrototypeOf(ports.store)), ports.store, {
        saveDemoHistory: (...a: Parameters<typeof ports.store.saveDemoHistory>) =>
          alive(() => ports.store.saveDemoHistory(...a)),
      }),
    };
    const first = await startEngine(
      dying,
      { scale: 300, seed: SEED, autorun: false, demoHistory: true },
      {
        clock,
        log: () => undefined,
      },
    );
    await vi.waitUntil(() => creates >= 120, { timeout: 60_000 });
    void first.engine.stop(0); // its history never settles: the process is gone
    expect(store.historyMark?.completed).toBe(false);
    const cut = store.historyMark!.mark.written;
    expect(cut).toBeGreaterThan(0);
    expect(cut).toBeLessThan(whole.report.planned);
    // What the sweep does at the next start: the runs of the dead process end Interrupted.
    for (const a of recorder.list())
      if (a.status === "InProgress") Object.assign(a, { status: "FailedWithError", endedAt: clock.now() });
    const before = entries(recorder);

    const logs: string[] = [];
    const second = await startEngine(
      ports,
      { scale: 300, seed: SEED, autorun: false, demoHistory: true },
      {
        clock,
        log: (l) => logs.push(l),
      },
    );
    const report = (await second.history)!;
    await second.engine.stop(1000);
    expect(report.planned).toBe(whole.report.planned);
    // The entry the kill cut off is not written again: the next one is where it resumed.
    expect(report.resumedAt).toBe(cut + 1);
    expect(logs.join("\n")).toMatch(/resumed at entry \d+ of \d+/);
    expect(store.historyMark).toMatchObject({ completed: true, mark: { written: whole.report.planned } });

    const after = entries(recorder);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(new Set(after).size).toBe(after.length);
    // The same plan: as many entries as the uninterrupted history, the same schedules and runs, the
    // entries before the cut exactly as they were.
    expect(after).toHaveLength(entries(whole.recorder).length);
    const names = (l: string[]) => l.map((e) => e.split(" @ ")[0]).sort();
    expect(names(after)).toEqual(names(entries(whole.recorder)));
    expect(before).toEqual(entries(whole.recorder).slice(0, before.length));
    expect(recorder.list().every((a) => a.status !== "InProgress")).toBe(true);

    // A third start finds the history complete and writes nothing.
    const third = await startEngine(
      ports,
      { scale: 300, seed: SEED, autorun: false, demoHistory: true },
      {
        clock,
        log: () => undefined,
      },
    );
    expect(await third.history).toBeNull();
    await third.engine.stop(1000);
    expect(entries(recorder)).toEqual(after);
  }, 180_000);
});

describe("engine: determinism", () => {
  it("the same seed gives the same history; another seed another one", async () => {
    const first = await withHistory(SEED, 300);
    const again = await withHistory(SEED, 300);
    expect(first.recorder.list().length).toBeGreaterThan(200);
    expect(first.report.items).toBeGreaterThan(0);
    expect(snapshot(again.recorder)).toEqual(snapshot(first.recorder));
    expect(again.report).toEqual(first.report);
    const other = await withHistory(SEED + 1, 300);
    expect(snapshot(other.recorder)).not.toEqual(snapshot(first.recorder));
  }, 120_000);

  it("the history runs at the engine's speed, so live runs are judged against runs as fast as they are", async () => {
    const medianRunMs = (h: Awaited<ReturnType<typeof withHistory>>) => {
      const ms = h.recorder
        .list()
        .filter((a) => a.input.targetType === "ConnectedSystemRunProfile" && a.status === "Complete")
        .map((a) => a.endedAt! - a.startedAt!)
        .sort((x, y) => x - y);
      return ms[Math.floor(ms.length / 2)];
    };
    const slow = medianRunMs(await withHistory(SEED, 300, 1));
    const fast = medianRunMs(await withHistory(SEED, 300, 4));
    expect(slow / fast).toBeGreaterThan(2.5);
    expect(slow / fast).toBeLessThan(6);
  }, 120_000);

  it("a back-filled step that ran beside others lasts as long as its own work, not the whole group's", async () => {
    const h = await withHistory(SEED, 300, 1);
    const steps = h.recorder
      .list()
      .filter((a) => a.input.parentActivityId && a.status === "Complete" && a.objectsProcessed > 0);
    const parents = new Set(steps.map((a) => a.input.parentActivityId));
    const sideBySide = steps.filter((a) =>
      steps.some(
        (b) => b !== a && b.input.parentActivityId === a.input.parentActivityId && b.startedAt === a.startedAt,
      ),
    );
    expect(parents.size, "schedule executions in the history").toBeGreaterThan(1);
    expect(sideBySide.length, "steps that started together").toBeGreaterThan(1);
    // at most 7 s of connecting and 60 ms an object (an export, the slowest kind) at speed 1
    for (const a of sideBySide) expect(a.endedAt! - a.startedAt!).toBeLessThanOrEqual(7000 + a.objectsProcessed * 60);
  }, 120_000);

  it("the back-fill can be run on its own against an engine that is not started", async () => {
    const h = await makeEngine({ seed: 7 });
    const report = await backfillHistory(h.engine, 1);
    expect(report.activities).toBe(h.recorder.list().length);
    expect(report.activities).toBeGreaterThan(5);
    expect(h.recorder.list().every((a) => a.status !== "InProgress")).toBe(true);
  });

  it("the same seed gives the same world and the same live runs", async () => {
    const live = async () => {
      const h = await makeEngine({ failureRate: 0.2, driftFactor: 6 });
      const s = schedule(h, DELTA_CYCLE);
      for (let i = 0; i < 3; i++) {
        await h.ports.trigger.schedule(s.id, SCHEDULER);
        await settle(h);
      }
      return { stats: h.world.stats(), activities: snapshot(h.recorder) };
    };
    const [x, y] = [await live(), await live()];
    expect(x.activities.length).toBe(3 * 8);
    expect(y).toEqual(x);
  }, 60_000);
});
