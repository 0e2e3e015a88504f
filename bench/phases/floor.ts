/**
 * The floor: what a request for an activity costs the server against GET /health/live, which
 * returns a constant. Three ways of asking for one activity, each against the floor:
 * - a 304 answered from memory (the activity's current ETag, after a first GET so the process
 *   knows its version from the change signal);
 * - a 200 from memory (the whole detail body, as a client without the ETag gets it);
 * - a 200 computed: the first GET of each of many activities (read from the store and serialised).
 * Same concurrency, interleaved rounds; server CPU per request (utime + stime of the server tree ÷
 * requests) and latency. Every request asks for gzip, as browsers and fetch do.
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

interface SideSummary {
  requests: number;
  errors: number;
  cpuUsPerRequest: number;
  p50: number;
  p99: number;
}

export interface FloorResult {
  concurrency: number;
  notModified: SideSummary;
  fromMemory: SideSummary;
  computed: SideSummary;
  live: SideSummary;
  cpuRatio: number;
  latencyRatio: number;
  detailCpuRatio: number;
  computedCpuRatio: number;
}

const emptySide = (): Side => ({ requests: 0, errors: 0, cpuSeconds: 0, latencies: [] });
const GZIP = { "Accept-Encoding": "gzip" };

/** Requests from `concurrency` clients until `next` returns null (or `seconds` pass). */
async function round(
  pg: PostgresTarget,
  concurrency: number,
  seconds: number,
  next: () => string | null,
  headers: Record<string, string>,
  expect: number,
  side: Side,
): Promise<void> {
  const cpuBefore = treeCpuSeconds(pg.server.pid);
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let path = next(); path !== null && performance.now() < end; path = next()) {
        const t = performance.now();
        try {
          const res = await fetch(pg.api.base + path, { headers: { ...GZIP, ...headers } });
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

const always = (path: string) => () => path;

/** Ids of activities this server has not answered for yet (the oldest, which nothing else reads). */
async function unreadIds(pg: PostgresTarget, n: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  while (ids.length < n) {
    const qs = `sort=created&order=asc&pageSize=100&topLevelOnly=false${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await fetch(`${pg.api.base}/api/v1/activities?${qs}`, { headers: { "X-Api-Key": pg.api.apiKey } });
    if (!res.ok) throw new Error(`GET /activities answered ${res.status}`);
    const page = (await res.json()) as { items: { id: string }[]; nextCursor?: string | null };
    ids.push(...page.items.map((a) => a.id));
    cursor = page.nextCursor ?? null;
    if (!cursor) break;
  }
  return ids.slice(0, n);
}

export async function floorPhase(ctx: PhaseContext, pg: PostgresTarget): Promise<FloorResult> {
  const id = pg.meta.fixtures.typicalRunId;
  const path = `/api/v1/activities/${id}`;
  const key = { "X-Api-Key": pg.api.apiKey };
  const first = await fetch(pg.api.base + path, { headers: key });
  await first.arrayBuffer();
  const etag = first.headers.get("etag");
  if (!first.ok || !etag) throw new Error(`GET ${path} answered ${first.status} without an ETag`);
  const c = ctx.scale.floorConcurrency;
  const s = ctx.scale.floorSeconds;
  const unread = await unreadIds(pg, ctx.scale.floorComputed);
  const sides = { nm: emptySide(), memory: emptySide(), computed: emptySide(), live: emptySide() };
  const nmHeaders = { ...key, "If-None-Match": etag };
  const LIVE = "/api/v1/health/live";
  // Warm every path, then two interleaved rounds each; the computed side takes half its ids a round.
  await round(pg, c, 1, always(path), nmHeaders, 304, emptySide());
  await round(pg, c, 1, always(path), key, 200, emptySide());
  await round(pg, c, 1, always(LIVE), {}, 200, emptySide());
  const fresh = [...unread];
  for (let i = 0; i < 2; i++) {
    const half = fresh.splice(0, Math.ceil(unread.length / 2));
    await round(pg, c, s / 2, always(path), nmHeaders, 304, sides.nm);
    await round(pg, c, s / 2, always(path), key, 200, sides.memory);
    await round(pg, c, s, () => (half.length ? `/api/v1/activities/${half.shift()}` : null), key, 200, sides.computed);
    await round(pg, c, s / 2, always(LIVE), {}, 200, sides.live);
  }
  const summary = (x: Side): SideSummary => {
    const l = latencyFigures(x.latencies);
    return {
      requests: x.requests,
      errors: x.errors,
      cpuUsPerRequest: (x.cpuSeconds * 1e6) / Math.max(1, x.requests),
      p50: l.p50,
      p99: l.p99,
    };
  };
  const [a, m, k, b] = [summary(sides.nm), summary(sides.memory), summary(sides.computed), summary(sides.live)];
  const result: FloorResult = {
    concurrency: c,
    notModified: a,
    fromMemory: m,
    computed: k,
    live: b,
    cpuRatio: a.cpuUsPerRequest / b.cpuUsPerRequest,
    latencyRatio: a.p50 / b.p50,
    detailCpuRatio: m.cpuUsPerRequest / b.cpuUsPerRequest,
    computedCpuRatio: k.cpuUsPerRequest / b.cpuUsPerRequest,
  };
  const us = (x: number) => `${Math.round(x)} µs`;
  const cpu = (x: SideSummary, ratio: number) =>
    `${us(x.cpuUsPerRequest)} ÷ ${us(b.cpuUsPerRequest)} = ${times(ratio)} (${count(x.requests)} and ${count(b.requests)} requests)`;
  ctx.report.check(
    "floor",
    `detail GET 200 from memory ÷ /health/live: server CPU per request (${c} concurrent)`,
    cpu(m, result.detailCpuRatio),
    "≤ 1.6×",
    result.detailCpuRatio <= 1.6,
  );
  ctx.report.add({
    phase: "floor",
    measure: `detail GET 200 computed (first GET of ${count(k.requests)} activities) ÷ /health/live: server CPU`,
    value: cpu(k, result.computedCpuRatio),
  });
  ctx.report.check(
    "floor",
    `304 from memory ÷ /health/live: server CPU per request`,
    cpu(a, result.cpuRatio),
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
  const errors = [a, m, k, b].map((x) => x.errors);
  if (errors.some(Boolean))
    ctx.report.check("floor", "unexpected answers (304, 200, 200, 200 expected)", errors.join(", "), "0", false);
  ctx.log(
    `  304: ${us(a.cpuUsPerRequest)}/request, p50 ${a.p50.toFixed(2)} ms; 200 from memory: ${us(m.cpuUsPerRequest)}, p50 ${m.p50.toFixed(2)} ms; 200 computed: ${us(k.cpuUsPerRequest)}, p50 ${k.p50.toFixed(2)} ms; live: ${us(b.cpuUsPerRequest)}, p50 ${b.p50.toFixed(2)} ms`,
  );
  return result;
}
