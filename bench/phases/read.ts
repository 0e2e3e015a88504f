/** Phase 2 (and 6): p50/p95/p99 of every read route over HTTP, against its SQL run directly. */
import { DEMO_SYSTEMS } from "@/lib/engine/demo-config";
import { ADMIN_USERS } from "@/lib/engine/names";
import type { ApiClient } from "../http";
import { count, ms, times, type Report } from "../report";
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

/**
 * The run of the last day with the most failed objects (the morning's question: "what failed in
 * last night's export?") and the night before now, 20:00 to 06:00 UTC.
 */
async function lastNight(sql: Sql, now: number) {
  const rows = (await sql(
    `SELECT "activityId" FROM "ObjectFailureEvent" WHERE kind = 'Failed' AND at >= $1::timestamptz
     GROUP BY "activityId" ORDER BY count(*) DESC LIMIT 1`,
    [new Date(now - DAY).toISOString()],
  )) as { activityId: string }[];
  const today6 = new Date(now);
  today6.setUTCHours(6, 0, 0, 0);
  const to = today6.getTime() > now ? today6.getTime() - DAY : today6.getTime();
  return {
    failedRunId: rows[0]?.activityId ?? null,
    lastNight: { from: new Date(to - 10 * 3_600_000).toISOString(), to: new Date(to).toISOString() },
  };
}

export async function readContext(fixtures: SeedFixtures, sql: Sql): Promise<ReadContext> {
  const config = buildSeedConfig();
  const ad = config.systems.find((s) => s.def.key === DEMO_SYSTEMS[1].key)!;
  const hrDelta = config.runProfiles.find((rp) => rp.system.def.key === "hr" && rp.runType === "DeltaImport")!;
  const now = Date.now();
  return {
    ...(await lastNight(sql, now)),
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

/** Adds the figures; with `targets`, checks each route's p95 target and API ÷ raw ≤ 2. */
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
      report.check(phase, `${route.name}: API`, value, `p95 ≤ ${route.p95Ms} ms`, apiStats.p95 <= route.p95Ms);
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

/**
 * What keeping failed items for the retention window costs: the item table's size (with its
 * indexes) per item, times the items retention keeps — every item of each profile's last runs,
 * and the failed items of older runs (a run's object errors where the seed recorded no count of
 * failed items) — against keeping the last runs only.
 */
async function storageFigure(ctx: PhaseContext, pg: PostgresTarget) {
  const [row] = (await pg.sql(
    `SELECT pg_total_relation_size('"ExecutionItem"')::float8 AS bytes,
            coalesce(sum("itemCount") FILTER (WHERE "itemsPurgedAt" IS NULL), 0)::float8 AS recent,
            coalesce(sum(GREATEST("failedItemCount", "totalObjectErrors")) FILTER (WHERE "itemsPurgedAt" IS NOT NULL), 0)::float8 AS "olderFailed"
     FROM "Activity"`,
  )) as { bytes: number; recent: number; olderFailed: number }[];
  const items = pg.meta.items;
  const perItem = row.bytes / items;
  const gib = (n: number) => `${((n * perItem) / 2 ** 30).toFixed(2)} GiB`;
  const value =
    `${count(items)} items take ${gib(items)} with indexes (${count(perItem)} B an item); retention keeps ` +
    `${count(row.recent)} items of each profile's last runs (${gib(row.recent)}) and ${count(row.olderFailed)} failed ` +
    `items of older runs (${gib(row.olderFailed)}): ${gib(row.recent + row.olderFailed)}, ` +
    `+${((row.olderFailed / Math.max(1, row.recent)) * 100).toFixed(1)} % over keeping the last runs only`;
  ctx.report.add({ phase: "read", measure: "storage of kept items", value });
  ctx.log(`  storage: ${value}`);
}

/** Phase 2 on the PostgreSQL store. */
export async function readPhase(ctx: PhaseContext, pg: PostgresTarget): Promise<RouteResult[]> {
  await storageFigure(ctx, pg);
  await measureFirstRequests("read", ctx.report, pg.api, true, ctx.log);
  const routes = readRoutes(await readContext(pg.meta.fixtures, pg.sql));
  const api = await measureApi(pg.api, routes, ctx.scale.samplesPerRoute);
  const raw = await measureRaw(pg.sql, routes, ctx.scale.samplesPerRoute);
  return reportReads("read", ctx.report, routes, api, raw, true, ctx.log);
}
