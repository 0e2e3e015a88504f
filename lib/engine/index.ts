/**
 * The built-in run engine: simulated connected systems, run profiles and schedules, recorded
 * through the same ActivityRecorder as the write API. The server runtime wires its ports.
 */
import { SimulationEngine, type EngineOptions } from "./engine";
import { backfillHistory, type HistoryReport } from "./history";
import type { EnginePorts } from "./ports";
import type { Clock } from "./runner";

export { SimulationEngine, type EngineOptions } from "./engine";
export type { EnginePorts } from "./ports";

/**
 * Creates the configuration and the world, back-fills a week of history into an empty store (in
 * the background; queued runs wait for it) or completes one a kill cut short, and starts
 * dispatching and the schedule timers.
 */
export async function startEngine(
  ports: EnginePorts,
  options: Partial<EngineOptions>,
  deps: { clock?: Clock; log?: (line: string) => void } = {},
): Promise<{ engine: SimulationEngine; history: Promise<HistoryReport | null> }> {
  const log = deps.log ?? ((l: string) => console.log(l));
  const engine = new SimulationEngine(ports, options, { ...deps, log });
  await engine.init();
  let history: Promise<HistoryReport | null> = Promise.resolve(null);
  // An empty store is back-filled; a back-fill a kill cut short (its mark is not completed) is
  // completed. A store with activities and no mark was filled otherwise: it is left as it is.
  const state = engine.options.demoHistory ? await ports.store.demoHistory() : null;
  const resume = state && !state.completed ? { mark: state.mark, cutOffAt: state.cutOffAt } : null;
  if (engine.options.demoHistory && (resume || (!state && (await ports.store.countActivities()) === 0))) {
    const started = Date.now();
    history = backfillHistory(engine, engine.options.historyDays, {
      resume,
      save: (mark, completed) => ports.store.saveDemoHistory(mark, completed),
    })
      .then((r) => {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        const resumed = r.resumedAt === null ? "" : `, resumed at entry ${r.resumedAt + 1} of ${r.planned}`;
        log(
          `[syncwatch] engine: demo history: ${r.activities} activities (${r.runs} runs, ${r.items} execution items) over ${engine.options.historyDays} days in ${seconds} s${resumed}`,
        );
        return r;
      })
      .catch((e) => {
        log(`[syncwatch] engine: demo history could not be written: ${(e as Error)?.message ?? e}`);
        return null;
      });
    engine.holdUntil(history);
  }
  await engine.start();
  const people = engine.world.stats();
  log(
    `[syncwatch] engine: ${engine.config.systems.length} connected systems, ` +
      `${engine.config.schedules.length} schedules, ` +
      `${people.hrRows.toLocaleString("en-GB")} HR records (scale ${engine.options.scale}), ` +
      `speed ${engine.options.speed}, ` +
      `autorun ${engine.options.autorun ? "on" : "off"}`,
  );
  return { engine, history };
}
