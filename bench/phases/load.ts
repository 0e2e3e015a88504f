/**
 * Bounded under load: N browsers polling the activity list and a running activity's snapshot
 * every 2 s with If-None-Match (as a browser revalidates), on each store. Every answer must be a
 * 200, a 304 or a 503 with Retry-After (shedding is allowed; the client then waits as asked);
 * anything else, or a broken connection, is an error. Latency includes the 503s; the slowest
 * answer must come within 5 s (no request starves). Server RSS before and after.
 */
import { conditionalGet, latencyFigures, newTally, sleep, type Tally } from "../clients";
import { count, ms } from "../report";
import { treeRssBytes, type Server } from "../server";
import { withPgliteServer } from "./pglite";
import type { PhaseContext, PostgresTarget } from "./context";

const INTERVAL_MS = 2_000;
const MAX_MS = 5_000;

export interface LoadRun {
  store: "postgres" | "pglite";
  clients: number;
  seconds: number;
  requests: number;
  ok: number;
  notModified: number;
  shed: number;
  errors: number;
  errorSamples: string[];
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
}

async function loadRun(
  ctx: PhaseContext,
  store: LoadRun["store"],
  server: Server,
  runningId: string,
): Promise<LoadRun> {
  const clients = ctx.scale.loadClients;
  const seconds = ctx.scale.loadSeconds;
  const paths = ["/api/v1/activities", `/api/v1/activities/${runningId}/snapshot`];
  const tally: Tally = newTally();
  const rssBefore = treeRssBytes(server.pid);
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const etags = new Map<string, string>();
      await sleep((i / clients) * INTERVAL_MS);
      while (performance.now() < end) {
        const t = performance.now();
        const answers = await Promise.all(paths.map((p) => conditionalGet(server.base, ctx.adminKey, p, etags, tally)));
        const retry = Math.max(0, ...answers.map((a) => (a?.status === 503 ? (a.retryAfter ?? 1) : 0)));
        await sleep(Math.max(retry * 1000, INTERVAL_MS - (performance.now() - t)));
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const rssAfter = treeRssBytes(server.pid);
  const lat = latencyFigures(tally.latencies);
  return {
    store,
    clients,
    seconds,
    requests: tally.requests,
    ok: tally.ok,
    notModified: tally.notModified,
    shed: tally.shed,
    errors: tally.errors,
    errorSamples: tally.errorSamples,
    requestsPerSecond: tally.requests / elapsed,
    p50: lat.p50,
    p99: lat.p99,
    max: lat.max,
    rssBeforeMiB: rssBefore / 2 ** 20,
    rssAfterMiB: rssAfter / 2 ** 20,
  };
}

function report(ctx: PhaseContext, r: LoadRun): void {
  const label = r.store === "pglite" ? "embedded PGlite" : "PostgreSQL";
  const what = `${r.clients} browsers × ${r.seconds} s, ${label}`;
  ctx.report.check(
    "load",
    `${what}: errors`,
    `${r.errors} of ${count(r.requests)}` + (r.errorSamples.length ? ` (${r.errorSamples[0]})` : ""),
    "0",
    r.errors === 0,
  );
  ctx.report.check(
    "load",
    `${what}: latency`,
    `p50 ${ms(r.p50)} p99 ${ms(r.p99)} max ${ms(r.max)}; ${Math.round(r.requestsPerSecond)} req/s`,
    "max < 5 s",
    r.max < MAX_MS,
  );
  ctx.report.add({
    phase: "load",
    measure: `${what}: answers`,
    value: `${count(r.ok)} × 200, ${count(r.notModified)} × 304, ${count(r.shed)} × 503 with Retry-After (shed)`,
  });
  ctx.report.add({
    phase: "load",
    measure: `${what}: server RSS`,
    value: `${Math.round(r.rssBeforeMiB)} MiB before, ${Math.round(r.rssAfterMiB)} MiB after`,
  });
  ctx.log(
    `  ${label}: ${r.requests} requests, ${r.errors} errors, ${r.shed} shed, p50 ${r.p50.toFixed(1)} p99 ${r.p99.toFixed(1)} max ${r.max.toFixed(0)} ms, RSS ${Math.round(r.rssBeforeMiB)} → ${Math.round(r.rssAfterMiB)} MiB`,
  );
}

export async function loadPhase(ctx: PhaseContext, pg: PostgresTarget | null, reseed: boolean): Promise<LoadRun[]> {
  const runs: LoadRun[] = [];
  if (pg) {
    const r = await loadRun(ctx, "postgres", pg.server, pg.meta.fixtures.inProgressRunId);
    report(ctx, r);
    runs.push(r);
  }
  await withPgliteServer(ctx, reseed, "load", async (server, meta) => {
    const r = await loadRun(ctx, "pglite", server, meta.fixtures.inProgressRunId);
    report(ctx, r);
    runs.push(r);
  });
  return runs;
}
