/**
 * Phase 5: execution items/s through POST /api/v1/activities/{id}/items (batches of the route's
 * maximum unless `--ingest-batch` says otherwise, a few in flight like an engine's writer pool)
 * against COPY into the same table; then the same batches through the API of a server on a fresh
 * embedded store. The PostgreSQL test activities (a warm-up batch's, the measured one's, COPY's)
 * are deleted afterwards (their items go by cascade) so the seeded counts hold. Each figure names
 * its store and the load average when it started: on a shared machine, a figure taken under load
 * says so.
 */
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { type NewExecutionItem } from "@/lib/api/items";
import { Rng } from "@/lib/engine/random";
import { buildSeedConfig, type SeedRunProfile } from "../seed/config";
import { copyStatement } from "../seed/csv";
import { ITEM_COLUMNS, itemCsv } from "../seed/generate";
import { generateRunItems, type GeneratedItem } from "../seed/items";
import { ApiClient } from "../http";
import { count, times } from "../report";
import { startServer } from "../server";
import type { PhaseContext, PostgresTarget } from "./context";

const IN_FLIGHT = 4;

/** COPYs item CSV lines into `table` ("ExecutionItem" or a table like it); seconds taken. */
export async function copyLines(pool: pg.Pool, table: string, lines: string[]): Promise<number> {
  const client = await pool.connect();
  const started = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const stream = client.query(copyFrom(copyStatement(table, ITEM_COLUMNS, "STDIN")));
      stream.on("finish", resolve);
      stream.on("error", reject);
      for (let i = 0; i < lines.length; i += 5000) stream.write(lines.slice(i, i + 5000).join(""));
      stream.end();
    });
  } finally {
    client.release();
  }
  return (performance.now() - started) / 1000;
}

/** The 1-, 5- and 15-minute load averages, and the cores they compare to. */
export const loadAverage = () =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} on ${os.cpus().length} cores`;

function toNewItem(i: GeneratedItem): NewExecutionItem {
  return {
    sequence: i.sequence,
    id: i.id,
    externalIdValue: i.externalIdValue,
    displayName: i.displayName,
    connectedSystemObjectType: i.connectedSystemObjectType,
    objectChangeType: i.objectChangeType,
    errorType: i.errorType,
    errorMessage: i.errorMessage,
    errorDetail: i.errorDetail,
    outcomes: i.outcomes,
    attributeChanges: i.attributeChanges,
    connectedSystemObjectId: i.connectedSystemObjectId,
    metaverseObjectId: i.metaverseObjectId,
    processedAt: new Date(i.processedAt).toISOString(),
  };
}

export interface IngestResult {
  items: number;
  batch: number;
  inFlight: number;
  apiItemsPerSecond: number;
  apiLoad: string;
  copyItemsPerSecond: number;
  ratio: number;
  pglite: { itemsPerSecond: number; load: string };
}

/** The items as request bodies of `batch` items each, serialised beforehand (not timed). */
function batchesOf(items: GeneratedItem[], batch: number): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < items.length; i += batch)
    bodies.push(JSON.stringify({ items: items.slice(i, i + batch).map(toNewItem) }));
  return bodies;
}

/** Posts the bodies, IN_FLIGHT at a time; how long it took and how many items the answers say were inserted. */
async function postBatches(
  api: ApiClient,
  activityId: string,
  bodies: string[],
): Promise<{ seconds: number; inserted: number }> {
  let next = 0;
  let inserted = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        // idempotent: a retried batch inserts nothing twice
        const r = await api.postSerialized<{ inserted: number; duplicates: number }>(
          `/api/v1/activities/${activityId}/items`,
          body,
          true,
        );
        inserted += r.inserted;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, inserted };
}

/** Items of their own (own ids: an item id is unique across runs) for one untimed warm-up batch. */
function warmUpItems(rp: SeedRunProfile, batch: number): GeneratedItem[] {
  let id = 0x7200000000;
  return generateRunItems(new Rng(98), rp.system, rp.runType, batch, 0, Date.now(), 2, 0.012, () => id++).items;
}

/**
 * One batch into an activity of its own, untimed, so that the measured batches find the route
 * loaded and compiled (the first request of a fresh server pays for that). Returns its id.
 */
async function warmUp(api: ApiClient, run: Record<string, unknown>, items: GeneratedItem[]): Promise<string> {
  const activity = await api.postJson<{ id: string }>("/api/v1/activities", {
    ...run,
    name: "Bench ingestion warm-up",
  });
  await postBatches(api, activity.id, batchesOf(items, items.length));
  return activity.id;
}

/**
 * The same batches through the API of a server on a fresh embedded store (its engine on, so it
 * holds the demo configuration, but running nothing by itself).
 */
async function pgliteIngest(
  ctx: PhaseContext,
  items: GeneratedItem[],
  batch: number,
  target: SeedRunProfile,
): Promise<{ itemsPerSecond: number; load: string }> {
  const server = await startServer(
    { kind: "pglite", dataDir: path.join(ctx.workDir, "ingest-pglite") },
    ctx.adminKey,
    ctx.workDir,
    { SYNCWATCH_ENGINE: "on", SYNCWATCH_ENGINE_AUTORUN: "off" },
  );
  try {
    const api = new ApiClient(server.base, ctx.adminKey);
    type System = { id: number; name: string; runProfiles: { id: number; name: string }[] };
    let systems: System[] = [];
    // The engine writes the configuration as it starts.
    for (let i = 0; i < 120 && !systems.some((s) => s.name === target.system.def.name); i++) {
      if (i) await new Promise((r) => setTimeout(r, 500));
      systems = (await api.getJson<{ items: System[] }>("/api/v1/connected-systems")).items;
    }
    const system = systems.find((s) => s.name === target.system.def.name);
    const rp = system?.runProfiles.find((r) => r.name === target.name);
    if (!system || !rp)
      throw new Error(`the embedded store has no run profile ${target.system.def.name}: ${target.name}`);
    const run = { targetType: "ConnectedSystemRunProfile", connectedSystemId: system.id, runProfileId: rp.id };
    await warmUp(api, run, warmUpItems(target, batch));
    const activity = await api.postJson<{ id: string }>("/api/v1/activities", {
      ...run,
      name: "Bench ingestion (embedded store)",
      objectsToProcess: items.length,
    });
    const bodies = batchesOf(items, batch);
    const load = loadAverage();
    ctx.log(`  PGlite: ${count(items.length)} items in batches of ${count(batch)}, ${IN_FLIGHT} in flight; ${load}`);
    const { seconds, inserted } = await postBatches(api, activity.id, bodies);
    const stored = await api.getJson<{ totalCount: number }>(
      `/api/v1/activities/${activity.id}/items?pageSize=1&count=exact`,
    );
    if (inserted !== items.length && stored.totalCount !== items.length)
      throw new Error(`ingestion on the embedded store stored ${stored.totalCount} of ${items.length} items`);
    return { itemsPerSecond: items.length / seconds, load };
  } finally {
    await server.stop();
  }
}

export async function ingestPhase(ctx: PhaseContext, pg: PostgresTarget, batch: number): Promise<IngestResult> {
  const config = buildSeedConfig();
  const rp = config.runProfiles.find((r) => r.system.def.key === "ad" && r.runType === "FullSynchronisation")!;
  const n = ctx.scale.ingestItems;
  const created: string[] = [];
  try {
    const run = { targetType: "ConnectedSystemRunProfile", connectedSystemId: rp.system.id, runProfileId: rp.id };
    const warm = warmUpItems(rp, batch);
    created.push(await warmUp(pg.api, run, warm));
    const activity = await pg.api.postJson<{ id: string }>("/api/v1/activities", {
      ...run,
      name: "Bench ingestion",
      objectsToProcess: n,
    });
    created.push(activity.id);
    let idCounter = 0x7000000000;
    const { items } = generateRunItems(
      new Rng(99),
      rp.system,
      rp.runType,
      n,
      0,
      Date.now(),
      2,
      0.012,
      () => idCounter++,
    );
    const bodies = batchesOf(items, batch);
    const apiLoad = loadAverage();
    ctx.log(`  PostgreSQL: ${count(n)} items in batches of ${count(batch)}, ${IN_FLIGHT} in flight; ${apiLoad}`);
    const { seconds: apiSeconds, inserted } = await postBatches(pg.api, activity.id, bodies);
    // A batch retried after a broken connection may report its items as duplicates: count what is stored.
    if (inserted !== n) {
      const [{ stored }] = (await pg.sql(
        `SELECT count(*)::int AS stored FROM "ExecutionItem" WHERE "activityId" = $1::uuid`,
        [activity.id],
      )) as { stored: number }[];
      if (stored !== n) throw new Error(`ingestion stored ${stored} of ${n} items`);
    }

    // The same items into a second activity by COPY, with every index in place.
    const [copyActivity] = (await pg.sql(
      `INSERT INTO "Activity" (id, name, "targetType", "connectedSystemId", "connectedSystemName", "runProfileId", "runProfileName", "runType", "initiatorType", "initiatorName", "startedAt")
       SELECT gen_random_uuid(), 'Bench COPY ingestion', "targetType", "connectedSystemId", "connectedSystemName", "runProfileId", "runProfileName", "runType", "initiatorType", "initiatorName", now()
       FROM "Activity" WHERE id = $1::uuid RETURNING id`,
      [activity.id],
    )) as { id: string }[];
    created.push(copyActivity.id);
    let copyCounter = 0x7100000000;
    const copyItems = generateRunItems(
      new Rng(99),
      rp.system,
      rp.runType,
      n,
      0,
      Date.now(),
      2,
      0.012,
      () => copyCounter++,
    ).items;
    const copySeconds = await copyLines(
      pg.pool,
      "ExecutionItem",
      copyItems.map((i) => itemCsv(copyActivity.id, rp.system.id, i)),
    );

    const pglite = await pgliteIngest(ctx, items, batch, rp);

    const result: IngestResult = {
      items: n,
      batch,
      inFlight: IN_FLIGHT,
      apiItemsPerSecond: n / apiSeconds,
      apiLoad,
      copyItemsPerSecond: n / copySeconds,
      ratio: copySeconds / apiSeconds,
      pglite,
    };
    ctx.report.check(
      "ingest",
      `API on PostgreSQL, batches of ${count(batch)}, ${IN_FLIGHT} in flight`,
      `${count(result.apiItemsPerSecond)} items/s (${count(n)} items; ${apiLoad} at its start)`,
      "≥ 20,000 items/s",
      result.apiItemsPerSecond >= 20_000,
    );
    ctx.report.check(
      "ingest",
      "API ÷ raw COPY",
      `${times(result.ratio)} (COPY ${count(result.copyItemsPerSecond)} items/s)`,
      "≥ 0.5×",
      result.ratio >= 0.5,
    );
    ctx.report.add({
      phase: "ingest",
      measure: `API on the embedded store (PGlite), batches of ${count(batch)}, ${IN_FLIGHT} in flight`,
      value: `${count(pglite.itemsPerSecond)} items/s (${count(n)} items; ${pglite.load} at its start)`,
    });
    ctx.log(
      `  API on PostgreSQL ${Math.round(result.apiItemsPerSecond)} items/s, COPY ${Math.round(result.copyItemsPerSecond)} items/s, ` +
        `API on PGlite ${Math.round(pglite.itemsPerSecond)} items/s`,
    );
    return result;
  } finally {
    if (created.length) await pg.sql(`DELETE FROM "Activity" WHERE id = ANY($1::uuid[])`, [created]);
  }
}
