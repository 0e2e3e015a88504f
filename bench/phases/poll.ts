/**
 * Phase 4: browsers polling the running activity's detail, stats and progress every 2 s, with
 * and without conditional requests; server CPU per request from /proc (next-server tree and the
 * PostgreSQL backends of the bench database).
 */
import { ms, times } from "../report";
import { processesCpuSeconds, treeCpuSeconds } from "../server";
import { percentile } from "../stats";
import type { PhaseContext, PostgresTarget } from "./context";

const INTERVAL_MS = 2_000;

export interface PollRun {
  conditional: boolean;
  requests: number;
  notModified: number;
  errors: number;
  errorSamples: string[];
  requestsPerSecond: number;
  p50: number;
  p95: number;
  serverCpuMsPerRequest: number;
  databaseCpuMsPerRequest: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function backendPids(pg: PostgresTarget): Promise<number[]> {
  const rows = (await pg.sql(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  )) as { pid: number }[];
  return rows.map((r) => r.pid);
}

async function pollRun(ctx: PhaseContext, pg: PostgresTarget, conditional: boolean): Promise<PollRun> {
  const id = pg.meta.fixtures.inProgressRunId;
  const paths = [`/api/v1/activities/${id}`, `/api/v1/activities/${id}/stats`, `/api/v1/activities/${id}/progress`];
  const browsers = Array.from({ length: ctx.scale.pollBrowsers }, () => new Map<string, string>());
  const latencies: number[] = [];
  const tally = { requests: 0, notModified: 0, errors: 0, errorSamples: [] as string[] };
  let recording = false;

  const poll = async (etags: Map<string, string>) =>
    Promise.all(
      paths.map(async (path) => {
        const headers: Record<string, string> = { "X-Api-Key": pg.api.apiKey };
        const etag = etags.get(path);
        if (conditional && etag) headers["If-None-Match"] = etag;
        const t = performance.now();
        try {
          const res = await fetch(pg.api.base + path, { headers });
          await res.arrayBuffer();
          if (res.status !== 200 && res.status !== 304) throw new Error(`${path} answered ${res.status}`);
          const tag = res.headers.get("etag");
          if (tag) etags.set(path, tag);
          if (!recording) return;
          tally.requests++;
          if (res.status === 304) tally.notModified++;
          latencies.push(performance.now() - t);
        } catch (e) {
          if (!recording) throw e;
          tally.errors++;
          if (tally.errorSamples.length < 5) tally.errorSamples.push(String((e as Error).message ?? e));
        }
      }),
    );

  // Every browser loads the page once (and gets its ETags) before the clock starts.
  for (let i = 0; i < browsers.length; i += 20) await Promise.all(browsers.slice(i, i + 20).map(poll));
  const pids = await backendPids(pg);
  const serverBefore = treeCpuSeconds(pg.server.pid);
  const dbBefore = processesCpuSeconds(pids);
  recording = true;
  const started = performance.now();
  const end = started + ctx.scale.pollSeconds * 1000;
  await Promise.all(
    browsers.map(async (etags, i) => {
      await sleep((i / browsers.length) * INTERVAL_MS);
      while (performance.now() < end) {
        const t = performance.now();
        await poll(etags);
        await sleep(Math.max(0, INTERVAL_MS - (performance.now() - t)));
      }
    }),
  );
  recording = false;
  const elapsed = (performance.now() - started) / 1000;
  const serverCpu = treeCpuSeconds(pg.server.pid) - serverBefore;
  const dbCpu = processesCpuSeconds(pids) - dbBefore;
  latencies.sort((a, b) => a - b);
  return {
    conditional,
    ...tally,
    requestsPerSecond: tally.requests / elapsed,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    serverCpuMsPerRequest: (serverCpu * 1000) / Math.max(1, tally.requests),
    databaseCpuMsPerRequest: (dbCpu * 1000) / Math.max(1, tally.requests),
  };
}

export async function pollPhase(ctx: PhaseContext, pg: PostgresTarget): Promise<PollRun[]> {
  const runs: PollRun[] = [];
  for (const conditional of [false, true]) {
    const r = await pollRun(ctx, pg, conditional);
    runs.push(r);
    const label = conditional ? "with If-None-Match" : "without If-None-Match";
    ctx.report.add({
      phase: "poll",
      measure: `${ctx.scale.pollBrowsers} browsers ${label}`,
      value: `${Math.round(r.requestsPerSecond)} req/s, p50 ${ms(r.p50)} p95 ${ms(r.p95)}, ${r.notModified} of ${r.requests} were 304; CPU/request: server ${ms(r.serverCpuMsPerRequest)}, PostgreSQL ${ms(r.databaseCpuMsPerRequest)}`,
    });
    ctx.report.check(
      "poll",
      `errors ${label}`,
      String(r.errors) + (r.errorSamples.length ? ` (${r.errorSamples[0]})` : ""),
      "0",
      r.errors === 0,
    );
    ctx.log(
      `  ${label}: ${r.requests} requests, ${r.notModified} × 304, ${r.errors} errors, server CPU ${r.serverCpuMsPerRequest.toFixed(2)} ms/request`,
    );
  }
  const [full, conditional] = runs;
  const ratio = conditional.serverCpuMsPerRequest / full.serverCpuMsPerRequest;
  ctx.report.check("poll", "server CPU: 304 poll ÷ full poll", times(ratio), "≤ 0.20×", ratio <= 0.2);
  return runs;
}
