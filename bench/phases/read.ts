/** Phase 2 (and 6): p50/p95/p99 of every read route over HTTP, against its SQL run directly. */
import { DEMO_SYSTEMS } from "@/lib/engine/demo-config";
import { ADMIN_USERS } from "@/lib/engine/names";
import type { ApiClient } from "../http";
import { ms, times, type Report } from "../report";
import { readRoutes, type ReadContext, type RouteCase, type Sql } from "../routes";
import { buildSeedConfig } from "../seed/config";
import type { SeedFixtures } from "../seed/generate";
import { measure, type LatencySummary } from "../stats";
import type { PhaseContext, PostgresTarget } from "./context";

export interface RouteResult {
  route: string;
  path: string;
  api: LatencySummary;
  raw: LatencySummary;
  apiOverRaw: number;
}

const DAY = 86_400_000;

export function readContext(fixtures: SeedFixtures): ReadContext {
  const config = buildSeedConfig();
  const ad = config.systems.find((s) => s.def.key === DEMO_SYSTEMS[1].key)!;
  const hrDelta = config.runProfiles.find((rp) => rp.system.def.key === "hr" && rp.runType === "DeltaImport")!;
  const now = Date.now();
  return {
    fixtures,
    connectedSystemId: ad.id,
    runProfileId: hrDelta.id,
    initiatorName: ADMIN_USERS[1].name,
    from: new Date(now - 7 * DAY).toISOString(),
    to: new Date(now - 6 * DAY).toISOString(),
    largestRunErrorType: "MissingExternalIdAttributeValue",
    from7: new Date(now - 7 * DAY).toISOString(),
    now: new Date(now).toISOString(),
  };
}

export const measureApi = async (api: ApiClient, routes: RouteCase[], samples: number) => {
  const out = new Map<string, LatencySummary>();
  for (const route of routes) out.set(route.name, await measure(samples, () => api.get(route.path)));
  return out;
};

export const measureRaw = async (sql: Sql, routes: RouteCase[], samples: number) => {
  const out = new Map<string, LatencySummary>();
  for (const route of routes) out.set(route.name, await measure(samples, () => route.raw(sql)));
  return out;
};

/** Adds the figures; with `targets`, checks p95 ≤ 50 ms and API ÷ raw ≤ 2 per route. */
export function reportReads(
  phase: string,
  report: Report,
  routes: RouteCase[],
  api: Map<string, LatencySummary>,
  raw: Map<string, LatencySummary>,
  targets: boolean,
  log: (line: string) => void,
): RouteResult[] {
  return routes.map((route) => {
    const apiStats = api.get(route.name)!;
    const rawStats = raw.get(route.name)!;
    const apiOverRaw = apiStats.p50 / rawStats.p50;
    const value = `p50 ${ms(apiStats.p50)} p95 ${ms(apiStats.p95)} p99 ${ms(apiStats.p99)}; first request ${ms(apiStats.firstMs)}`;
    const ratio = `raw p50 ${ms(rawStats.p50)} p95 ${ms(rawStats.p95)}; API÷raw ${times(apiOverRaw)}`;
    if (targets) {
      report.check(phase, `${route.name}: API`, value, "p95 ≤ 50 ms", apiStats.p95 <= 50);
      report.check(phase, `${route.name}: raw SQL`, ratio, "API÷raw ≤ 2", apiOverRaw <= 2);
    } else {
      report.add({ phase, measure: `${route.name}: API`, value });
      report.add({ phase, measure: `${route.name}: raw SQL`, value: ratio });
    }
    log(`  ${route.name}: ${value}; ${ratio}`);
    return { route: route.name, path: route.path, api: apiStats, raw: rawStats, apiOverRaw };
  });
}

/**
 * The first request of each list filter, before its count is cached: every filter here is asked
 * once, on a server that has not seen it (count-cache keys are per filter), so each request pays
 * for its page and its capped count. p95 over the filters.
 */
export function firstRequestQueries(): string[] {
  const config = buildSeedConfig();
  const now = Date.now();
  const day = (n: number) =>
    `from=${encodeURIComponent(new Date(now - (n + 1) * DAY).toISOString())}&to=${encodeURIComponent(new Date(now - n * DAY).toISOString())}`;
  return [
    ...["InProgress", "Complete", "CompleteWithWarning", "FailedWithError", "Cancelled"].map((s) => `status=${s}`),
    ...[
      "Schedule",
      "SchemaImport",
      "DataGeneration",
      "Certificate",
      "ConfigurationChange",
      "ConnectedSystemRunProfile",
    ].map((t) => `targetType=${t}`),
    ...config.systems.map((s) => `connectedSystemId=${s.id}&sort=duration`),
    ...config.runProfiles.slice(0, 6).map((rp) => `runProfileId=${rp.id}`),
    ...["directory", "export", "nightly", "workday", "certificate"].map((q) => `search=${q}`),
    ...[2, 10, 30, 90].map(day),
    ...ADMIN_USERS.map((u) => `initiatorName=${encodeURIComponent(u.name)}&sort=name&order=asc`),
    "hasErrors=false",
    "topLevelOnly=false&status=CompleteWithError",
    "runType=FullImport&runType=FullSynchronisation",
  ];
}

export async function measureFirstRequests(
  phase: string,
  report: Report,
  api: ApiClient,
  threshold: boolean,
  log: (line: string) => void,
) {
  const samples: { query: string; ms: number }[] = [];
  for (const query of firstRequestQueries()) {
    const t = performance.now();
    await api.get(`/api/v1/activities?${query}`);
    samples.push({ query, ms: performance.now() - t });
  }
  const sorted = samples.map((x) => x.ms).sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
  const slowest = [...samples].sort((a, b) => b.ms - a.ms).slice(0, 3);
  const value = `p95 ${ms(p95)}, median ${ms(sorted[Math.floor(sorted.length / 2)])} over ${samples.length} filters; slowest: ${slowest.map((x) => `${x.query} ${ms(x.ms)}`).join("; ")}`;
  if (threshold)
    report.check(phase, "first request of a list filter (count not cached)", value, "p95 ≤ 150 ms", p95 <= 150);
  else report.add({ phase, measure: "first request of a list filter (count not cached)", value });
  log(`  first requests: ${value}`);
  return samples;
}

/** Phase 2 on the PostgreSQL store. */
export async function readPhase(ctx: PhaseContext, pg: PostgresTarget): Promise<RouteResult[]> {
  await measureFirstRequests("read", ctx.report, pg.api, true, ctx.log);
  const routes = readRoutes(readContext(pg.meta.fixtures));
  const api = await measureApi(pg.api, routes, ctx.scale.samplesPerRoute);
  const raw = await measureRaw(pg.sql, routes, ctx.scale.samplesPerRoute);
  return reportReads("read", ctx.report, routes, api, raw, true, ctx.log);
}
