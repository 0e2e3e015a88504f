/**
 * Server start-up and shutdown, once per process: the composition root that wires the store,
 * the change signal, this instance's lease, the administrator key, retention, the scheduler lease
 * and the run engine's ports. A start-up that fails exits the process (instrumentation.ts), so a
 * supervisor sees it instead of a server answering 500.
 */
import os from "node:os";
import { randomBytes } from "node:crypto";
import { getConfig, type Config } from "@/lib/config";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { describeForLog, storeConditionOf } from "@/lib/db/errors";
import { installProcessErrorHandlers } from "./process-errors";
import { startEngine, type EnginePorts, type SimulationEngine } from "@/lib/engine";
import { countersOf } from "@/lib/services/mappers";
import { findActivity, findBusyLanes, findOwnedOpen, findQueued } from "@/lib/repo/activities";
import { noteRuntimeChange, onCountsStale, startChangeSignal } from "@/lib/live/signal";
import {
  claimScheduleFire,
  countAllActivities,
  ensureConfiguration,
  findDemoHistory,
  findScheduleNextRun,
  saveDemoHistory,
  setScheduleNextRun,
} from "@/lib/repo/config";
import { invalidateCounts } from "@/lib/repo/count-cache";
import { adminKeyFile, ensureAdministratorKey } from "@/lib/services/api-keys";
import {
  SchedulerLeadership,
  SWEEP_MS,
  cancelQueuedRuns,
  endUndrivenRuns,
  startInstance,
  stopInstance,
  sweepAbandoned,
} from "@/lib/services/leases";
import { activityRecorder } from "@/lib/services/recorder";
import { purgeExpired, startRetentionJob, stopRetentionJob } from "@/lib/services/retention";
import { setRuntimeState } from "@/lib/services/runtime-state";
import { startWebhookWorker, stopWebhookWorker } from "@/lib/services/webhooks";
import { triggerRunProfile, triggerSchedule } from "@/lib/services/triggers";
import { plannedStepsOf } from "@/lib/services/progress";
import { guardHttpServers } from "./http-guard";
import { patientRecorder } from "./patient-recorder";
import { startWatchdog } from "./watchdog";

/** How often an instance checks its own runs against what its engine drives. */
const RECONCILE_MS = 10_000;
/** An event loop blocked this long (the embedded store stuck) ends the process (lib/server/watchdog.ts). */
const WATCHDOG_MS = 60_000;
/** However shutdown goes, the process has exited this long after the signal. */
const EXIT_DEADLINE_MS = 15_000;
/** A start-up the full store cut short is tried again this often. */
const STARTUP_RETRY_MS = 5000;

interface Runtime {
  config: Config;
  instanceId: string;
  timers: NodeJS.Timeout[];
  engine: SimulationEngine | null;
  engineStarting: Promise<void> | null;
  leadership: SchedulerLeadership;
  stopping: boolean;
  stopWatchdog: (() => void) | null;
  /** Ends what no live process holds (run by the lease holder). */
  sweep: () => Promise<void>;
}

const slot = globalThis as unknown as { __syncwatchRuntime?: Promise<Runtime> };

/**
 * The engine's ports. With `rt` (the server), store trouble pauses runs (patient-recorder.ts) and
 * every claim is made under the scheduler lease; without (a script owning its store), neither.
 */
export function enginePorts(instanceId: string, rt?: Pick<Runtime, "leadership" | "stopping">): EnginePorts {
  const leadership = rt?.leadership;
  return {
    recorder: rt
      ? patientRecorder(activityRecorder, { stopped: () => rt.stopping, log: (line) => console.log(line) })
      : activityRecorder,
    instanceId,
    ...(leadership ? { leadership: { leading: () => leadership.leading(), fence: () => leadership.fence() } } : {}),
    store: {
      ensureConfiguration,
      countActivities: countAllActivities,
      demoHistory: findDemoHistory,
      saveDemoHistory,
      async setNextRun(scheduleId, at) {
        await setScheduleNextRun(scheduleId, at);
        noteRuntimeChange(); // the operations view shows when schedules fire next
      },
      async claimScheduleFire(scheduleId, due, next) {
        const fence = leadership ? leadership.fence() : null;
        if (leadership && !fence) return false;
        const claimed = await claimScheduleFire(scheduleId, due, next, fence);
        if (claimed) noteRuntimeChange();
        return claimed;
      },
      nextRunOf: findScheduleNextRun,
      queued: () => findQueued(),
      busyLanes: findBusyLanes,
      ownedOpen: findOwnedOpen,
      async run(id) {
        const a = await findActivity(id);
        if (!a) return null;
        return {
          id: a.id,
          targetType: a.targetType,
          status: a.status,
          connectedSystemId: a.connectedSystemId,
          runProfileId: a.runProfileId,
          scheduleId: a.scheduleId,
          plannedSteps: plannedStepsOf(a),
          objectsProcessed: a.totalObjectsProcessed,
          counters: countersOf(a),
        };
      },
    },
    trigger: { runProfile: triggerRunProfile, schedule: triggerSchedule },
  };
}

/**
 * This instance leads (it took the scheduler lease): the engine starts, or, when it runs already
 * (this instance led before), picks the schedules up where the store has them.
 */
async function lead(rt: Runtime): Promise<void> {
  console.log("[syncwatch] this instance holds the scheduler lease");
  noteRuntimeChange(); // the operations view says which instance runs the scheduler
  // First what dead instances left behind, so their lanes are free when the engine looks.
  await rt.sweep();
  if (!rt.config.engine.enabled || rt.stopping) return;
  if (rt.engine) return rt.engine.resumeLeadership();
  rt.engineStarting ??= (async () => {
    const { engine, history } = await startEngine(enginePorts(rt.instanceId, rt), rt.config.engine);
    rt.engine = engine;
    // The demo history records every run's items; retention then purges the older runs' items.
    setRuntimeState({ writingHistory: true });
    void history
      .finally(() => setRuntimeState({ writingHistory: false }))
      .then((r) => (r ? purgeExpired().catch(() => undefined) : undefined));
    setRuntimeState({ wakeDispatcher: () => engine.dispatch() });
    console.log("[syncwatch] run engine started");
  })().finally(() => (rt.engineStarting = null));
  await rt.engineStarting;
}

function stepDown(rt: Runtime, reason: string) {
  // The engine stays: its running runs go on to their end; it starts nothing new, fires no
  // schedule (it asks leading() first) until this instance leads again.
  console.warn(`[syncwatch] this instance no longer holds the scheduler lease: ${reason}`);
  noteRuntimeChange();
}

/** The sweep (as the lease holder) and the check of this instance's own runs, on their timers. */
function startHousekeeping(rt: Runtime) {
  const sole = rt.config.store.kind === "pglite";
  const sweep = (rt.sweep = async () => {
    if (!rt.leadership.leading() || rt.stopping) return;
    try {
      const n = await sweepAbandoned(rt.instanceId, { soleInstance: sole });
      if (n) console.log(`[syncwatch] ended ${n} activities that no live process held`);
    } catch (e) {
      console.warn(`[syncwatch] sweep failed: ${(e as Error).message}`);
    }
  });
  const reconcile = async () => {
    const engine = rt.engine;
    if (!engine || rt.stopping) return;
    try {
      const n = await endUndrivenRuns(rt.instanceId, (id) => engine.drives(id));
      if (n) console.log(`[syncwatch] ended ${n} activities this instance had lost track of`);
    } catch (e) {
      console.warn(`[syncwatch] check of this instance's runs failed: ${(e as Error).message}`);
    }
  };
  const sweeper = setInterval(() => void sweep(), SWEEP_MS);
  const reconciler = setInterval(() => void reconcile(), RECONCILE_MS);
  sweeper.unref();
  reconciler.unref();
  rt.timers.push(sweeper, reconciler);
}

function printSignIn(config: Config, generatedSecret: string | null, source: string) {
  const origin = config.publicUrl ?? `http://localhost:${config.port}`;
  if (generatedSecret) {
    console.log(`[syncwatch] administrator API key (new, also saved in ${adminKeyFile(config)}): ${generatedSecret}`);
    console.log(`[syncwatch] sign in: ${origin}/sign-in#key=${encodeURIComponent(generatedSecret)}`);
  } else if (source === "environment") {
    console.log(`[syncwatch] sign in at ${origin}/sign-in with the key of SYNCWATCH_ADMIN_API_KEY`);
  } else {
    console.log(
      `[syncwatch] sign in at ${origin}/sign-in with an API key (the first generated one is in ${adminKeyFile(config)})`,
    );
  }
}

/** The store, migrated, and the change signal listening: what a process needs to answer requests. */
export async function openStore() {
  const db = await getDatabase();
  onCountsStale(invalidateCounts);
  await startChangeSignal();
  return db;
}

async function start(): Promise<Runtime> {
  guardHttpServers();
  const config = getConfig();
  const db = await openStore();
  console.log(
    `[syncwatch] store ready: ${db.store.kind === "postgres" ? "PostgreSQL server (DATABASE_URL)" : `embedded PGlite at ${db.store.dataDir}`}`,
  );
  const instanceId = `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const rt: Runtime = {
    config,
    instanceId,
    timers: [],
    engine: null,
    engineStarting: null,
    stopping: false,
    stopWatchdog: config.store.kind === "pglite" ? startWatchdog(WATCHDOG_MS) : null,
    sweep: async () => undefined,
    leadership: new SchedulerLeadership(
      instanceId,
      { onLead: () => lead(rt), onStepDown: (reason) => stepDown(rt, reason) },
      config.store.kind === "pglite",
    ),
  };
  setRuntimeState({
    instanceId,
    engineEnabled: config.engine.enabled,
    autorun: config.engine.enabled && config.engine.autorun,
    leading: () => rt.leadership.leading(),
  });
  installShutdown(rt);
  // The start-up's own writes, in order; on a full store the process serves reads meanwhile and
  // takes the remaining steps once there is room (a step done is not taken again).
  const steps: (() => Promise<void>)[] = [
    async () => void rt.timers.push(await startInstance(instanceId)),
    async () => {
      const key = await ensureAdministratorKey(config);
      printSignIn(config, key.generatedSecret, key.source);
    },
    async () => {
      if (config.store.kind !== "pglite") return;
      // This process is the store's only opener: runs queued before it started belong to nobody now.
      const n = await cancelQueuedRuns("Cancelled: the server restarted before the run started; run it again.");
      if (n) console.log(`[syncwatch] cancelled ${n} runs left queued by the previous process`);
    },
    async () => {
      startRetentionJob();
      startWebhookWorker();
      startHousekeeping(rt);
      await rt.leadership.start();
      if (!config.engine.enabled) console.log("[syncwatch] run engine off (SYNCWATCH_ENGINE=off)");
    },
  ];
  const begin = async () => {
    while (steps.length) {
      await steps[0]();
      steps.shift();
    }
  };
  try {
    await begin();
  } catch (error) {
    if (storeConditionOf(error) !== "full") throw error;
    console.warn(
      `[syncwatch] the store is full (${describeForLog(error).split("\n")[0]}): serving reads, refusing writes (507); ` +
        "the start-up (run engine included) completes once space is freed",
    );
    void completeWhenRoom(rt, begin);
  }
  return rt;
}

/** A start-up cut short by a full store: tried again every few seconds until it goes through (or the process stops). */
async function completeWhenRoom(rt: Runtime, begin: () => Promise<void>): Promise<void> {
  for (;;) {
    await new Promise((r) => setTimeout(r, STARTUP_RETRY_MS).unref());
    if (rt.stopping) return;
    try {
      await begin();
      console.log("[syncwatch] the store takes writes again: start-up completed");
      return;
    } catch (error) {
      if (storeConditionOf(error) === "full") continue;
      console.error(`[syncwatch] start-up failed: ${describeForLog(error).split("\n")[0]}`);
      process.exit(1);
    }
  }
}

/** Server start-up, once per process. */
export function startServerRuntime(): Promise<Runtime> {
  slot.__syncwatchRuntime ??= start().catch((error) => {
    slot.__syncwatchRuntime = undefined;
    throw error;
  });
  return slot.__syncwatchRuntime;
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: the engine stops taking runs and ends its running ones as
 * Cancelled with the reason, queued runs of the embedded store are cancelled likewise, this
 * instance's lease ends, the store closes (the embedded store's lock is released); then Next's own
 * handler closes the HTTP server and exits.
 */
function installShutdown(rt: Runtime) {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const next = process.listeners(signal);
    process.removeAllListeners(signal);
    let once = false;
    process.on(signal, () => {
      if (once) return;
      once = true;
      const code = signal === "SIGTERM" ? 143 : 130;
      // Whatever hangs (a request waiting on a store that does not answer), the process ends.
      setTimeout(() => {
        console.warn(`[syncwatch] ${signal}: still not stopped after ${EXIT_DEADLINE_MS / 1000} s; exiting`);
        process.exit(code);
      }, EXIT_DEADLINE_MS).unref();
      void shutdown(rt, signal).finally(() => {
        if (next.length) for (const l of next) (l as (s: string) => void)(signal);
        else process.exit(code);
      });
    });
  }
}

async function shutdown(rt: Runtime, signal: string): Promise<void> {
  rt.stopping = true;
  console.log(`[syncwatch] ${signal}: stopping the run engine and ending its runs`);
  const deadline = new Promise((r) => setTimeout(r, 9000).unref());
  // Each step on its own: one the store refuses (a full disk) must not keep the store from closing.
  const step = (what: string, fn: () => unknown) =>
    Promise.resolve()
      .then(fn)
      .catch((e) => console.warn(`[syncwatch] shutdown: ${what}: ${describeForLog(e).split("\n")[0]}`));
  const work = (async () => {
    for (const t of rt.timers) clearTimeout(t);
    stopRetentionJob();
    stopWebhookWorker();
    await step("stopping the run engine", () => rt.engine?.stop(6000));
    if (rt.config.store.kind === "pglite")
      await step("cancelling queued runs", () =>
        cancelQueuedRuns("Cancelled: the server was shut down before the run started; run it again."),
      );
    await step("ending this instance", () => stopInstance(rt.instanceId));
    await step("giving up the scheduler lease", () => rt.leadership.stop());
    await step("closing the store", () => closeDatabase());
    rt.stopWatchdog?.();
  })();
  await Promise.race([work, deadline]);
  console.log("[syncwatch] stopped");
}

/** Starts the runtime; a failure ends the process with status 1 and the reason. */
export async function startOrExit(): Promise<void> {
  installProcessErrorHandlers();
  try {
    await startServerRuntime();
  } catch (error) {
    console.error(`[syncwatch] start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
