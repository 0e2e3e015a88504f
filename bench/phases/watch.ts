/**
 * Long-poll watchers: N watchers of one running activity's snapshot (?wait=25 with If-None-Match,
 * asking again as soon as they are answered) while a writer changes the activity every 2 s through
 * POST /activities/{id}/progress. Each change carries a numbered message; the time from the
 * change's commit (when the POST answered) to each watcher's answer showing it is the
 * notification latency. Server CPU per watcher-minute is compared with the same watchers doing
 * what the old detail page did: every 2 s GET the activity, its progress and its stats (with
 * If-None-Match, as a browser revalidates), and the items list twice per change.
 */
import { setMaxListeners } from "node:events";
import { conditionalGet, latencyFigures, sleep } from "../clients";
import { count, ms, times } from "../report";
import { processesCpuSeconds, treeCpuSeconds } from "../server";
import type { PhaseContext, PostgresTarget } from "./context";

const CHANGE_MS = 2_000;
const WAIT_S = 25;
const MARK = "bench change ";

interface ModeResult {
  mode: "long-poll" | "old page";
  watchers: number;
  seconds: number;
  changes: number;
  requests: number;
  errors: number;
  errorSamples: string[];
  serverCpuSeconds: number;
  databaseCpuSeconds: number;
  /** Server CPU milliseconds per watcher-minute. */
  cpuMsPerWatcherMinute: number;
}

export interface WatchResult {
  longPoll: ModeResult;
  oldPage: ModeResult;
  notifyMs: { p50: number; p95: number; p99: number; max: number; n: number; missed: number };
  cpuRatio: number;
}

async function backendPids(pg: PostgresTarget): Promise<number[]> {
  const rows = (await pg.sql(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  )) as { pid: number }[];
  return rows.map((r) => r.pid);
}

/** Posts a numbered message every CHANGE_MS until `end`; returns commit times by number. */
async function writer(pg: PostgresTarget, id: string, end: number, commits: Map<number, number>): Promise<void> {
  let n = commits.size ? Math.max(...commits.keys()) + 1 : 1;
  while (performance.now() < end) {
    const t = performance.now();
    const res = await fetch(`${pg.api.base}/api/v1/activities/${id}/progress`, {
      method: "POST",
      headers: { "X-Api-Key": pg.api.apiKey, "Content-Type": "application/json" },
      body: JSON.stringify({ message: `${MARK}${n}` }),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`progress report answered ${res.status}`);
    commits.set(n, performance.now());
    n++;
    await sleep(Math.max(0, CHANGE_MS - (performance.now() - t)));
  }
}

async function measureMode(
  ctx: PhaseContext,
  pg: PostgresTarget,
  mode: ModeResult["mode"],
  commits: Map<number, number>,
  seen: { commit: number; at: number }[],
): Promise<ModeResult> {
  const id = pg.meta.fixtures.inProgressRunId;
  const watchers = ctx.scale.watchers;
  const seconds = ctx.scale.watchSeconds;
  const tally = { requests: 0, errors: 0, errorSamples: [] as string[] };
  const count304 = { n: 0 };
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const record = (a: Awaited<ReturnType<typeof conditionalGet>>, path: string) => {
    if (!a && abort.signal.aborted) return; // cut at the end
    tally.requests++;
    if (!a || (a.status !== 200 && a.status !== 304)) {
      tally.errors++;
      if (tally.errorSamples.length < 5) tally.errorSamples.push(`${path}: ${a ? a.status : "network error"}`);
    } else if (a.status === 304) count304.n++;
  };
  const debug = process.env.BENCH_DEBUG ? ctx.log : () => undefined;
  debug(`  ${mode}: start`);
  const pids = await backendPids(pg);
  debug(`  ${mode}: ${pids.length} PostgreSQL backends`);
  const firstCommit = commits.size ? Math.max(...commits.keys()) + 1 : 1;
  const started = performance.now();
  const end = started + seconds * 1000;
  const serverBefore = treeCpuSeconds(pg.server.pid);
  const dbBefore = processesCpuSeconds(pids);
  const phaseOf = new Array<string>(watchers).fill("start");
  let writerState = "running";
  const watchdog = process.env.BENCH_DEBUG
    ? setInterval(() => {
        const m: Record<string, number> = {};
        for (const p of phaseOf) m[p] = (m[p] ?? 0) + 1;
        debug(`  ${mode}: writer ${writerState}, clients ${JSON.stringify(m)}, answers ${tally.requests}`);
      }, 5000)
    : null;
  const writing = writer(pg, id, end, commits).finally(() => (writerState = "done"));
  writing.catch(() => abort.abort());
  const clients = Array.from({ length: watchers }, async (_, i) => {
    const etags = new Map<string, string>();
    phaseOf[i] = "sleep0";
    if (mode === "long-poll") {
      const path = `/api/v1/activities/${id}/snapshot`;
      // The page's first load (not a long poll), then long polls until the end.
      await sleep((i / watchers) * 500);
      phaseOf[i] = "first";
      record(await conditionalGet(pg.api.base, pg.api.apiKey, path, etags, null, abort.signal), path);
      phaseOf[i] = "poll";
      while (performance.now() < end) {
        const a = await conditionalGet(pg.api.base, pg.api.apiKey, `${path}?wait=${WAIT_S}`, etags, null, abort.signal);
        if (abort.signal.aborted) break;
        const at = performance.now();
        record(a, path);
        if (a?.status === 200) {
          const m = /bench change (\d+)/.exec(a.body);
          if (m) seen.push({ commit: Number(m[1]), at });
        }
        if (!a) await sleep(200);
      }
    } else {
      const paths = [`/api/v1/activities/${id}`, `/api/v1/activities/${id}/progress`, `/api/v1/activities/${id}/stats`];
      const items = `/api/v1/activities/${id}/items`;
      await sleep((i / watchers) * CHANGE_MS);
      while (performance.now() < end) {
        phaseOf[i] = "three";
        const t = performance.now();
        const answers = await Promise.all(
          paths.map((p) => conditionalGet(pg.api.base, pg.api.apiKey, p, etags, null, abort.signal)),
        );
        answers.forEach((a, k) => record(a, paths[k]));
        // The items list, refetched twice per change (the old page's grid and its facets).
        phaseOf[i] = "items";
        for (let k = 0; k < 2 && !abort.signal.aborted; k++)
          record(await conditionalGet(pg.api.base, pg.api.apiKey, items, etags, null, abort.signal), items);
        phaseOf[i] = "sleep";
        await sleep(Math.max(0, CHANGE_MS - (performance.now() - t)));
      }
    }
  });
  await writing;
  debug(`  ${mode}: writer done (${commits.size} changes), ${tally.requests} answers`);
  // Long polls still waiting are cut at the end (they would only time out).
  abort.abort();
  await Promise.all(clients.map((c, i) => c.finally(() => (phaseOf[i] = "done"))));
  if (watchdog) clearInterval(watchdog);
  const elapsed = (performance.now() - started) / 1000;
  const serverCpu = treeCpuSeconds(pg.server.pid) - serverBefore;
  const dbCpu = processesCpuSeconds(pids) - dbBefore;
  const changes = Math.max(...commits.keys()) - firstCommit + 1;
  return {
    mode,
    watchers,
    seconds: elapsed,
    changes,
    requests: tally.requests,
    errors: tally.errors,
    errorSamples: tally.errorSamples,
    serverCpuSeconds: serverCpu,
    databaseCpuSeconds: dbCpu,
    cpuMsPerWatcherMinute: (serverCpu * 1000) / (watchers * (elapsed / 60)),
  };
}

export async function watchPhase(ctx: PhaseContext, pg: PostgresTarget): Promise<WatchResult> {
  const commits = new Map<number, number>();
  const seen: { commit: number; at: number }[] = [];
  const longPoll = await measureMode(ctx, pg, "long-poll", commits, seen);
  // Each watcher's answer is timed from the commit of the change it shows (the newest it saw).
  const delays = seen.filter((s) => commits.has(s.commit)).map((s) => s.at - commits.get(s.commit)!);
  const expected = longPoll.changes * longPoll.watchers;
  await sleep(1000);
  const oldPage = await measureMode(ctx, pg, "old page", commits, []);
  const lat = latencyFigures(delays);
  const cpuRatio = longPoll.cpuMsPerWatcherMinute / oldPage.cpuMsPerWatcherMinute;
  const result: WatchResult = {
    longPoll,
    oldPage,
    notifyMs: { ...lat, n: delays.length, missed: Math.max(0, expected - delays.length) },
    cpuRatio,
  };
  const w = `${longPoll.watchers} watchers`;
  ctx.report.check(
    "watch",
    `${w}: change → watcher's answer`,
    `p50 ${ms(lat.p50)} p95 ${ms(lat.p95)} max ${ms(lat.max)} (${count(delays.length)} answers to ${longPoll.changes} changes)`,
    "p95 ≤ 250 ms",
    lat.p95 <= 250,
  );
  ctx.report.check(
    "watch",
    `${w}: errors (long poll, old page)`,
    `${longPoll.errors}, ${oldPage.errors}` +
      ([...longPoll.errorSamples, ...oldPage.errorSamples][0]
        ? ` (${[...longPoll.errorSamples, ...oldPage.errorSamples][0]})`
        : ""),
    "0",
    longPoll.errors + oldPage.errors === 0,
  );
  ctx.report.check(
    "watch",
    `${w}: server CPU per watcher-minute, long poll ÷ old page`,
    `${ms(longPoll.cpuMsPerWatcherMinute)} ÷ ${ms(oldPage.cpuMsPerWatcherMinute)} = ${times(cpuRatio)} (requests ${count(longPoll.requests)} vs ${count(oldPage.requests)} of ${count((oldPage.watchers * 5 * oldPage.seconds) / 2)} the old page asked; PostgreSQL CPU ${longPoll.databaseCpuSeconds.toFixed(1)} s vs ${oldPage.databaseCpuSeconds.toFixed(1)} s)`,
    "≤ 0.20×",
    cpuRatio <= 0.2,
  );
  ctx.log(
    `  long poll: ${longPoll.requests} requests, notify p50 ${lat.p50.toFixed(0)} p95 ${lat.p95.toFixed(0)} ms, CPU ${longPoll.serverCpuSeconds.toFixed(1)} s; old page: ${oldPage.requests} requests, CPU ${oldPage.serverCpuSeconds.toFixed(1)} s`,
  );
  return result;
}
