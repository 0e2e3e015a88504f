/** The run engine: configuration, the simulated world, per-system queues, schedules and timers. */
import { NotFoundError } from "@/lib/domain/errors";
import type { ActivityRecorder, InitiatedBy } from "@/lib/domain/recorder";
import { DEMO_SCHEDULES, DEMO_SYSTEMS, DELTA_CYCLE, type ConfigStore, type EngineConfig } from "./config";
import { backfillHistory, type HistoryReport } from "./history";
import { ADMIN_USERS, API_KEYS } from "./names";
import { executeOther, OTHER_KINDS, type OtherKind } from "./other";
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

export interface RunEngine {
  triggerRunProfile(
    connectedSystemId: number,
    runProfileId: number,
    initiatedBy: InitiatedBy,
  ): Promise<{ activityId: string }>;
  triggerSchedule(scheduleId: number, initiatedBy: InitiatedBy): Promise<{ activityId: string }>;
  stop(): Promise<void>;
}

export interface EngineOptions {
  enabled: boolean;
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
  enabled: true,
  autorun: true,
  demoHistory: true,
  scale: 1500,
  speed: 1,
  seed: 20261122,
  failureRate: 0.025,
  driftFactor: 6,
  historyDays: 7,
};

export interface EngineDeps {
  recorder: ActivityRecorder;
  configStore: ConfigStore;
  clock?: Clock;
  log?: (line: string) => void;
}

export const SCHEDULER: InitiatedBy = { type: "System", id: null, name: "Scheduler" };

/** Real-time interval of a schedule in the demo: 15 min → 2.5 min, nightly → 15 min. */
export function demoIntervalMs(intervalMinutes: number): number {
  return Math.min(15 * 60_000, Math.max(60_000, intervalMinutes * 10_000));
}

export class SimulationEngine implements RunEngine {
  readonly options: EngineOptions;
  readonly recorder: ActivityRecorder;
  readonly clock: Clock;
  readonly rng: Rng;
  world!: World;
  config!: EngineConfig;
  history: Promise<HistoryReport | null> = Promise.resolve(null);
  private readonly configStore: ConfigStore;
  private readonly log: (line: string) => void;
  private queues = new Map<string, Promise<unknown>>();
  private tasks = new Set<Promise<unknown>>();
  private timers: NodeJS.Timeout[] = [];
  private stopping = false;

  constructor(deps: EngineDeps, options: Partial<EngineOptions> = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.recorder = deps.recorder;
    this.configStore = deps.configStore;
    this.clock = deps.clock ?? realClock;
    this.log = deps.log ?? ((l) => console.log(l));
    this.rng = new Rng(this.options.seed ^ 0x5bd1e995);
  }

  /** Creates the configuration and the world; starts the back-fill when the store is empty. */
  async init(): Promise<void> {
    this.config = await this.configStore.ensure(DEMO_SYSTEMS, DEMO_SCHEDULES);
    this.world = new World(this.options.seed, this.options.scale, this.clock.now());
    if (this.options.demoHistory && (await this.configStore.countActivities()) === 0) {
      const started = Date.now();
      this.history = backfillHistory(this, this.options.historyDays)
        .then((r) => {
          this.log(
            `[syncwatch] engine: demo history back-filled: ${r.activities} activities (${r.runs} runs, ${r.items} execution items) over ${this.options.historyDays} days in ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
          return r;
        })
        .catch((e) => {
          this.log(`[syncwatch] engine: demo history back-fill failed: ${(e as Error)?.message ?? e}`);
          return null;
        });
    }
  }

  /** The context live runs use. */
  runContext(overrides: Partial<RunContext> = {}): RunContext {
    return {
      recorder: this.recorder,
      clock: this.clock,
      world: this.world,
      rng: this.rng,
      speed: this.options.speed,
      driftFactor: this.options.driftFactor,
      failureRate: this.options.failureRate,
      writeItems: true,
      isStopping: () => this.stopping,
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

  scheduleSteps(scheduleId: number): { schedule: EngineConfig["schedules"][number]; steps: ScheduleStepTarget[] } {
    const schedule = this.config.schedules.find((s) => s.id === scheduleId);
    if (!schedule) throw new NotFoundError(`Schedule ${scheduleId} does not exist.`, { scheduleId });
    return {
      schedule,
      steps: schedule.steps.map((st) => ({
        ...this.runTarget(st.connectedSystemId, st.runProfileId),
        position: st.position,
      })),
    };
  }

  /** Runs `fn` after everything queued before it under the same key (one run per connected system at a time). */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }

  isBusy(key: string) {
    return this.queues.has(key);
  }

  private track<T>(p: Promise<T>): void {
    const guarded = p.catch((e) =>
      this.log(`[syncwatch] engine: background run failed: ${(e as Error)?.message ?? e}`),
    );
    this.tasks.add(guarded);
    void guarded.finally(() => this.tasks.delete(guarded));
  }

  /** Resolves when no run is in progress or queued (tests). */
  async idle(): Promise<void> {
    await this.history;
    while (this.tasks.size) await Promise.all([...this.tasks]);
  }

  async triggerRunProfile(
    connectedSystemId: number,
    runProfileId: number,
    initiatedBy: InitiatedBy,
  ): Promise<{ activityId: string }> {
    const target = this.runTarget(connectedSystemId, runProfileId);
    const key = `cs:${target.connectedSystemId}`;
    const queued = this.isBusy(key);
    const { id } = await this.recorder.create(
      {
        name: activityName(target),
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: target.connectedSystemId,
        runProfileId: target.runProfileId,
        message: queued ? `Queued: waiting for the current run on ${target.connectedSystemName} to finish` : "Starting",
      },
      initiatedBy,
      new Date(this.clock.now()),
    );
    this.track(
      this.exclusive(key, async () => {
        await this.history;
        return executeRunProfile(this.runContext(), id, target);
      }),
    );
    return { activityId: id };
  }

  async triggerSchedule(scheduleId: number, initiatedBy: InitiatedBy): Promise<{ activityId: string }> {
    const { schedule, steps } = this.scheduleSteps(scheduleId);
    const { id } = await this.recorder.create(
      {
        name: schedule.name,
        targetType: "Schedule",
        scheduleId: schedule.id,
        objectsToProcess: steps.length,
        message: this.isBusy(`schedule:${schedule.id}`)
          ? "Queued: the previous execution is still running"
          : "Starting",
      },
      initiatedBy.type === "System" ? { ...initiatedBy, id: initiatedBy.id ?? String(schedule.id) } : initiatedBy,
      new Date(this.clock.now()),
    );
    this.track(
      this.exclusive(`schedule:${schedule.id}`, async () => {
        await this.history;
        return this.runScheduleNow(id, steps, initiatedBy);
      }),
    );
    return { activityId: id };
  }

  runScheduleNow(
    parentId: string,
    steps: ScheduleStepTarget[],
    initiatedBy: InitiatedBy,
    ctx: RunContext = this.runContext(),
  ): Promise<RunResult> {
    return executeSchedule(ctx, parentId, steps, {
      initiatedBy,
      exclusive: (csId, fn) => this.exclusive(`cs:${csId}`, fn),
    });
  }

  /** A non-run-profile activity (schema import, certificate, ...), by a user or an API key. */
  async triggerOther(kind?: OtherKind, by?: InitiatedBy): Promise<string> {
    const k = kind ?? this.rng.pick(OTHER_KINDS);
    return executeOther(
      { recorder: this.recorder, clock: this.clock, rng: this.rng, speed: this.options.speed },
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

  /** Schedules on their demo timers, a first run within seconds, and now and then something manual. */
  startAutorun(): void {
    const fire = (scheduleId: number) => {
      if (this.stopping || this.isBusy(`schedule:${scheduleId}`)) return;
      this.triggerSchedule(scheduleId, SCHEDULER).catch((e) =>
        this.log(`[syncwatch] engine: schedule ${scheduleId} could not start: ${(e as Error)?.message ?? e}`),
      );
    };
    for (const s of this.config.schedules) {
      if (!s.enabled) continue;
      const t = setInterval(() => fire(s.id), demoIntervalMs(s.intervalMinutes));
      t.unref?.();
      this.timers.push(t);
    }
    const first = this.config.schedules.find((s) => s.name === DELTA_CYCLE) ?? this.config.schedules[0];
    if (first) {
      const t = setTimeout(() => fire(first.id), 4000);
      t.unref?.();
      this.timers.push(t);
    }
    const manual = () => {
      if (this.stopping) return;
      const t = setTimeout(
        () => {
          if (this.rng.chance(0.5)) this.track(this.triggerOther());
          else {
            const cs = this.rng.pick(this.config.systems);
            const rp = this.rng.pick(cs.runProfiles);
            this.track(this.triggerRunProfile(cs.id, rp.id, this.randomPerson()));
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

  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    const deadline = new Promise((r) => setTimeout(r, 10_000).unref?.());
    await Promise.race([this.idle(), deadline]);
  }
}
