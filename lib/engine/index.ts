/**
 * The built-in run engine: simulated connected systems, run profiles and schedules, recorded
 * through the same ActivityRecorder as the write API. One engine per process (globalThis slot).
 */
import type { InitiatedBy } from "@/lib/domain/recorder";
import { DEFAULT_OPTIONS, SimulationEngine, type EngineDeps, type EngineOptions, type RunEngine } from "./engine";

export type { RunEngine, EngineOptions, EngineDeps, InitiatedBy };
export { SimulationEngine, DEFAULT_OPTIONS };

const SCALES: Record<string, number> = { small: 1500, medium: 10_000, large: 100_000 };

const onOff = (v: string | undefined, fallback: boolean) => {
  const s = v?.trim().toLowerCase();
  if (!s) return fallback;
  if (["off", "false", "0", "no"].includes(s)) return false;
  if (["on", "true", "1", "yes"].includes(s)) return true;
  return fallback;
};

/** Engine options from SYNCWATCH_ENGINE, _ENGINE_AUTORUN, _DEMO_HISTORY, _SCALE, _SPEED (and _ENGINE_SEED). */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): EngineOptions {
  const scaleRaw = env.SYNCWATCH_SCALE?.trim().toLowerCase() ?? "";
  const scaleNum = Number(scaleRaw);
  const scale =
    SCALES[scaleRaw] ??
    (scaleRaw && Number.isFinite(scaleNum) && scaleNum > 0
      ? Math.min(100_000, Math.max(20, Math.floor(scaleNum)))
      : DEFAULT_OPTIONS.scale);
  const speedNum = Number(env.SYNCWATCH_SPEED);
  const seedNum = Number(env.SYNCWATCH_ENGINE_SEED);
  return {
    ...DEFAULT_OPTIONS,
    enabled: onOff(env.SYNCWATCH_ENGINE, true),
    autorun: onOff(env.SYNCWATCH_ENGINE_AUTORUN, true),
    demoHistory: onOff(env.SYNCWATCH_DEMO_HISTORY, true),
    scale,
    speed: Number.isFinite(speedNum) && speedNum > 0 ? Math.min(1000, speedNum) : DEFAULT_OPTIONS.speed,
    seed: Number.isInteger(seedNum) && env.SYNCWATCH_ENGINE_SEED?.trim() ? seedNum : DEFAULT_OPTIONS.seed,
  };
}

const slot = globalThis as unknown as {
  __syncwatchEngine?: { engine: SimulationEngine | null; starting: Promise<SimulationEngine | null> };
};

/** The running engine, or null when not started or switched off (SYNCWATCH_ENGINE=off). */
export function getEngine(): RunEngine | null {
  return slot.__syncwatchEngine?.engine ?? null;
}

/**
 * Starts the engine once per process (idempotent): creates the demo configuration, the simulated
 * world, back-fills history into an empty store (in the background) and starts the schedule timers.
 * `deps` replaces the real recorder / store (tests).
 */
export async function startEngine(
  options?: Partial<EngineOptions>,
  deps?: Partial<EngineDeps>,
): Promise<RunEngine | null> {
  if (slot.__syncwatchEngine) return slot.__syncwatchEngine.starting;
  const opts = { ...optionsFromEnv(), ...(options ?? {}) };
  const entry: { engine: SimulationEngine | null; starting: Promise<SimulationEngine | null> } = {
    engine: null,
    starting: Promise.resolve(null),
  };
  entry.starting = (async () => {
    if (!opts.enabled) return null;
    let recorder = deps?.recorder;
    let configStore = deps?.configStore;
    if (!recorder) recorder = (await import("@/lib/services/activity-recorder")).activityRecorder;
    if (!configStore) {
      const { prismaConfigStore } = await import("./config");
      const { getPrisma } = await import("@/lib/db/client");
      configStore = prismaConfigStore(getPrisma);
    }
    const engine = new SimulationEngine({ recorder, configStore, clock: deps?.clock, log: deps?.log }, opts);
    await engine.init();
    entry.engine = engine;
    const people = engine.world.stats();
    console.log(
      `[syncwatch] engine: ${engine.config.systems.length} connected systems, ${engine.config.schedules.length} schedules, ${people.hrRows.toLocaleString("en-GB")} HR records (scale ${opts.scale}), speed ${opts.speed}, autorun ${opts.autorun ? "on" : "off"}`,
    );
    if (opts.autorun) engine.startAutorun();
    return engine;
  })().catch((error) => {
    slot.__syncwatchEngine = undefined;
    throw error;
  });
  slot.__syncwatchEngine = entry;
  return entry.starting;
}

/** Stops and forgets the engine (tests, shutdown). */
export async function stopEngine(): Promise<void> {
  const entry = slot.__syncwatchEngine;
  slot.__syncwatchEngine = undefined;
  const engine = entry ? await entry.starting.catch(() => null) : null;
  await engine?.stop();
}
