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
    const value = `p50 ${ms(apiStats.p50)} p95 ${ms(apiStats.p95)} p99 ${ms(apiStats.p99)} (first ${ms(apiStats.firstMs)})`;
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

/** Phase 2 on the PostgreSQL store. */
export async function readPhase(ctx: PhaseContext, pg: PostgresTarget): Promise<RouteResult[]> {
  const routes = readRoutes(readContext(pg.meta.fixtures));
  const api = await measureApi(pg.api, routes, ctx.scale.samplesPerRoute);
  const raw = await measureRaw(pg.sql, routes, ctx.scale.samplesPerRoute);
  return reportReads("read", ctx.report, routes, api, raw, true, ctx.log);
}
