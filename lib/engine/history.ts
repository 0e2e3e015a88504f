/**
 * Demo history: a week of past activity written through the recorder with past timestamps:
 * schedule executions with their steps, manual runs by users and API keys, a few failures and
 * cancellations, and the other target types. Every run records its execution items (so failures
 * are tracked across runs); retention then purges those beyond the last runs of each profile.
 *
 * It is written entry by entry of a plan, and the store keeps where it stands (a DemoHistoryMark)
 * after each: a process killed half-way is completed by the next start, which rebuilds the same plan
 * (from the week's end kept in the mark, and the seed) and writes only the entries not written yet.
 * The entry the kill cut off is not written again (its runs that ended stay; the start's sweep ended
 * the others Interrupted), so no run is there twice. The resumed part is as plausible as the rest,
 * not the same as an uninterrupted back-fill would have written (the simulated world restarts).
 */
import { HISTORY_LANE_PREFIX, type InitiatedBy, type NewActivity } from "@/lib/domain/activity";
import type { ActivityRecorder } from "@/lib/domain/recorder";
import type { DemoHistoryMark } from "@/lib/domain/configuration";
import type { PlannedStep } from "@/lib/domain/schedule";
import { DELTA_CYCLE, NIGHTLY, type EngineConfig } from "./demo-config";
import { ADMIN_USERS, API_KEYS } from "./names";
import { executeOther, OTHER_KINDS, type OtherKind } from "./other";
import type { Rng } from "./random";
import {
  activityName,
  executeRunProfile,
  executeSchedule,
  VirtualClock,
  type Clock,
  type RunContext,
  type RunTarget,
  type ScheduleStepTarget,
} from "./runner";
import type { World } from "./world";

/** What the back-fill needs of the engine. */
export interface HistoryHost {
  rng: Rng;
  clock: Clock;
  config: EngineConfig;
  world: World;
  ports: { recorder: ActivityRecorder; instanceId: string };
  runContext(): RunContext;
  runTarget(connectedSystemId: number, runProfileId: number): RunTarget;
  scheduleSteps(scheduleId: number, planned: PlannedStep[] | null): ScheduleStepTarget[];
}

export interface HistoryReport {
  /** Entries of the plan (schedule executions, runs, other activities) and where this back-fill began. */
  planned: number;
  resumedAt: number | null;
  activities: number;
  runs: number;
  items: number;
  failed: number;
  cancelled: number;
}

type Planned =
  | { at: number; kind: "schedule"; scheduleId: number; by: InitiatedBy; cancelAfterSteps?: number; failStep?: number }
  | {
      at: number;
      kind: "run";
      connectedSystemId: number;
      runProfileId: number;
      by: InitiatedBy;
      cancelAtFraction?: number;
    }
  | { at: number; kind: "other"; other: OtherKind; by: InitiatedBy };

const HOUR = 3_600_000;

/** Where a back-fill resumes, and where it keeps how far it got (both optional: a script needs neither). */
export interface HistoryJournal {
  /** The mark of a back-fill a kill cut short, and when the entry it cut off created its last activity. */
  resume?: { mark: DemoHistoryMark; cutOffAt: Date | null } | null;
  save?(mark: DemoHistoryMark, completed: boolean): Promise<void>;
}

export async function backfillHistory(
  engine: HistoryHost,
  days: number,
  journal: HistoryJournal = {},
): Promise<HistoryReport> {
  const resume = journal.resume ?? null;
  if (resume) days = resume.mark.days;
  const rng = engine.rng.fork(7);
  const end = resume ? resume.mark.endsAt.getTime() : engine.clock.now() - 10 * 60_000;
  const start = end - days * 24 * HOUR;
  const { config, world } = engine;
  const delta = config.schedules.find((s) => s.name === DELTA_CYCLE);
  const nightly = config.schedules.find((s) => s.name === NIGHTLY);
  const scheduler = (id: number): InitiatedBy => ({ type: "System", id: String(id), name: "Scheduler" });
  const person = (): InitiatedBy => {
    if (rng.chance(0.7)) {
      const u = rng.pick(ADMIN_USERS);
      return { type: "User", id: u.id, name: u.name };
    }
    const k = rng.pick(API_KEYS);
    return { type: "ApiKey", id: k.id, name: k.name };
  };

  // ---- the plan ----
  const plan: Planned[] = [];
  if (delta)
    for (let t = start + 20 * 60_000; t < end - HOUR; t += 4 * HOUR + rng.int(-10, 10) * 60_000)
      plan.push({ at: t, kind: "schedule", scheduleId: delta.id, by: scheduler(delta.id) });
  if (nightly) {
    const firstNight = Math.ceil(start / (24 * HOUR)) * 24 * HOUR + 2 * HOUR;
    for (let t = firstNight; t < end - HOUR; t += 24 * HOUR)
      plan.push({ at: t, kind: "schedule", scheduleId: nightly.id, by: scheduler(nightly.id) });
  }
  for (let d = 0; d < days; d++) {
    const dayStart = Math.floor(start / (24 * HOUR)) * 24 * HOUR + (d + 1) * 24 * HOUR;
    for (let i = rng.int(2, 5); i > 0; i--) {
      const at = dayStart + rng.int(8 * 60, 18 * 60) * 60_000;
      if (at >= end || at <= start) continue;
      const cs = rng.pick(config.systems);
      const rp = rng.pick(cs.runProfiles);
      plan.push({ at, kind: "run", connectedSystemId: cs.id, runProfileId: rp.id, by: person() });
    }
    for (let i = rng.int(2, 4); i > 0; i--) {
      const at = dayStart + rng.int(7 * 60, 19 * 60) * 60_000;
      if (at >= end || at <= start) continue;
      plan.push({ at, kind: "other", other: rng.pick(OTHER_KINDS), by: person() });
    }
  }
  plan.sort((a, b) => a.at - b.at);
  // A few cancellations and a broken connector, spread over the week.
  const schedules = plan.filter((p): p is Extract<Planned, { kind: "schedule" }> => p.kind === "schedule");
  const manual = plan.filter((p): p is Extract<Planned, { kind: "run" }> => p.kind === "run");
  if (schedules.length > 10) {
    schedules[Math.floor(schedules.length * 0.3)].cancelAfterSteps = 3;
    schedules[Math.floor(schedules.length * 0.75)].cancelAfterSteps = 2;
    const n = schedules.filter((s) => s.scheduleId === nightly?.id);
    if (n.length > 2) n[Math.floor(n.length / 2)].failStep = 2; // AD full import: LDAP server unavailable
  }
  if (manual.length > 6) {
    manual[Math.floor(manual.length * 0.2)].cancelAtFraction = 0.4;
    manual[Math.floor(manual.length * 0.6)].cancelAtFraction = 0.5;
  }

  // ---- run it on a virtual clock ----
  // Resumed: from the entry after the last one written, or after the one the kill cut off.
  const from = resume ? resume.mark.written + (resume.cutOffAt ? 1 : 0) : 0;
  const clock = new VirtualClock(
    resume ? Math.max(resume.mark.clockAt.getTime(), resume.cutOffAt?.getTime() ?? 0) : start,
  );
  const mark = (written: number): DemoHistoryMark => ({
    endsAt: new Date(end),
    days,
    written,
    clockAt: new Date(clock.now()),
  });
  // Kept before the first activity is written: a kill from here on is completed by the next start.
  await journal.save?.(mark(from), false);
  world.lastAdvance = start;
  const counting = countingRecorder(engine.ports.recorder);
  const base: RunContext = {
    ...engine.runContext(),
    recorder: counting.recorder,
    clock,
    rng,
    // The history runs at the engine's speed: live runs are then judged (usual duration, ETA from
    // earlier runs) against runs as fast as themselves, not against runs SYNCWATCH_SPEED times slower.
    driftFactor: 1,
    maxSamples: 2,
    writeItems: true,
    backfill: true,
    stopReason: () => null,
  };
  /**
   * Started at once in a history lane of its own ("history:cs:3"): the lists leave it out while it is
   * written (it would say "in progress for 93 h"), and a live run never waits behind it.
   */
  const startNow = async (input: NewActivity, by: InitiatedBy, lane: string) =>
    (
      await counting.recorder.create(input, by, {
        at: new Date(clock.now()),
        owner: { instanceId: engine.ports.instanceId, lane: `${HISTORY_LANE_PREFIX}${lane}` },
      })
    ).id;
  const report: HistoryReport = {
    planned: plan.length,
    resumedAt: resume ? from : null,
    activities: 0,
    runs: 0,
    items: 0,
    failed: 0,
    cancelled: 0,
  };
  for (let i = from; i < plan.length; i++) {
    // The previous entry is written: a kill from here on resumes with this one.
    if (i > from) await journal.save?.(mark(i), false);
    const p = plan[i];
    clock.t = Math.max(clock.t + 1000, p.at);
    if (p.kind === "other") {
      await executeOther(
        { recorder: counting.recorder, clock, rng, speed: base.speed, instanceId: engine.ports.instanceId },
        p.other,
        p.by,
        config.systems.map((s) => s.name),
      );
      continue;
    }
    if (p.kind === "run") {
      const target = engine.runTarget(p.connectedSystemId, p.runProfileId);
      const id = await startNow(
        {
          name: activityName(target),
          targetType: "ConnectedSystemRunProfile",
          connectedSystemId: target.connectedSystemId,
          runProfileId: target.runProfileId,
          message: "Starting",
        },
        p.by,
        `cs:${target.connectedSystemId}`,
      );
      await executeRunProfile({ ...base, cancelAtFraction: p.cancelAtFraction }, id, target);
      report.runs++;
      continue;
    }
    const schedule = config.schedules.find((s) => s.id === p.scheduleId)!;
    const steps = engine.scheduleSteps(p.scheduleId, null);
    const id = await startNow(
      { name: schedule.name, targetType: "Schedule", scheduleId: schedule.id, message: "Starting" },
      p.by,
      `schedule:${schedule.id}`,
    );
    await executeSchedule(base, id, steps, {
      cancelAfterSteps: p.cancelAfterSteps,
      runStep: async (step, stepClock) => {
        const childId = await startNow(
          {
            name: activityName(step),
            targetType: "ConnectedSystemRunProfile",
            connectedSystemId: step.connectedSystemId,
            runProfileId: step.runProfileId,
            parentActivityId: id,
            stepIndex: step.step.stepIndex,
          },
          p.by,
          `cs:${step.connectedSystemId}`,
        );
        report.runs++;
        const ctx = { ...base, clock: stepClock };
        return executeRunProfile(
          p.failStep === step.step.stepIndex - 1 ? { ...ctx, forceFailure: "connect" } : ctx,
          childId,
          step,
        );
      },
    });
  }
  await journal.save?.(mark(plan.length), true);
  world.lastAdvance = Math.max(world.lastAdvance, clock.now());
  report.activities = counting.created;
  report.items = counting.items;
  report.failed = counting.failed;
  report.cancelled = counting.cancelled;
  return report;
}

function countingRecorder(inner: ActivityRecorder) {
  const state = { created: 0, items: 0, failed: 0, cancelled: 0 };
  const recorder: ActivityRecorder = {
    create: async (input, by, opts) => {
      state.created++;
      return inner.create(input, by, opts);
    },
    start: (id, opts) => inner.start(id, opts),
    reportProgress: (id, p, at) => inner.reportProgress(id, p, at),
    appendItems: async (id, items, at) => {
      const r = await inner.appendItems(id, items, at);
      state.items += r.inserted;
      return r;
    },
    complete: async (id, r, at) => {
      const status = await inner.complete(id, r, at);
      if (status === "FailedWithError") state.failed++;
      return status;
    },
    cancel: async (id, reason, at) => {
      await inner.cancel(id, reason, at);
      state.cancelled++;
    },
    shouldStop: (id) => inner.shouldStop(id),
  };
  return {
    recorder,
    get created() {
      return state.created;
    },
    get items() {
      return state.items;
    },
    get failed() {
      return state.failed;
    },
    get cancelled() {
      return state.cancelled;
    },
  };
}
