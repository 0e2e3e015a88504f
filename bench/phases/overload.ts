/**
 * Overload, on each store: N long polls of a running activity's snapshot, waiting (?wait=25 with
 * its current ETag, asking again when answered; they arrive over the first 10 s, 200 a second),
 * and M slow clients (slowloris: a socket that sends a request's headers a byte a second and
 * never finishes them; opened again when the server closes it). Meanwhile GET /health/live every
 * 250 ms, each on its own schedule whatever the others do: its latency (p50/p99/max) must stay
 * under 1 s, and is also given apart while the long polls arrive and once they all wait. Errors:
 * a probe that is not 200, a long poll answered with anything but 200, 304 or 503 with
 * Retry-After, or a broken connection. Server RSS before, at its peak and after. Each store gets a
 * fresh server.
 */
import { setMaxListeners } from "node:events";
import net from "node:net";
import path from "node:path";
import { conditionalGet, latencyFigures, newTally, sleep } from "../clients";
import { count, ms } from "../report";
import { listenOverflows, startServer, treeRssBytes, type Server } from "../server";
import { withPgliteServer } from "./pglite";
import type { PhaseContext, PostgresTarget } from "./context";

const PROBE_MS = 250;
const PROBE_TIMEOUT_MS = 30_000;
const LIVENESS_MAX_MS = 1_000;
const SLOW_BYTE_MS = 1_000;
const WAIT_S = 25;
const ARRIVAL_MS = 10_000;

export interface OverloadRun {
  store: "postgres" | "pglite";
  longPolls: number;
  slowClients: number;
  seconds: number;
  probes: number;
  probeErrors: number;
  liveness: { p50: number; p99: number; max: number };
  /** Liveness while the long polls arrive, and once they all wait. */
  arriving: { p99: number; max: number };
  waiting: { p99: number; max: number };
  pollAnswers: number;
  pollErrors: number;
  shed: number;
  errorSamples: string[];
  /** Slow clients the server closed (each was opened again). */
  slowClosed: number;
  /** Connections dropped because the accept queue was full (machine-wide). */
  listenOverflows: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  rssAfterMiB: number;
}

/** A slowloris client: headers a byte at a time, never finished; reopened when the server closes it. */
function slowClient(server: Server, signal: AbortSignal, closed: () => void): void {
  const { hostname, port } = new URL(server.base);
  const head = `GET /api/v1/health/live HTTP/1.1\r\nHost: ${hostname}:${port}\r\nX-Slow: `;
  const open = () => {
    if (signal.aborted) return;
    const socket = net.connect(Number(port), hostname);
    let sent = 0;
    const timer = setInterval(() => {
      socket.write(sent < head.length ? head[sent] : "a");
      sent++;
    }, SLOW_BYTE_MS);
    const end = () => {
      clearInterval(timer);
      socket.destroy();
    };
    signal.addEventListener("abort", end, { once: true });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearInterval(timer);
      signal.removeEventListener("abort", end);
      if (signal.aborted) return;
      closed();
      setTimeout(open, SLOW_BYTE_MS);
    });
  };
  open();
}

async function overloadRun(
  ctx: PhaseContext,
  store: OverloadRun["store"],
  server: Server,
  runningId: string,
): Promise<OverloadRun> {
  const n = ctx.scale.overloadPolls;
  const slow = ctx.scale.overloadSlowClients;
  const seconds = ctx.scale.overloadSeconds;
  const snapshot = `/api/v1/activities/${runningId}/snapshot`;
  const first = await fetch(server.base + snapshot, { headers: { "X-Api-Key": ctx.adminKey } });
  await first.arrayBuffer();
  const etag = first.headers.get("etag");
  if (!first.ok || !etag) throw new Error(`GET snapshot answered ${first.status} without an ETag`);
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const rssBefore = treeRssBytes(server.pid);
  const overflowsBefore = listenOverflows();
  let rssPeak = rssBefore;
  const started = performance.now();
  const end = started + seconds * 1000;

  const latencies: number[] = [];
  /** When each probe was sent, relative to the start. */
  const sentAt: number[] = [];
  let probeErrors = 0;
  const errorSamples: string[] = [];
  const probes: Promise<void>[] = [];
  const probe = async () => {
    const t = performance.now();
    const record = () => {
      latencies.push(performance.now() - t);
      sentAt.push(t - started);
    };
    try {
      const res = await fetch(`${server.base}/api/v1/health/live`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      await res.arrayBuffer();
      record();
      if (res.status !== 200) {
        probeErrors++;
        if (errorSamples.length < 5) errorSamples.push(`/health/live answered ${res.status}`);
      }
    } catch (e) {
      record();
      probeErrors++;
      if (errorSamples.length < 5) errorSamples.push(`/health/live: ${(e as Error).message}`);
    }
  };
  const prober = (async () => {
    for (let k = 0; started + k * PROBE_MS < end; k++) {
      await sleep(Math.max(0, started + k * PROBE_MS - performance.now()));
      probes.push(probe());
    }
  })();
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, treeRssBytes(server.pid))), 1000);

  let slowClosed = 0;
  for (let i = 0; i < slow; i++) slowClient(server, abort.signal, () => slowClosed++);

  const tally = newTally();
  const polls = Array.from({ length: n }, async (_, i) => {
    await sleep((i / n) * ARRIVAL_MS);
    const etags = new Map([[snapshot, etag]]);
    while (!abort.signal.aborted) {
      const a = await conditionalGet(
        server.base,
        ctx.adminKey,
        `${snapshot}?wait=${WAIT_S}`,
        etags,
        tally,
        abort.signal,
      );
      if (a?.status === 503) await sleep((a.retryAfter ?? 1) * 1000);
      else if (!a) await sleep(1000);
    }
  });

  await sleep(Math.max(0, end - performance.now()));
  await prober;
  await Promise.all(probes);
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, treeRssBytes(server.pid));
  abort.abort();
  await Promise.all(polls);
  await sleep(1000);
  const rssAfter = treeRssBytes(server.pid);
  const lat = latencyFigures(latencies);
  const during = (arriving: boolean) => {
    const l = latencyFigures(latencies.filter((_, k) => sentAt[k] < ARRIVAL_MS === arriving));
    return { p99: l.p99, max: l.max };
  };
  return {
    store,
    longPolls: n,
    slowClients: slow,
    seconds,
    probes: latencies.length,
    probeErrors,
    liveness: { p50: lat.p50, p99: lat.p99, max: lat.max },
    arriving: during(true),
    waiting: during(false),
    pollAnswers: tally.requests,
    pollErrors: tally.errors,
    shed: tally.shed,
    errorSamples: [...errorSamples, ...tally.errorSamples],
    slowClosed,
    listenOverflows: listenOverflows() - overflowsBefore,
    rssBeforeMiB: rssBefore / 2 ** 20,
    rssPeakMiB: rssPeak / 2 ** 20,
    rssAfterMiB: rssAfter / 2 ** 20,
  };
}

function report(ctx: PhaseContext, r: OverloadRun): void {
  const label = r.store === "pglite" ? "embedded PGlite" : "PostgreSQL";
  const what = `${count(r.longPolls)} long polls + ${r.slowClients} slow clients × ${r.seconds} s, ${label}`;
  ctx.report.check(
    "overload",
    `${what}: /health/live latency`,
    `p50 ${ms(r.liveness.p50)} p99 ${ms(r.liveness.p99)} max ${ms(r.liveness.max)} (${count(r.probes)} probes; ` +
      `while the long polls arrive p99 ${ms(r.arriving.p99)} max ${ms(r.arriving.max)}, once they wait p99 ${ms(r.waiting.p99)} max ${ms(r.waiting.max)})`,
    "p99 and max < 1 s",
    r.liveness.p99 < LIVENESS_MAX_MS && r.liveness.max < LIVENESS_MAX_MS,
  );
  ctx.report.check(
    "overload",
    `${what}: errors (liveness, long polls)`,
    `${r.probeErrors}, ${r.pollErrors} of ${count(r.pollAnswers)} long-poll answers` +
      (r.errorSamples.length ? ` (${r.errorSamples[0]})` : ""),
    "0",
    r.probeErrors + r.pollErrors === 0,
  );
  ctx.report.add({
    phase: "overload",
    measure: `${what}: server RSS`,
    value:
      `${Math.round(r.rssBeforeMiB)} MiB before, ${Math.round(r.rssPeakMiB)} MiB at the peak, ${Math.round(r.rssAfterMiB)} MiB after; ` +
      `${count(r.shed)} long polls shed (503), ${count(r.slowClosed)} slow clients closed by the server, ` +
      `${count(r.listenOverflows)} connections dropped by a full accept queue`,
  });
  ctx.log(
    `  ${label}: liveness p50 ${r.liveness.p50.toFixed(1)} p99 ${r.liveness.p99.toFixed(1)} max ${r.liveness.max.toFixed(0)} ms, ${r.probeErrors + r.pollErrors} errors, RSS ${Math.round(r.rssBeforeMiB)} → ${Math.round(r.rssPeakMiB)} → ${Math.round(r.rssAfterMiB)} MiB`,
  );
}

export async function overloadPhase(
  ctx: PhaseContext,
  pg: PostgresTarget | null,
  reseed: boolean,
): Promise<OverloadRun[]> {
  const runs: OverloadRun[] = [];
  if (pg) {
    // A fresh server, as on the embedded store: the RSS it gains is the load's, not earlier phases' heap reused.
    const server = await startServer(
      { kind: "postgres", url: pg.url },
      ctx.adminKey,
      path.join(ctx.workDir, "overload"),
    );
    try {
      const r = await overloadRun(ctx, "postgres", server, pg.meta.fixtures.inProgressRunId);
      report(ctx, r);
      runs.push(r);
    } finally {
      await server.stop();
    }
  }
  await withPgliteServer(ctx, reseed, "overload", async (server, meta) => {
    const r = await overloadRun(ctx, "pglite", server, meta.fixtures.inProgressRunId);
    report(ctx, r);
    runs.push(r);
  });
  return runs;
}
