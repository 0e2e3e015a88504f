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
import { startEngine, type EnginePorts, type SimulationEngine } from "@/lib/engine";
import { countersOf } from "@/lib/services/mappers";
import { findActivity, findBusyLanes, findOwnedOpen, findQueued } from "@/lib/repo/activities";
import { noteRuntimeChange, onCountsStale, startChangeSignal } from "@/lib/live/signal";
import { countAllActivities, ensureConfiguration, setScheduleNextRun } from "@/lib/repo/config";
import { invalidateCounts } from "@/lib/repo/count-cache";
import { trySchedulerLock } from "@/lib/repo/instances";
import { adminKeyFile, ensureAdministratorKey } from "@/lib/services/api-keys";
import { cancelQueuedRuns, startInstance, stopInstance, sweepAbandoned, SWEEP_MS } from "@/lib/services/leases";
import { activityRecorder } from "@/lib/services/recorder";
import { purgeExpired, startRetentionJob, stopRetentionJob } from "@/lib/services/retention";
import { setRuntimeState } from "@/lib/services/runtime-state";
import { startWebhookWorker, stopWebhookWorker } from "@/lib/services/webhooks";
import { triggerRunProfile, triggerSchedule } from "@/lib/services/triggers";
import { plannedStepsOf } from "@/lib/services/progress";
import { guardHttpServers } from "./http-guard";

const LEADERSHIP_RETRY_MS = 5000;

interface Runtime {
  config: Config;
  instanceId: string;
  timers: NodeJS.Timeout[];
  engine: SimulationEngine | null;
  lock: { release(): Promise<void> } | null;
  stopping: boolean;
}

const slot = globalThis as unknown as { __syncwatchRuntime?: Promise<Runtime> };

export function enginePorts(instanceId: string): EnginePorts {
  return {
    recorder: activityRecorder,
    instanceId,
    store: {
      ensureConfiguration,
      countActivities: countAllActivities,
      async setNextRun(scheduleId, at) {
        await setScheduleNextRun(scheduleId, at);
        noteRuntimeChange(); // the operations view shows when schedules fire next
      },
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

/** Takes the scheduler lease when free (retrying while another instance holds it) and runs the engine and the sweep. */
async function lead(rt: Runtime): Promise<void> {
  if (rt.stopping) return;
  const lock = await trySchedulerLock(() => {
    console.warn("[syncwatch] scheduler lease lost (database connection broke); trying to take it again");
    rt.lock = null;
    setRuntimeState({ scheduler: false });
    void rt.engine?.stop(2000);
    rt.engine = null;
    setTimeout(() => void lead(rt), LEADERSHIP_RETRY_MS).unref();
  });
  if (!lock) {
    const t = setTimeout(() => void lead(rt).catch(() => undefined), LEADERSHIP_RETRY_MS);
    t.unref();
    rt.timers.push(t);
    return;
  }
  rt.lock = lock;
  setRuntimeState({ scheduler: true });
  const sole = rt.config.store.kind === "pglite";
  const sweep = async () => {
    try {
      const n = await sweepAbandoned(rt.instanceId, { soleInstance: sole });
      if (n) console.log(`[syncwatch] ended ${n} activities that no live process held`);
    } catch (e) {
      console.warn(`[syncwatch] sweep failed: ${(e as Error).message}`);
    }
  };
  await sweep();
  const t = setInterval(() => void sweep(), SWEEP_MS);
  t.unref();
  rt.timers.push(t);
  if (rt.config.engine.enabled) {
    const { engine, history } = await startEngine(enginePorts(rt.instanceId), rt.config.engine);
    rt.engine = engine;
    // The demo history records every run's items; retention then purges the older runs' items.
    setRuntimeState({ writingHistory: true });
    void history
      .finally(() => setRuntimeState({ writingHistory: false }))
      .then((r) => (r ? purgeExpired().catch(() => undefined) : undefined));
    setRuntimeState({ wakeDispatcher: () => engine.dispatch() });
    console.log("[syncwatch] this instance holds the scheduler lease: run engine started");
  }
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
  setRuntimeState({
    instanceId,
    engineEnabled: config.engine.enabled,
    autorun: config.engine.enabled && config.engine.autorun,
    scheduler: false,
  });
  const rt: Runtime = { config, instanceId, timers: [], engine: null, lock: null, stopping: false };
  rt.timers.push(await startInstance(instanceId));
  const key = await ensureAdministratorKey(config);
  printSignIn(config, key.generatedSecret, key.source);
  if (config.store.kind === "pglite") {
    // This process is the store's only opener: runs queued before it started belong to nobody now.
    const n = await cancelQueuedRuns("Cancelled: the server restarted before the run started; run it again.");
    if (n) console.log(`[syncwatch] cancelled ${n} runs left queued by the previous process`);
  }
  startRetentionJob();
  startWebhookWorker();
  await lead(rt);
  if (!config.engine.enabled) console.log("[syncwatch] run engine off (SYNCWATCH_ENGINE=off)");
  installShutdown(rt);
  return rt;
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
      void shutdown(rt, signal).finally(() => {
        if (next.length) for (const l of next) (l as (s: string) => void)(signal);
        else process.exit(signal === "SIGTERM" ? 143 : 130);
      });
    });
  }
}

async function shutdown(rt: Runtime, signal: string): Promise<void> {
  rt.stopping = true;
  console.log(`[syncwatch] ${signal}: stopping the run engine and ending its runs`);
  const deadline = new Promise((r) => setTimeout(r, 9000).unref());
  const work = (async () => {
    for (const t of rt.timers) clearTimeout(t);
    stopRetentionJob();
    stopWebhookWorker();
    await rt.engine?.stop(6000);
    if (rt.config.store.kind === "pglite")
      await cancelQueuedRuns("Cancelled: the server was shut down before the run started; run it again.");
    await stopInstance(rt.instanceId).catch(() => undefined);
    await rt.lock?.release();
    setRuntimeState({ scheduler: false });
    await closeDatabase();
  })().catch((e) => console.warn(`[syncwatch] shutdown: ${(e as Error).message}`));
  await Promise.race([work, deadline]);
  console.log("[syncwatch] stopped");
}

/** Starts the runtime; a failure ends the process with status 1 and the reason. */
export async function startOrExit(): Promise<void> {
  try {
    await startServerRuntime();
  } catch (error) {
    console.error(`[syncwatch] start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
