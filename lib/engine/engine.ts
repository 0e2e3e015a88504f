/**
 * The run engine: the simulated world, the dispatcher that starts queued runs when their lane is
 * free, the scheduler's timers, and shutdown. It reaches the store only through its ports
 * (./ports.ts, wired by the server runtime). One instance runs it at a time (the scheduler lease).
 */
import type { InitiatedBy } from "@/lib/domain/activity";
import { NotFoundError } from "@/lib/domain/errors";
import { uuidv7 } from "@/lib/domain/ids";
import type { ActivityRecorder } from "@/lib/domain/recorder";
import { demoFiringIntervalMs, type PlannedStep } from "@/lib/domain/schedule";
import { DEMO_SCHEDULES, DEMO_SYSTEMS, DELTA_CYCLE, withKeys, type EngineConfig } from "./demo-config";
import { ADMIN_USERS, API_KEYS } from "./names";
import { executeOther, OTHER_KINDS, type OtherKind } from "./other";
import type { EnginePorts } from "./ports";
import { Rng } from "./random";
import {
  activityName,
  executeRunProfile,
  executeSchedule,
  realClock,
  type Clock,
  type RunContext,
  type RunResult,
  type RunTarget,
  type ScheduleStepTarget,
} from "./runner";
import { World } from "./world";

export interface EngineOptions {
  /** Schedules fire on their own timers. */
  autorun: boolean;
  /** Back-fill a week of history when the store has no activities. */
  demoHistory: boolean;
  /** People in the HR source (the other systems follow). */
  scale: number;
  speed: number;
  seed: number;
  /** Probability that a run fails as a whole (broken connector). */
  failureRate: number;
  /** Simulated minutes of drift per real minute in live mode (the 15-minute cycle runs every 2.5 minutes). */
  driftFactor: number;
  historyDays: number;
}

export const DEFAULT_OPTIONS: EngineOptions = {
  autorun: true,
  demoHistory: true,
  scale: 1500,
  speed: 1,
  seed: 20261122,
  failureRate: 0.025,
  driftFactor: 6,
  historyDays: 7,
};

export const SCHEDULER: InitiatedBy = { type: "System", id: null, name: "Scheduler" };

/** Real-time interval of a schedule in the demo: 15 min → 2.5 min, nightly → 15 min. */
export const demoIntervalMs = demoFiringIntervalMs;

const DISPATCH_POLL_MS = 2000;

/**
 * The recorder, noting which activities are being written: from before their creation (with an
 * id chosen here) or start, until their completion or cancellation here.
 */
function drivenBy(inner: ActivityRecorder, driving: Set<string>): ActivityRecorder {
  const until = async <T>(id: string, work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } finally {
      driving.delete(id);
    }
  };
  return {
    async create(input, by, opts = {}) {
      const owned = opts.owner !== undefined;
      const id = opts.id ?? uuidv7(opts.at?.getTime());
      if (owned) driving.add(id);
      try {
        return await inner.create(input, by, { ...opts, id });
      } catch (e) {
        driving.delete(id);
        throw e;
      }
    },
    async start(id, opts) {
      driving.add(id);
      const started = await inner.start(id, opts).catch((e) => {
        driving.delete(id);
        throw e;
      });
      if (!started) driving.delete(id);
      return started;
    },
    reportProgress: (id, p, at) => inner.reportProgress(id, p, at),
    appendItems: (id, items, at) => inner.appendItems(id, items, at),
    complete: (id, r, at) => until(id, inner.complete(id, r, at)),
    cancel: (id, reason, at) => until(id, inner.cancel(id, reason, at)),
    shouldStop: (id) => inner.shouldStop(id),
  };
}
const SHUTDOWN_REASON = "The server was shut down during the run";

export class SimulationEngine {
  readonly options: EngineOptions;
  readonly clock: Clock;
  readonly rng: Rng;
  world!: World;
  config!: EngineConfig;
  private readonly log: (line: string) => void;
  private readonly running = new Map<string, Promise<RunResult>>();
  private timers: NodeJS.Timeout[] = [];
  private stopping: string | null = null;
  /** The dispatch under way; a call meanwhile asks it for one more pass and shares its promise. */
  private dispatching: Promise<void> | null = null;
  private dispatchAgain = false;
  /** Queued runs wait until this settles (the demo history is written first). */
  private held: Promise<unknown> | null = null;

  readonly ports: EnginePorts;
  /** Activities this engine writes now (runs, steps, history, other kinds), or is claiming. */
  private readonly driving = new Set<string>();

  constructor(
    ports: EnginePorts,
    options: Partial<EngineOptions> = {},
    deps: { clock?: Clock; log?: (line: string) => void } = {},
  ) {
    // Every activity this engine creates or starts is known as driven until it ends here, so the
    // server can tell the runs it owns that nobody drives any more (drives()).
    this.ports = { ...ports, recorder: drivenBy(ports.recorder, this.driving) };
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.clock = deps.clock ?? realClock;
    this.log = deps.log ?? ((l) => console.log(l));
    this.rng = new Rng(this.options.seed ^ 0x5bd1e995);
  }

  /** Stores the configuration and builds the world. */
  async init(): Promise<void> {
    this.config = withKeys(await this.ports.store.ensureConfiguration(DEMO_SYSTEMS, DEMO_SCHEDULES));
    this.world = new World(this.options.seed, this.options.scale, this.clock.now());
  }

  /** The context live runs use. */
  runContext(overrides: Partial<RunContext> = {}): RunContext {
    return {
      recorder: this.ports.recorder,
      clock: this.clock,
      world: this.world,
      rng: this.rng,
      speed: this.options.speed,
      driftFactor: this.options.driftFactor,
      failureRate: this.options.failureRate,
      writeItems: true,
      stopReason: () => this.stopping,
      log: this.log,
      ...overrides,
    };
  }

  runTarget(connectedSystemId: number, runProfileId: number): RunTarget {
    const cs = this.config.systems.find((s) => s.id === connectedSystemId);
    if (!cs) throw new NotFoundError(`Connected system ${connectedSystemId} does not exist.`, { connectedSystemId });
    const rp = cs.runProfiles.find((r) => r.id === runProfileId);
    if (!rp)
      throw new NotFoundError(`Run profile ${runProfileId} does not exist on connected system ${connectedSystemId}.`, {
        connectedSystemId,
        runProfileId,
      });
    return {
      systemKey: cs.key,
      connectedSystemId: cs.id,
      connectedSystemName: cs.name,
      runProfileId: rp.id,
      runProfileName: rp.name,
      runType: rp.runType,
    };
  }

  /** The steps of a schedule execution as planned when it was created (or as configured now). */
  scheduleSteps(scheduleId: number, planned: PlannedStep[] | null): ScheduleStepTarget[] {
    const schedule = this.config.schedules.find((s) => s.id === scheduleId);
    if (!schedule && !planned?.length)
      throw new NotFoundError(`Schedule ${scheduleId} does not exist.`, { scheduleId });
    const plan: PlannedStep[] = planned?.length
      ? planned
      : schedule!.steps.map((st, i) => {
          const t = this.runTarget(st.connectedSystemId, st.runProfileId);
          return { stepIndex: i + 1, name: activityName(t), ...t, parallelGroup: st.parallelGroup };
        });
    return plan.map((step) => ({ ...this.runTarget(step.connectedSystemId, step.runProfileId), step }));
  }

  // ---------- the dispatcher ----------

  /**
   * Starts queued runs whose lane is free (oldest first); called on triggers, on ends, and every 2 s.
   * Resolves when the runs queued before the call have had their chance to start.
   */
  dispatch(): Promise<void> {
    if (this.stopping || !this.leading()) return Promise.resolve();
    if (this.dispatching) {
      this.dispatchAgain = true;
      return this.dispatching;
    }
    this.dispatching = this.dispatchQueued().finally(() => {
      this.dispatching = null;
      // A call that came after the last pass looked, but before this settled, still gets its pass.
      if (this.dispatchAgain && !this.stopping) void this.dispatch();
    });
    return this.dispatching;
  }

  private async dispatchQueued(): Promise<void> {
    if (this.held) {
      await this.held;
      this.held = null;
    }
    try {
      do {
        this.dispatchAgain = false;
        const [queued, busy] = await Promise.all([this.ports.store.queued(), this.ports.store.busyLanes()]);
        for (const q of queued) {
          if (this.stopping || !this.leading() || busy.has(q.queueKey)) continue;
          busy.add(q.queueKey);
          const fence = this.ports.leadership?.fence() ?? null;
          const at = new Date(this.clock.now());
          if (await this.ports.recorder.start(q.id, { instanceId: this.ports.instanceId, at, fence }))
            this.execute(q.id);
        }
      } while (this.dispatchAgain && !this.stopping && this.leading());
    } catch (e) {
      this.log(
        `[syncwatch] engine: dispatch failed (retried in ${DISPATCH_POLL_MS / 1000} s): ${(e as Error)?.message ?? e}`,
      );
    }
  }

  /** Runs a started activity in the background; the dispatcher looks again when it ends. */
  private execute(id: string): void {
    const work = this.run(id).catch((e): RunResult => {
      this.log(`[syncwatch] engine: run ${id} failed: ${(e as Error)?.message ?? e}`);
      return { status: "FailedWithError", counters: {} as RunResult["counters"], objectsProcessed: 0 };
    });
    this.running.set(id, work);
    void work.finally(() => {
      this.running.delete(id);
      this.driving.delete(id);
      void this.dispatch();
    });
  }

  private async run(id: string): Promise<RunResult> {
    const a = await this.readRun(id);
    if (!a) throw new Error(`activity ${id} vanished`);
    if (a.targetType === "Schedule" && a.scheduleId !== null) {
      const steps = this.scheduleSteps(a.scheduleId, a.plannedSteps);
      return executeSchedule(this.runContext(), id, steps, { runStep: (s) => this.runStep(id, s) });
    }
    if (a.connectedSystemId === null || a.runProfileId === null) throw new Error(`activity ${id} names no run profile`);
    return executeRunProfile(this.runContext(), id, this.runTarget(a.connectedSystemId, a.runProfileId));
  }

  /** One step of a schedule: a child queued in its system's lane, run by the dispatcher. */
  private async runStep(parentId: string, s: ScheduleStepTarget): Promise<RunResult> {
    const { id } = await this.ports.recorder.create(
      {
        name: activityName(s),
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: s.connectedSystemId,
        runProfileId: s.runProfileId,
        parentActivityId: parentId,
        stepIndex: s.step.stepIndex,
        message: "Queued",
      },
      SCHEDULER,
      { at: new Date(this.clock.now()), queue: { key: `cs:${s.connectedSystemId}` } },
    );
    await this.dispatch(); // usually starts the step here, so awaitRun finds it running locally at once
    return this.awaitRun(id);
  }

  /** Resolves when the activity ended: at once when this process ran it, else by looking (another instance may). */
  private async awaitRun(id: string): Promise<RunResult> {
    for (;;) {
      const local = this.running.get(id);
      if (local) return local;
      if (this.stopping) return { status: "Cancelled", counters: {} as RunResult["counters"], objectsProcessed: 0 };
      const a = await this.readRun(id);
      if (!a || a.status !== "InProgress")
        return {
          status: a?.status ?? "Cancelled",
          counters: a?.counters ?? ({} as RunResult["counters"]),
          objectsProcessed: a?.objectsProcessed ?? 0,
        };
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /**
   * A run as stored, read again until the store answers: a run in flight waits out a store
   * outage like its writes do (the recorder's), instead of failing on the first refused read.
   */
  private async readRun(id: string) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.ports.store.run(id);
      } catch (e) {
        if (this.stopping) throw e;
        if (attempt % 30 === 0)
          this.log(`[syncwatch] engine: run ${id} could not be read (retrying): ${(e as Error)?.message ?? e}`);
        await new Promise((r) => setTimeout(r, Math.min(5000, 500 * 2 ** attempt)));
      }
    }
  }

  // ---------- the scheduler ----------

  /** Schedules on their demo timers (the next fire time is stored), and now and then something manual. */
  async startAutorun(): Promise<void> {
    await this.planNextRuns();
    const tick = setInterval(() => void this.fireDue(), 1000);
    tick.unref?.();
    this.timers.push(tick);
    const manual = () => {
      const t = setTimeout(
        () => {
          if (this.stopping) return;
          if (!this.leading()) return manual();
          if (this.rng.chance(0.5))
            void this.triggerOther().catch((e) => this.log(`[syncwatch] engine: ${(e as Error).message}`));
          else {
            const cs = this.rng.pick(this.config.systems);
            const rp = this.rng.pick(cs.runProfiles);
            void this.ports.trigger.runProfile(cs.id, rp.id, this.randomPerson()).catch(() => undefined);
          }
          manual();
        },
        180_000 + this.rng.next() * 240_000,
      );
      t.unref?.();
      this.timers.push(t);
    };
    manual();
  }

  private async fireDue(): Promise<void> {
    const now = this.clock.now();
    for (const s of this.config.schedules) {
      if (!s.enabled || !s.nextRunAt || s.nextRunAt.getTime() > now || this.stopping || !this.leading()) continue;
      const next = new Date(now + demoIntervalMs(s.intervalMinutes));
      try {
        // Fired once, by the lease holder: a claim refused means another instance fired it, or
        // this one lost the lease; either way the stored time is the one to follow.
        if (!(await this.ports.store.claimScheduleFire(s.id, s.nextRunAt, next))) {
          s.nextRunAt = await this.ports.store.nextRunOf(s.id);
          continue;
        }
        s.nextRunAt = next;
        await this.ports.trigger.schedule(s.id, { ...SCHEDULER, id: String(s.id) });
      } catch (e) {
        this.log(`[syncwatch] engine: schedule ${s.name} could not start: ${(e as Error)?.message ?? e}`);
      }
    }
  }

  private leading(): boolean {
    return this.ports.leadership?.leading() ?? true;
  }

  /** Whether this engine writes the activity now: the others this instance owns are nobody's. */
  drives(id: string): boolean {
    return this.driving.has(id) || this.running.has(id);
  }

  /**
   * This instance holds the scheduler lease again (or for the first time since the engine
   * started): the schedules' next runs are read back from the store, where another holder may
   * have moved them, and the queue is looked at.
   */
  async resumeLeadership(): Promise<void> {
    if (this.options.autorun) await this.planNextRuns();
    else for (const s of this.config.schedules) s.nextRunAt = await this.ports.store.nextRunOf(s.id);
    void this.dispatch();
  }

  /** Each enabled schedule's next run: the stored one while it is ahead, else soon (the delta cycle in 4 s). */
  private async planNextRuns(): Promise<void> {
    const now = this.clock.now();
    for (const s of this.config.schedules) {
      if (!s.enabled) continue;
      const stored = await this.ports.store.nextRunOf(s.id);
      const first = s.name === DELTA_CYCLE ? 4000 : demoIntervalMs(s.intervalMinutes);
      s.nextRunAt = new Date(stored && stored.getTime() > now ? stored.getTime() : now + first);
      await this.ports.store.setNextRun(s.id, s.nextRunAt);
    }
  }

  /** Starts no queued run before `work` settles. */
  holdUntil(work: Promise<unknown>): void {
    this.held = work.catch(() => undefined);
  }

  /**
   * Starts dispatching, and the timers when autorun is on: once the demo history is written when it
   * is being written, so the first scheduled run starts at once instead of waiting behind it.
   */
  async start(): Promise<void> {
    const poll = setInterval(() => void this.dispatch(), DISPATCH_POLL_MS);
    poll.unref?.();
    this.timers.push(poll);
    const held = this.held;
    if (this.options.autorun && held)
      void held
        .then(() => (this.stopping ? undefined : this.startAutorun()))
        .catch((e) => this.log(`[syncwatch] engine: the schedules could not start: ${(e as Error)?.message ?? e}`));
    else if (this.options.autorun) await this.startAutorun();
    void this.dispatch();
  }

  /** A non-run-profile activity (schema import, certificate, ...), by a user or an API key. */
  async triggerOther(kind?: OtherKind, by?: InitiatedBy): Promise<string> {
    const k = kind ?? this.rng.pick(OTHER_KINDS);
    return executeOther(
      {
        recorder: this.ports.recorder,
        clock: this.clock,
        rng: this.rng,
        speed: this.options.speed,
        instanceId: this.ports.instanceId,
      },
      k,
      by ?? this.randomPerson(),
      this.config.systems.map((s) => s.name),
    );
  }

  randomPerson(): InitiatedBy {
    if (this.rng.chance(0.75)) {
      const u = this.rng.pick(ADMIN_USERS);
      return { type: "User", id: u.id, name: u.name };
    }
    const k = this.rng.pick(API_KEYS);
    return { type: "ApiKey", id: k.id, name: k.name };
  }

  /** Resolves when nothing runs in this process (tests). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()]);
  }

  /**
   * Graceful stop: no new runs; running ones end Cancelled ("the server was shut down") within
   * `graceMs`; whatever this instance still owns after that is cancelled directly.
   */
  async stop(graceMs = 8000): Promise<void> {
    this.stopping = SHUTDOWN_REASON;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await Promise.race([this.idle(), new Promise((r) => setTimeout(r, graceMs).unref?.())]);
    for (const id of await this.ports.store.ownedOpen(this.ports.instanceId))
      await this.ports.recorder.cancel(id, SHUTDOWN_REASON).catch(() => undefined);
  }
}
