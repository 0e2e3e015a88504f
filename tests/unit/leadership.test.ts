/**
 * The scheduler lease with its fencing token (lib/repo/instances.ts), the claims it fences (a
 * queued run's start, a schedule's firing), the check of an instance's own runs against what its
 * engine drives (lib/services/leases.ts), and the engine's patience with store trouble
 * (lib/server/patient-recorder.ts). Against a real embedded store in this process.
 */
import { tempRoot, removeStore } from "./support/embedded-store";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InitiatedBy } from "@/lib/domain/activity";
import type { ActivityRecorder } from "@/lib/domain/recorder";
import { claimScheduleFire, ensureConfiguration, findScheduleNextRun, setScheduleNextRun } from "@/lib/repo/config";
import { acquireSchedulerLease, registerInstance, renewSchedulerLease } from "@/lib/repo/instances";
import { getActivity } from "@/lib/services/activities";
import { endUndrivenRuns } from "@/lib/services/leases";
import { activityRecorder as recorder } from "@/lib/services/recorder";
import { patientRecorder } from "@/lib/server/patient-recorder";

const SYSTEM: InitiatedBy = { type: "System", id: null, name: "test" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let scheduleId: number;
let system: { id: number; runProfile: number };

beforeAll(async () => {
  const config = await ensureConfiguration(
    [
      {
        name: "HR",
        kind: "HrSource",
        description: "HR",
        externalIdAttribute: "employeeId",
        objectTypes: ["person"],
        runProfiles: [{ name: "Full Import", runType: "FullImport" }],
      },
    ],
    [{ name: "Nightly", description: "", intervalMinutes: 1440, steps: [] }],
  );
  system = { id: config.systems[0].id, runProfile: config.systems[0].runProfiles[0].id };
  scheduleId = config.schedules[0].id;
  for (const id of ["a", "b"]) await registerInstance({ id, host: "test", pid: 1, at: new Date() });
}, 60_000);
afterAll(() => removeStore());

describe("scheduler lease", () => {
  it("is held by one instance until it expires; each takeover has a new fencing token", async () => {
    const a = await acquireSchedulerLease("a", 300);
    expect(a).not.toBeNull();
    expect(await acquireSchedulerLease("b", 300)).toBeNull();
    expect(await renewSchedulerLease(a!, 300)).toBe(true);
    await sleep(450);
    // a froze past its term: b takes over, and a's renewal is refused from then on.
    const b = await acquireSchedulerLease("b", 60_000);
    expect(b).not.toBeNull();
    expect(BigInt(b!.token)).toBeGreaterThan(BigInt(a!.token));
    expect(await renewSchedulerLease(a!, 60_000)).toBe(false);
    expect(await acquireSchedulerLease("a", 60_000)).toBeNull();
    // The embedded store's only process takes it at once (a lease left by a killed process).
    const forced = await acquireSchedulerLease("a", 60_000, true);
    expect(BigInt(forced!.token)).toBeGreaterThan(BigInt(b!.token));
    expect(await renewSchedulerLease(b!, 60_000)).toBe(false);
    // There, a renewal held up past the term is still the holder's own; never another fence's.
    const sole = await acquireSchedulerLease("a", 100, true);
    await sleep(250);
    expect(await renewSchedulerLease(sole!, 60_000)).toBe(false);
    expect(await renewSchedulerLease(sole!, 60_000, true)).toBe(true);
    expect(await renewSchedulerLease(forced!, 60_000, true)).toBe(false);
  });

  it("fences the start of a queued run: a stale holder starts nothing", async () => {
    const stale = (await acquireSchedulerLease("a", 60_000, true))!;
    const current = (await acquireSchedulerLease("b", 60_000, true))!;
    const { id } = await recorder.create(
      {
        name: "queued",
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: system.id,
        runProfileId: system.runProfile,
      },
      SYSTEM,
      { queue: { key: `cs:${system.id}` } },
    );
    expect(await recorder.start(id, { instanceId: "a", fence: stale })).toBe(false);
    expect((await getActivity(id)).started).toBeNull();
    expect(await recorder.start(id, { instanceId: "b", fence: current })).toBe(true);
    await recorder.cancel(id, "test over");
  });

  it("fences a schedule's firing, and fires it once: only while it is still due, only by the holder", async () => {
    const stale = (await acquireSchedulerLease("a", 60_000, true))!;
    const holder = (await acquireSchedulerLease("b", 60_000, true))!;
    const due = new Date(Date.UTC(2026, 0, 1, 2));
    const next = new Date(Date.UTC(2026, 0, 2, 2));
    await setScheduleNextRun(scheduleId, due);
    expect(await claimScheduleFire(scheduleId, due, next, stale)).toBe(false);
    expect(await claimScheduleFire(scheduleId, due, next, holder)).toBe(true);
    // The same firing again (a second holder's view from before): refused, the time moved on.
    expect(await claimScheduleFire(scheduleId, due, next, holder)).toBe(false);
    expect(await findScheduleNextRun(scheduleId)).toEqual(next);
  });
});

describe("an instance's own runs", () => {
  it("those its engine no longer drives end Interrupted; driven ones and others' are left alone", async () => {
    const make = async (owner: string) =>
      (
        await recorder.create(
          {
            name: `run of ${owner}`,
            targetType: "ConnectedSystemRunProfile",
            connectedSystemId: system.id,
            runProfileId: system.runProfile,
          },
          SYSTEM,
          { owner: { instanceId: owner, lane: `cs:${system.id}` } },
        )
      ).id;
    const lost = await make("a");
    const driven = await make("a");
    const others = await make("b");
    expect(await endUndrivenRuns("a", (id) => id === driven)).toBe(1);
    const ended = await getActivity(lost);
    expect(ended.status).toBe("FailedWithError");
    expect(ended.errorMessage).toMatch(/^Interrupted: the server lost track of the run/);
    expect((await getActivity(driven)).status).toBe("InProgress");
    expect((await getActivity(others)).status).toBe("InProgress");
    for (const id of [driven, others]) await recorder.cancel(id, "test over");
  });
});

describe("patientRecorder", () => {
  const down = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5499"), { code: "ECONNREFUSED" });
  const full = Object.assign(new Error("could not extend file: No space left on device"), { code: "53100" });

  function flaky(failures: Error[]) {
    const calls: string[] = [];
    const inner = {
      async reportProgress(id: string) {
        calls.push(id);
        const e = failures.shift();
        if (e) throw e;
      },
    } as unknown as ActivityRecorder;
    return { inner, calls };
  }

  it("waits out an unreachable or full store and goes on where it was, saying so once", async () => {
    const { inner, calls } = flaky([down, down, full]);
    const lines: string[] = [];
    const patient = patientRecorder(inner, {
      stopped: () => false,
      log: (l) => lines.push(l),
      sleep: async () => undefined,
    });
    await patient.reportProgress("x", {});
    expect(calls).toEqual(["x", "x", "x", "x"]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/not reachable: runs pause/);
    expect(lines[1]).toMatch(/takes writes again .*: runs resume/);
  });

  it("passes any other refusal on at once, and gives up waiting when the engine stops", async () => {
    const conflict = Object.assign(new Error("Activity x has already ended"), {
      isSyncwatchError: true,
      code: "CONFLICT",
    });
    const { inner } = flaky([conflict]);
    const patient = patientRecorder(inner, {
      stopped: () => false,
      log: () => undefined,
      sleep: async () => undefined,
    });
    await expect(patient.reportProgress("x", {})).rejects.toBe(conflict);
    let stopped = false;
    const { inner: stuck, calls } = flaky([down, down, down, down]);
    const lines: string[] = [];
    const giving = patientRecorder(stuck, {
      stopped: () => stopped,
      log: (l) => lines.push(l),
      sleep: async () => void (stopped = calls.length >= 2),
    });
    await expect(giving.reportProgress("y", {})).rejects.toBe(down);
    expect(calls.length).toBe(3);
    // Given up is not taken: the log does not claim that the store takes writes again.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/runs pause/);
  });
});

void tempRoot;
