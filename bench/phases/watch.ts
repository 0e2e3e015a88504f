/**
 * Watchers of one running activity's snapshot while a writer changes it every 2 s through
 * POST /activities/{id}/progress. Each change carries a numbered message; the time from the
 * change being sent (the POST; it commits before it answers) to each watcher's answer showing it
 * is the notification latency, the write's own time included. Three modes in turn, N watchers each:
 *
 * - long poll: ?wait=25 with If-None-Match, asking again as soon as answered (the API's way);
 * - stream: the pages' own transport, one GET /api/v1/live?s=<id>:<etag>:/activities/{id}/snapshot
 *   event stream per watcher (a tab), subscribed with the ETag of the snapshot it already has;
 * - old page: what the old detail page did, every 2 s GET the activity, its progress and its stats
 *   (with If-None-Match, as a browser revalidates), and the items list twice per change.
 *
 * For the first two: server CPU per delivered update (the mode's server CPU ÷ answers showing a
 * change) against the server CPU of one full snapshot GET (measured first, in the same run: a GET
 * right after a change, so the answer is read and serialised afresh), and whether every watcher
 * ends on the writer's last change. Server CPU per watcher-minute of the long poll against the old
 * page. Last, on a fresh server: memory per idle watcher (RSS delta of the server tree ÷ watchers)
 * for streams, then long polls, nothing changing.
 */
import { setMaxListeners } from "node:events";
import path from "node:path";
import { conditionalGet, latencyFigures, newTally, openStream, sleep, type Stream } from "../clients";
import { count, ms, times } from "../report";
import {
  listenOverflows,
  processesCpuSeconds,
  startServer,
  treeCpuSeconds,
  treeRssBytes,
  type Server,
} from "../server";
import type { PhaseContext, PostgresTarget } from "./context";

const CHANGE_MS = 2_000;
const WAIT_S = 25;
const MARK = /bench change (\d+)/;
/** After the writer's last change, how long every watcher has to show it. */
const FINAL_WAIT_MS = 5_000;
/** At most this long for every watcher to open before the first change. */
const OPEN_TIMEOUT_MS = 15_000;

type Mode = "long-poll" | "stream" | "old page";

interface Notify {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Answers showing a change. */
  n: number;
  /** Changes × watchers not shown (a watcher that skipped a change shows a later one). */
  missed: number;
}

interface ModeResult {
  mode: Mode;
  watchers: number;
  seconds: number;
  changes: number;
  /** Requests sent (for the stream: streams opened, reopenings included). */
  requests: number;
  errors: number;
  errorSamples: string[];
  serverCpuSeconds: number;
  databaseCpuSeconds: number;
  /** Server CPU milliseconds per watcher-minute. */
  cpuMsPerWatcherMinute: number;
  /** Long poll and stream: the change → watcher latency, and watchers that ended on the last change. */
  notifyMs: Notify | null;
  onFinalState: number | null;
  /** Server CPU milliseconds per answer showing a change. */
  cpuMsPerDelivery: number | null;
  /**
   * Per change, the first watcher's answer after the commit and the spread from the first to the
   * last: where a slow p95 comes from (reading the change, or handing it to every watcher).
   */
  perChangeMs: { firstP50: number; spreadP50: number; spreadMax: number } | null;
}

interface IdleSide {
  watchers: number;
  errors: number;
  /** Connections dropped meanwhile because the accept queue was full (machine-wide). */
  listenOverflows: number;
  errorSamples: string[];
  rssBeforeMiB: number;
  rssAfterMiB: number;
  bytesPerWatcher: number;
}

export interface WatchResult {
  /** Server CPU of one snapshot GET right after a change (read and serialised afresh). */
  snapshotGetCpuMs: number;
  longPoll: ModeResult;
  stream: ModeResult;
  oldPage: ModeResult;
  /** Long poll ÷ old page, server CPU per watcher-minute. */
  cpuRatio: number;
  idle: { stream: IdleSide; longPoll: IdleSide };
}

async function backendPids(pg: PostgresTarget): Promise<number[]> {
  const rows = (await pg.sql(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  )) as { pid: number }[];
  return rows.map((r) => r.pid);
}

async function reportProgress(pg: PostgresTarget, id: string, message: string): Promise<void> {
  const res = await fetch(`${pg.api.base}/api/v1/activities/${id}/progress`, {
    method: "POST",
    headers: { "X-Api-Key": pg.api.apiKey, "Content-Type": "application/json" },
    body: JSON.stringify({ message }),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`progress report answered ${res.status}`);
}

/** Posts a numbered message every CHANGE_MS until `end`; returns commit times by number. */
async function writer(pg: PostgresTarget, id: string, end: number, commits: Map<number, number>): Promise<void> {
  let n = commits.size ? Math.max(...commits.keys()) + 1 : 1;
  while (performance.now() < end) {
    const t = performance.now();
    // From the moment the change is sent: a watcher may show it before the POST's answer arrives
    // (on a busy machine, well before), so timing from the answer gave negative latencies.
    commits.set(n, t);
    await reportProgress(pg, id, `bench change ${n}`);
    n++;
    await sleep(Math.max(0, CHANGE_MS - (performance.now() - t)));
  }
}

/** The snapshot's current ETag (as a page that has just loaded it holds it). */
async function snapshotEtag(base: string, apiKey: string, id: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/activities/${id}/snapshot`, { headers: { "X-Api-Key": apiKey } });
  await res.arrayBuffer();
  const etag = res.headers.get("etag");
  if (!res.ok || !etag) throw new Error(`GET snapshot answered ${res.status} without an ETag`);
  return etag;
}

/** The value between an ETag's quotes: what a stream subscription carries. */
const etagValue = (etag: string) => etag.replace(/^W\//, "").replace(/^"|"$/g, "");

/**
 * Server CPU of one full snapshot GET: after each change (so the answer is read from the store and
 * serialised again, not served from memory), with nobody watching, the CPU of the server tree
 * across the GET alone; the mean over `rounds`.
 */
async function snapshotGetCpuMs(pg: PostgresTarget, id: string, rounds: number): Promise<number> {
  let cpu = 0;
  for (let i = -3; i < rounds; i++) {
    await reportProgress(pg, id, `bench snapshot cost ${i}`);
    // What the change sets off (the change signal) settles before the GET is timed.
    await sleep(50);
    const before = treeCpuSeconds(pg.server.pid);
    const res = await fetch(`${pg.api.base}/api/v1/activities/${id}/snapshot`, {
      headers: { "X-Api-Key": pg.api.apiKey },
    });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`GET snapshot answered ${res.status}`);
    if (!body.includes(`bench snapshot cost ${i}"`)) throw new Error("GET snapshot after a change did not show it");
    if (i >= 0) cpu += treeCpuSeconds(pg.server.pid) - before;
  }
  return (cpu * 1000) / rounds;
}

async function measureMode(
  ctx: PhaseContext,
  pg: PostgresTarget,
  mode: Mode,
  commits: Map<number, number>,
): Promise<ModeResult> {
  const id = pg.meta.fixtures.inProgressRunId;
  const watchers = ctx.scale.watchers;
  const seconds = ctx.scale.watchSeconds;
  const tally = { requests: 0, errors: 0, errorSamples: [] as string[] };
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const aborted = new Promise<void>((r) => abort.signal.addEventListener("abort", () => r(), { once: true }));
  const failed = (why: string) => {
    tally.errors++;
    if (tally.errorSamples.length < 5) tally.errorSamples.push(why);
  };
  const record = (a: Awaited<ReturnType<typeof conditionalGet>>, path: string) => {
    if (!a && abort.signal.aborted) return; // cut at the end
    tally.requests++;
    if (!a || (a.status !== 200 && a.status !== 304)) failed(`${path}: ${a ? a.status : "network error"}`);
  };
  /** Per watcher, the newest change its answers showed; and every answer that showed one. */
  const last = new Array<number>(watchers).fill(0);
  const seen: { commit: number; at: number }[] = [];
  const saw = (i: number, text: string, at: number) => {
    const m = MARK.exec(text);
    if (!m) return;
    const commit = Number(m[1]);
    if (commit <= last[i]) return;
    last[i] = commit;
    seen.push({ commit, at });
  };
  const debug = process.env.BENCH_DEBUG ? ctx.log : () => undefined;
  debug(`  ${mode}: start`);
  const etag = mode === "stream" ? await snapshotEtag(pg.api.base, pg.api.apiKey, id) : "";
  const pids = await backendPids(pg);
  debug(`  ${mode}: ${pids.length} PostgreSQL backends`);
  const firstCommit = commits.size ? Math.max(...commits.keys()) + 1 : 1;
  const started = performance.now();
  // The old page polls on its own clock; watchers are timed from changes made once all of them are
  // watching (one that opens after a change would be timed by how late it opened).
  let end = mode === "old page" ? started + seconds * 1000 : Infinity;
  const opened = Array.from({ length: watchers }, () => {
    let resolve = () => {};
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve: () => resolve() };
  });
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
  const clients = Array.from({ length: watchers }, async (_, i) => {
    const etags = new Map<string, string>();
    phaseOf[i] = "sleep0";
    if (mode === "long-poll") {
      const path = `/api/v1/activities/${id}/snapshot`;
      // The page's first load (not a long poll), then long polls until the end.
      await sleep((i / watchers) * 500);
      phaseOf[i] = "first";
      record(await conditionalGet(pg.api.base, pg.api.apiKey, path, etags, null, abort.signal), path);
      opened[i].resolve();
      phaseOf[i] = "poll";
      while (!abort.signal.aborted) {
        const a = await conditionalGet(pg.api.base, pg.api.apiKey, `${path}?wait=${WAIT_S}`, etags, null, abort.signal);
        if (abort.signal.aborted) break;
        record(a, path);
        if (a?.status === 200) saw(i, a.body, a.at);
        if (!a) await sleep(200);
      }
    } else if (mode === "stream") {
      // A tab that has the snapshot (its first load) and subscribes to it with its ETag.
      await sleep((i / watchers) * 500);
      phaseOf[i] = "stream";
      tally.requests++;
      const stream: Stream = openStream(
        pg.api.base,
        pg.api.apiKey,
        [`w:${etagValue(etag)}:/activities/${id}/snapshot`],
        (e) => {
          if (e.type === "answer") saw(i, e.data, e.at);
          else if (e.type === "failed") failed(`stream event failed: ${e.data.slice(0, 200)}`);
        },
        failed,
      );
      stream.ready.then(opened[i].resolve, opened[i].resolve);
      await aborted;
      tally.requests += stream.reopened;
      stream.close();
    } else {
      opened[i].resolve();
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
      phaseOf[i] = "done";
    }
  });
  await Promise.race([Promise.all(opened.map((o) => o.promise)), sleep(OPEN_TIMEOUT_MS)]);
  if (mode !== "old page") end = performance.now() + seconds * 1000;
  const writing = writer(pg, id, end, commits).finally(() => (writerState = "done"));
  writing.catch(() => abort.abort());
  await writing;
  const finalCommit = Math.max(...commits.keys());
  debug(`  ${mode}: writer done (${commits.size} changes), ${tally.requests} answers`);
  const watched = mode !== "old page";
  const deadline = performance.now() + FINAL_WAIT_MS;
  while (watched && performance.now() < deadline && last.some((n) => n < finalCommit)) await sleep(50);
  // Long polls still waiting and streams are cut at the end (they would only time out).
  abort.abort();
  await Promise.all(clients.map((c, i) => c.finally(() => (phaseOf[i] = "done"))));
  if (watchdog) clearInterval(watchdog);
  const elapsed = (performance.now() - started) / 1000;
  const serverCpu = treeCpuSeconds(pg.server.pid) - serverBefore;
  const dbCpu = processesCpuSeconds(pids) - dbBefore;
  const changes = finalCommit - firstCommit + 1;
  // Each answer is timed from the commit of the change it shows (the newest it saw).
  const delays = seen.filter((s) => commits.has(s.commit)).map((s) => s.at - commits.get(s.commit)!);
  const lat = latencyFigures(delays);
  const byChange = new Map<number, number[]>();
  for (const x of seen) if (commits.has(x.commit)) byChange.set(x.commit, [...(byChange.get(x.commit) ?? []), x.at]);
  const firsts = [...byChange].map(([c, at]) => Math.min(...at) - commits.get(c)!);
  const spreads = [...byChange.values()].map((at) => Math.max(...at) - Math.min(...at));
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
    notifyMs: watched ? { ...lat, n: delays.length, missed: Math.max(0, changes * watchers - delays.length) } : null,
    onFinalState: watched ? last.filter((n) => n === finalCommit).length : null,
    cpuMsPerDelivery: watched ? (serverCpu * 1000) / Math.max(1, delays.length) : null,
    perChangeMs: watched
      ? {
          firstP50: latencyFigures(firsts).p50,
          spreadP50: latencyFigures(spreads).p50,
          spreadMax: latencyFigures(spreads).max,
        }
      : null,
  };
}

/** Samples the server's CPU until it stays quiet (every idle watcher has been taken in), at most 5 s. */
async function quiet(server: Server): Promise<void> {
  const deadline = performance.now() + 5_000;
  let before = treeCpuSeconds(server.pid);
  while (performance.now() < deadline) {
    await sleep(500);
    const now = treeCpuSeconds(server.pid);
    if (now - before < 0.03) return;
    before = now;
  }
}

/**
 * Memory per idle watcher on a fresh server (so no memory freed by earlier work is reused): the
 * routes warmed, then `n` streams opened (each awaited to its `ready`), then, beside them, `n` long
 * polls of the snapshot with its current ETag, nothing changing. RSS of the server tree once its
 * CPU is quiet after each; the deltas ÷ `n`.
 */
async function idleMemory(ctx: PhaseContext, pg: PostgresTarget): Promise<WatchResult["idle"]> {
  const n = ctx.scale.idleWatchers;
  const id = pg.meta.fixtures.inProgressRunId;
  const server = await startServer({ kind: "postgres", url: pg.url }, ctx.adminKey, path.join(ctx.workDir, "idle"));
  const streams: Stream[] = [];
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const polls: Promise<void>[] = [];
  try {
    const etag = await snapshotEtag(server.base, ctx.adminKey, id);
    const subscription = `w:${etagValue(etag)}:/activities/${id}/snapshot`;
    const snapshot = `/api/v1/activities/${id}/snapshot`;
    const side = (): IdleSide => ({
      watchers: n,
      errors: 0,
      listenOverflows: listenOverflows(),
      errorSamples: [],
      rssBeforeMiB: treeRssBytes(server.pid) / 2 ** 20,
      rssAfterMiB: 0,
      bytesPerWatcher: 0,
    });
    const done = (s: IdleSide) => {
      s.listenOverflows = listenOverflows() - s.listenOverflows;
      s.rssAfterMiB = treeRssBytes(server.pid) / 2 ** 20;
      s.bytesPerWatcher = ((s.rssAfterMiB - s.rssBeforeMiB) * 2 ** 20) / n;
      return s;
    };
    const failedOn = (s: IdleSide) => (why: string) => {
      s.errors++;
      if (s.errorSamples.length < 5) s.errorSamples.push(why);
    };
    // Warm both routes: a fresh server loads and compiles a route on its first request.
    const warm = Array.from({ length: 20 }, () =>
      openStream(
        server.base,
        ctx.adminKey,
        [subscription],
        () => {},
        () => {},
      ),
    );
    await Promise.allSettled(warm.map((s) => s.ready));
    warm.forEach((s) => s.close());
    await Promise.all(
      Array.from({ length: 20 }, () =>
        conditionalGet(server.base, ctx.adminKey, `${snapshot}?wait=1`, new Map([[snapshot, etag]]), null),
      ),
    );
    await quiet(server);

    const stream = side();
    const streamFailed = failedOn(stream);
    for (let i = 0; i < n; i += 50) {
      const batch = Array.from({ length: Math.min(50, n - i) }, () =>
        openStream(server.base, ctx.adminKey, [subscription], () => {}, streamFailed),
      );
      streams.push(...batch);
      await Promise.allSettled(batch.map((s) => s.ready));
    }
    await quiet(server);
    done(stream);

    const longPoll = side();
    const tally = newTally();
    for (let i = 0; i < n; i++) {
      polls.push(
        (async () => {
          const etags = new Map([[snapshot, etag]]);
          while (!abort.signal.aborted)
            await conditionalGet(server.base, ctx.adminKey, `${snapshot}?wait=${WAIT_S}`, etags, tally, abort.signal);
        })(),
      );
      // 200 a second: faster, a busy server's accept queue (511) overflows and connections are reset.
      if (i % 50 === 49) await sleep(250);
    }
    await quiet(server);
    done(longPoll);
    longPoll.errors = tally.errors;
    longPoll.errorSamples = tally.errorSamples;
    return { stream, longPoll };
  } finally {
    abort.abort();
    streams.forEach((s) => s.close());
    await Promise.all(polls);
    await server.stop();
  }
}

function reportMode(ctx: PhaseContext, r: ModeResult, snapshotCpuMs: number): void {
  const what = `${r.watchers} watchers, ${r.mode === "stream" ? "stream (GET /live)" : "long poll"}`;
  const lat = r.notifyMs!;
  ctx.report.check(
    "watch",
    `${what}: change → watcher's answer`,
    `p50 ${ms(lat.p50)} p95 ${ms(lat.p95)} max ${ms(lat.max)} (${count(lat.n)} answers to ${r.changes} changes)`,
    "p95 ≤ 250 ms",
    lat.p95 <= 250,
  );
  const ratio = r.cpuMsPerDelivery! / snapshotCpuMs;
  ctx.report.check(
    "watch",
    `${what}: server CPU per delivered update ÷ one snapshot GET`,
    `${ms(r.cpuMsPerDelivery!)} ÷ ${ms(snapshotCpuMs)} = ${times(ratio)} (${r.serverCpuSeconds.toFixed(1)} s over ${count(lat.n)} updates)`,
    "≤ 0.20×",
    ratio <= 0.2,
  );
  ctx.report.check(
    "watch",
    `${what}: watchers on the final state`,
    `${count(r.onFinalState!)} of ${count(r.watchers)}`,
    "all",
    r.onFinalState === r.watchers,
  );
}

function reportIdle(ctx: PhaseContext, kind: string, s: IdleSide): void {
  ctx.report.add({
    phase: "watch",
    measure: `${count(s.watchers)} idle ${kind}: memory per watcher (server RSS delta ÷ watchers)`,
    value:
      `${Math.round(s.bytesPerWatcher / 1024)} KiB (${Math.round(s.rssBeforeMiB)} → ${Math.round(s.rssAfterMiB)} MiB)` +
      (s.errors ? `; ${s.errors} errors (${s.errorSamples[0]})` : "") +
      (s.listenOverflows ? `; ${count(s.listenOverflows)} connections dropped by a full accept queue` : ""),
  });
}

export async function watchPhase(ctx: PhaseContext, pg: PostgresTarget): Promise<WatchResult> {
  const id = pg.meta.fixtures.inProgressRunId;
  const snapshotCpu = await snapshotGetCpuMs(pg, id, Math.max(30, ctx.scale.samplesPerRoute));
  const commits = new Map<number, number>();
  const longPoll = await measureMode(ctx, pg, "long-poll", commits);
  await sleep(1000);
  const stream = await measureMode(ctx, pg, "stream", commits);
  await sleep(1000);
  const oldPage = await measureMode(ctx, pg, "old page", commits);
  const cpuRatio = longPoll.cpuMsPerWatcherMinute / oldPage.cpuMsPerWatcherMinute;
  ctx.report.add({
    phase: "watch",
    measure: "server CPU of one snapshot GET after a change (nobody watching)",
    value: ms(snapshotCpu),
  });
  reportMode(ctx, longPoll, snapshotCpu);
  reportMode(ctx, stream, snapshotCpu);
  const all = [longPoll, stream, oldPage];
  const sample = all.flatMap((r) => r.errorSamples)[0];
  ctx.report.check(
    "watch",
    `${longPoll.watchers} watchers: errors (long poll, stream, old page)`,
    all.map((r) => r.errors).join(", ") + (sample ? ` (${sample})` : ""),
    "0",
    all.every((r) => r.errors === 0),
  );
  ctx.report.check(
    "watch",
    `${longPoll.watchers} watchers: server CPU per watcher-minute, long poll ÷ old page`,
    `${ms(longPoll.cpuMsPerWatcherMinute)} ÷ ${ms(oldPage.cpuMsPerWatcherMinute)} = ${times(cpuRatio)} (requests ${count(longPoll.requests)} vs ${count(oldPage.requests)} of ${count((oldPage.watchers * 5 * oldPage.seconds) / 2)} the old page asked; PostgreSQL CPU ${longPoll.databaseCpuSeconds.toFixed(1)} s vs ${oldPage.databaseCpuSeconds.toFixed(1)} s)`,
    "≤ 0.20×",
    cpuRatio <= 0.2,
  );
  for (const r of [longPoll, stream])
    ctx.log(
      `  ${r.mode}: ${r.requests} requests, notify p50 ${r.notifyMs!.p50.toFixed(0)} p95 ${r.notifyMs!.p95.toFixed(0)} ms ` +
        `(per change: first watcher p50 ${r.perChangeMs!.firstP50.toFixed(0)} ms, first to last p50 ${r.perChangeMs!.spreadP50.toFixed(0)} max ${r.perChangeMs!.spreadMax.toFixed(0)} ms), ` +
        `CPU ${r.serverCpuSeconds.toFixed(1)} s, ${r.onFinalState}/${r.watchers} on the final state`,
    );
  ctx.log(`  old page: ${oldPage.requests} requests, CPU ${oldPage.serverCpuSeconds.toFixed(1)} s`);
  ctx.log(`  idle: ${ctx.scale.idleWatchers} streams, then as many long polls, on a fresh server`);
  const idleStarted = performance.now();
  const idle = await idleMemory(ctx, pg);
  ctx.log(`  idle: measured in ${((performance.now() - idleStarted) / 1000).toFixed(0)} s`);
  reportIdle(ctx, "streams", idle.stream);
  reportIdle(ctx, "long polls", idle.longPoll);
  return { snapshotGetCpuMs: snapshotCpu, longPoll, stream, oldPage, cpuRatio, idle };
}
