/**
 * Phase 6: the read set on the embedded store. The PGlite folder is seeded (or reused) in this
 * process and the raw SQL measured while it is open here; then it is closed and `next start`
 * opens it for the HTTP side (one opener per folder).
 */
import os from "node:os";
import path from "node:path";
import { ApiClient } from "../http";
import { startServer, type Server } from "../server";
import { withSeededPglite } from "../seed/pglite";
import type { SeedMetadata } from "../seed/load";
import { readRoutes, type Sql } from "../routes";
import { count } from "../report";
import { measureApi, measureRaw, readContext, reportReads, type RouteResult } from "./read";
import type { PhaseContext } from "./context";

export interface PgliteResult {
  activities: number;
  items: number;
  reused: boolean;
  seedTimings: unknown;
  routes: RouteResult[];
}

export const pgliteDir = (scale: string) => path.join(os.tmpdir(), `syncwatch-bench-pglite-${scale}`);

/** `next start` on the scale's embedded store (seeded first if needed), its logs in `workDir/<logDir>`, for `fn`. */
export async function withPgliteServer(
  ctx: PhaseContext,
  reseed: boolean,
  logDir: string,
  fn: (server: Server, meta: SeedMetadata) => Promise<void>,
): Promise<void> {
  const dir = pgliteDir(ctx.scale.name);
  const meta = await withSeededPglite(dir, ctx.scale.name, ctx.scale.pglite, reseed, ctx.log, async (_db, m) => m);
  const server = await startServer({ kind: "pglite", dataDir: dir }, ctx.adminKey, path.join(ctx.workDir, logDir));
  try {
    await fn(server, meta);
  } finally {
    await server.stop();
  }
}

export async function pglitePhase(ctx: PhaseContext, reseed: boolean): Promise<PgliteResult> {
  const dir = pgliteDir(ctx.scale.name);
  const { meta, reused, routes, raw } = await withSeededPglite(
    dir,
    ctx.scale.name,
    ctx.scale.pglite,
    reseed,
    ctx.log,
    async (db, meta, reused) => {
      const sql: Sql = async (text, params) => (await db.query(text, params)).rows;
      const routes = readRoutes(await readContext(meta.fixtures, sql));
      return { meta, reused, routes, raw: await measureRaw(sql, routes, ctx.scale.samplesPerRoute) };
    },
  );
  const seeded = reused
    ? "reused"
    : `seeded in ${meta.timings?.totalSeconds.toFixed(1)} s (${count(meta.timings?.rowsPerSecond ?? 0)} rows/s)`;
  ctx.report.add({
    phase: "pglite",
    measure: "store",
    value: `${count(meta.activities)} activities, ${count(meta.items)} items, ${seeded}`,
  });
  const server = await startServer({ kind: "pglite", dataDir: dir }, ctx.adminKey, ctx.workDir);
  try {
    const api = await measureApi(new ApiClient(server.base, ctx.adminKey), routes, ctx.scale.samplesPerRoute);
    const results = reportReads("pglite", ctx.report, routes, api, raw, true, ctx.log);
    return { activities: meta.activities, items: meta.items, reused, seedTimings: meta.timings, routes: results };
  } finally {
    await server.stop();
  }
}
