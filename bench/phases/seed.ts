/** Phase 1: the seeded PostgreSQL store (reused when intact) and a server on it. */
import pg from "pg";
import { ApiClient } from "../http";
import { count } from "../report";
import { startServer } from "../server";
import { ensureBenchDatabase } from "../seed/postgres";
import type { PhaseContext, PostgresTarget } from "./context";

export async function seedPhase(ctx: PhaseContext, reseed: boolean): Promise<Omit<PostgresTarget, "server" | "api">> {
  const db = await ensureBenchDatabase(ctx.scale, reseed, ctx.log);
  const m = db.meta;
  const rows =
    `${count(m.activities)} activities, ${count(m.items)} items, ${count(m.samples)} progress samples, ` +
    `${count(m.failures)} failing objects (${count(m.fixtures.openFailures)} open) with ${count(m.failureEvents)} events, ` +
    `${count(m.purgedRuns)} runs flagged purged`;
  if (db.reused)
    ctx.report.add({ phase: "seed", measure: "PostgreSQL store (reused)", value: `${rows}, seeded ${m.seededAt}` });
  else if (m.timings) {
    const t = m.timings;
    ctx.report.add({ phase: "seed", measure: "PostgreSQL store", value: rows });
    ctx.report.add({
      phase: "seed",
      measure: "COPY",
      value: `${t.copySeconds.toFixed(1)} s: ${count(t.rowsPerSecond)} rows/s (${count(t.itemsPerSecond)} items/s)`,
    });
    ctx.report.add({
      phase: "seed",
      measure: "indexes + foreign keys, VACUUM ANALYZE",
      value: `${t.indexSeconds.toFixed(1)} s + ${t.vacuumSeconds.toFixed(1)} s (total ${t.totalSeconds.toFixed(1)} s)`,
    });
  }
  const pool = new pg.Pool({ connectionString: db.url, max: 10 });
  return { url: db.url, meta: m, pool, sql: async (text, params) => (await pool.query(text, params)).rows };
}

export async function startPostgresServer(
  ctx: PhaseContext,
  store: Omit<PostgresTarget, "server" | "api">,
): Promise<PostgresTarget> {
  const server = await startServer({ kind: "postgres", url: store.url }, ctx.adminKey, ctx.workDir);
  return { ...store, server, api: new ApiClient(server.base, ctx.adminKey) };
}
