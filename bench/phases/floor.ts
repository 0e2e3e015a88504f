/**
 * The floor: a 304 answered from memory (GET /activities/{id} with its current ETag, after a
 * first GET so the process knows the activity's version from the change signal) against
 * GET /health/live, which returns a constant. Same concurrency, same run, interleaved rounds;
 * server CPU per request (utime + stime of the server tree / requests) and latency.
 */
import { latencyFigures } from "../clients";
import { count, ms, times } from "../report";
import { treeCpuSeconds } from "../server";
import type { PhaseContext, PostgresTarget } from "./context";

interface Side {
  requests: number;
  errors: number;
  cpuSeconds: number;
  latencies: number[];
}

export interface FloorResult {
  concurrency: number;
  notModified: { requests: number; errors: number; cpuUsPerRequest: number; p50: number; p99: number };
  live: { requests: number; errors: number; cpuUsPerRequest: number; p50: number; p99: number };
  cpuRatio: number;
  latencyRatio: number;
}

async function round(
  pg: PostgresTarget,
  seconds: number,
  concurrency: number,
  path: string,
  headers: Record<string, string>,
  expect: number,
  side: Side,
): Promise<void> {
  const cpuBefore = treeCpuSeconds(pg.server.pid);
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          const res = await fetch(pg.api.base + path, { headers });
          await res.arrayBuffer();
          side.latencies.push(performance.now() - t);
          side.requests++;
          if (res.status !== expect) side.errors++;
        } catch {
          side.requests++;
          side.errors++;
        }
      }
    }),
  );
  side.cpuSeconds += treeCpuSeconds(pg.server.pid) - cpuBefore;
}

export async function floorPhase(ctx: PhaseContext, pg: PostgresTarget): Promise<FloorResult> {
  const id = pg.meta.fixtures.typicalRunId;
  const path = `/api/v1/activities/${id}`;
  const first = await fetch(pg.api.base + path, { headers: { "X-Api-Key": pg.api.apiKey } });
  await first.arrayBuffer();
  const etag = first.headers.get("etag");
  if (!first.ok || !etag) throw new Error(`GET ${path} answered ${first.status} without an ETag`);
  const c = ctx.scale.floorConcurrency;
  const s = ctx.scale.floorSeconds;
  const nm: Side = { requests: 0, errors: 0, cpuSeconds: 0, latencies: [] };
  const live: Side = { requests: 0, errors: 0, cpuSeconds: 0, latencies: [] };
  const nmHeaders = { "X-Api-Key": pg.api.apiKey, "If-None-Match": etag };
  // Warm both paths, then two interleaved rounds each.
  await round(pg, 1, c, path, nmHeaders, 304, { requests: 0, errors: 0, cpuSeconds: 0, latencies: [] });
  await round(pg, 1, c, "/api/v1/health/live", {}, 200, { requests: 0, errors: 0, cpuSeconds: 0, latencies: [] });
  for (let i = 0; i < 2; i++) {
    await round(pg, s / 2, c, path, nmHeaders, 304, nm);
    await round(pg, s / 2, c, "/api/v1/health/live", {}, 200, live);
  }
  const summary = (x: Side) => {
    const l = latencyFigures(x.latencies);
    return {
      requests: x.requests,
      errors: x.errors,
      cpuUsPerRequest: (x.cpuSeconds * 1e6) / Math.max(1, x.requests),
      p50: l.p50,
      p99: l.p99,
    };
  };
  const a = summary(nm);
  const b = summary(live);
  const result: FloorResult = {
    concurrency: c,
    notModified: a,
    live: b,
    cpuRatio: a.cpuUsPerRequest / b.cpuUsPerRequest,
    latencyRatio: a.p50 / b.p50,
  };
  const us = (x: number) => `${Math.round(x)} µs`;
  ctx.report.check(
    "floor",
    `304 from memory ÷ /health/live: server CPU per request (${c} concurrent)`,
    `${us(a.cpuUsPerRequest)} ÷ ${us(b.cpuUsPerRequest)} = ${times(result.cpuRatio)} (${count(a.requests)} and ${count(b.requests)} requests)`,
    "≤ 1.3×",
    result.cpuRatio <= 1.3,
  );
  ctx.report.check(
    "floor",
    `304 from memory ÷ /health/live: latency p50`,
    `${ms(a.p50)} ÷ ${ms(b.p50)} = ${times(result.latencyRatio)} (p99 ${ms(a.p99)} vs ${ms(b.p99)})`,
    "≤ 1.3×",
    result.latencyRatio <= 1.3,
  );
  if (a.errors || b.errors)
    ctx.report.check("floor", "unexpected answers (not 304 / not 200)", `${a.errors}, ${b.errors}`, "0", false);
  ctx.log(
    `  304: ${a.requests} requests, ${us(a.cpuUsPerRequest)}/request, p50 ${a.p50.toFixed(2)} ms; live: ${b.requests} requests, ${us(b.cpuUsPerRequest)}/request, p50 ${b.p50.toFixed(2)} ms`,
  );
  return result;
}
