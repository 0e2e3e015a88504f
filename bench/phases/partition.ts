/**
 * What time-partitioned items would change, measured on the seeded store (issue 16.6): a copy of
 * "ExecutionItem" partitioned by day as docs/scaling.md proposes, on "activityId" ranges (activity
 * ids are UUIDv7, so their order is their creation time, and every item query names one activity:
 * it prunes to one partition; the primary key gains "activityId", as PostgreSQL requires), with
 * the same indexes; then, on both tables:
 * - retention's window: the oldest day's runs' items deleted (DELETE) against its partition dropped;
 * - retention by run: one run's unchanged items deleted (what the item purge does);
 * - ingestion: the same items by COPY for a run of today.
 * Each deletion runs in a transaction that is rolled back, so the seeded store keeps its counts;
 * the copy is dropped at the end. PostgreSQL only; run alone (`--phases partition`).
 */
import type pg from "pg";
import { Rng } from "@/lib/engine/random";
import { buildSeedConfig } from "../seed/config";
import { itemCsv } from "../seed/generate";
import { generateRunItems } from "../seed/items";
import { count, times } from "../report";
import type { Sql } from "../routes";
import { timeUuid } from "../seed/ids";
import type { PhaseContext } from "./context";
import { copyLines, loadAverage } from "./ingest";

const COPY_TABLE = "bench_items_by_day";
const DAY = 86_400_000;

interface Store {
  pool: pg.Pool;
  sql: Sql;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/** Runs `statements` in one transaction on one connection, timed, then rolls it back. */
async function timedRolledBack(pool: pg.Pool, statements: string[], params: unknown[][] = []) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const t = performance.now();
    let rows = 0;
    for (const [i, s] of statements.entries()) rows += (await client.query(s, params[i] ?? [])).rowCount ?? 0;
    const ms = performance.now() - t;
    await client.query("ROLLBACK");
    return { ms, rows };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The item table's own indexes, rewritten for the copy (a unique one without the partition key gains it). */
async function indexesFor(store: Store): Promise<string[]> {
  const rows = (await store.sql(
    `SELECT indexdef FROM pg_indexes WHERE tablename = 'ExecutionItem' ORDER BY indexname`,
  )) as { indexdef: string }[];
  return rows.map((r, i) => {
    let def = r.indexdef
      .replace(/ON public\."ExecutionItem"/, `ON ${COPY_TABLE}`)
      .replace(/INDEX "[^"]+"/, `INDEX ${COPY_TABLE}_${i}`);
    if (/^CREATE UNIQUE/.test(def) && !def.includes('"activityId"')) def = def.replace(/\)$/, `, "activityId")`);
    return def;
  });
}

/** Drops the copy (a leftover too) a partition at a time: all at once takes a lock each, past the lock table. */
async function dropCopy(sql: Sql) {
  const parts = (await sql(
    `SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = to_regclass('${COPY_TABLE}')`,
  )) as { name: string }[];
  for (const { name } of parts) await sql(`DROP TABLE IF EXISTS ${name}`);
  await sql(`DROP TABLE IF EXISTS ${COPY_TABLE}`);
}

export interface PartitionResult {
  days: number;
  copySeconds: number;
  indexSeconds: number;
  window: { deleteMs: number; dropMs: number; rows: number };
  byRun: { plainMs: number; partitionedMs: number; rows: number };
  ingest: { plainPerSecond: number; partitionedPerSecond: number; items: number };
  sizes: { plainGiB: number; partitionedGiB: number };
}

export async function partitionPhase(ctx: PhaseContext, store: Store): Promise<PartitionResult> {
  const { sql, pool } = store;
  ctx.log(`  ${loadAverage()}`);
  // The creation time a UUIDv7 carries in its first 48 bits.
  const timeOf = (id: string) => parseInt(id.replaceAll("-", "").slice(0, 12), 16);
  const [range] = (await sql(
    `SELECT (SELECT "activityId"::text FROM "ExecutionItem" ORDER BY "activityId" LIMIT 1) AS first,
            (SELECT "activityId"::text FROM "ExecutionItem" ORDER BY "activityId" DESC LIMIT 1) AS last`,
  )) as { first: string; last: string }[];
  const first = timeOf(range.first) - (timeOf(range.first) % DAY);
  const last = Math.max(timeOf(range.last), Date.now()) - (Math.max(timeOf(range.last), Date.now()) % DAY) + DAY;
  const days = Math.round((last - first) / DAY);
  await dropCopy(sql);
  await sql(`CREATE TABLE ${COPY_TABLE} (LIKE "ExecutionItem" INCLUDING DEFAULTS) PARTITION BY RANGE ("activityId")`);
  const dayName = (t: number) => `${COPY_TABLE}_${new Date(t).toISOString().slice(0, 10).replaceAll("-", "")}`;
  for (let t = first; t < last; t += DAY)
    await sql(
      `CREATE TABLE ${dayName(t)} PARTITION OF ${COPY_TABLE} FOR VALUES FROM ('${timeUuid(t, 0)}') TO ('${timeUuid(t + DAY, 0)}')`,
    );
  try {
    let t = performance.now();
    await sql(`INSERT INTO ${COPY_TABLE} SELECT * FROM "ExecutionItem"`);
    const copySeconds = seconds(t);
    t = performance.now();
    for (const def of await indexesFor(store)) await sql(def);
    await sql(`VACUUM ANALYZE ${COPY_TABLE}`);
    const indexSeconds = seconds(t);
    ctx.log(
      `  copied ${count(ctx.scale.items)} items into ${days} daily partitions in ${copySeconds.toFixed(0)} s, indexes ${indexSeconds.toFixed(0)} s`,
    );

    // Retention's window: the items of the oldest day's runs.
    const del = await timedRolledBack(
      pool,
      [`DELETE FROM "ExecutionItem" WHERE "activityId" < $1::uuid`],
      [[timeUuid(first + DAY, 0)]],
    );
    const drop = await timedRolledBack(pool, [
      `ALTER TABLE ${COPY_TABLE} DETACH PARTITION ${dayName(first)}`,
      `DROP TABLE ${dayName(first)}`,
    ]);

    // Retention by run: a run of about the average size, its unchanged items.
    const [run] = (await sql(
      `SELECT "activityId" AS id FROM "ExecutionItem" WHERE "errorType" IS NULL GROUP BY "activityId" HAVING count(*) BETWEEN 500 AND 5000 LIMIT 1`,
    )) as { id: string }[];
    const purge = (table: string) => `DELETE FROM ${table} WHERE "activityId" = $1::uuid AND "errorType" IS NULL`;
    const plainRun = await timedRolledBack(pool, [purge(`"ExecutionItem"`)], [[run.id]]);
    const partRun = await timedRolledBack(pool, [purge(COPY_TABLE)], [[run.id]]);

    // Ingestion: the same items by COPY into each table (today's partition on the copy).
    const rp = buildSeedConfig().runProfiles.find(
      (r) => r.system.def.key === "ad" && r.runType === "FullSynchronisation",
    )!;
    const n = ctx.scale.ingestItems;
    const [activity] = (await sql(
      `INSERT INTO "Activity" (id, name, "targetType", "connectedSystemId", "connectedSystemName", "runProfileId", "runProfileName", "runType", "initiatorType", "initiatorName", "startedAt")
       SELECT $2::uuid, 'Bench partition ingestion', "targetType", "connectedSystemId", "connectedSystemName", "runProfileId", "runProfileName", "runType", "initiatorType", "initiatorName", now()
       FROM "Activity" WHERE "runProfileId" = $1 LIMIT 1 RETURNING id`,
      [rp.id, timeUuid(Date.now(), 0x7300)],
    )) as { id: string }[];
    try {
      let id = 0x7300000000;
      const items = generateRunItems(new Rng(7), rp.system, rp.runType, n, 0, Date.now(), 2, 0.012, () => id++).items;
      const lines = items.map((i) => itemCsv(activity.id, rp.system.id, i));
      ctx.log(`  ingestion: ${count(n)} items by COPY into each table; ${loadAverage()}`);
      const plainSeconds = await copyLines(pool, "ExecutionItem", lines);
      const partSeconds = await copyLines(pool, COPY_TABLE, lines);

      const [sizes] = (await sql(
        `SELECT pg_total_relation_size('"ExecutionItem"')::float8 AS plain,
                (SELECT sum(pg_total_relation_size(inhrelid))::float8 FROM pg_inherits WHERE inhparent = '${COPY_TABLE}'::regclass) AS part`,
      )) as { plain: number; part: number }[];
      const result: PartitionResult = {
        days,
        copySeconds,
        indexSeconds,
        window: { deleteMs: del.ms, dropMs: drop.ms, rows: del.rows },
        byRun: { plainMs: plainRun.ms, partitionedMs: partRun.ms, rows: plainRun.rows },
        ingest: { plainPerSecond: n / plainSeconds, partitionedPerSecond: n / partSeconds, items: n },
        sizes: { plainGiB: sizes.plain / 2 ** 30, partitionedGiB: sizes.part / 2 ** 30 },
      };
      const add = (measure: string, value: string) => {
        ctx.report.add({ phase: "partition", measure, value });
        ctx.log(`  ${measure}: ${value}`);
      };
      add(
        "retention window: the oldest day's runs",
        `DELETE of ${count(del.rows)} items ${count(del.ms)} ms; DETACH + DROP of its partition ${count(drop.ms)} ms (${times(del.ms / Math.max(drop.ms, 0.001))} faster; DELETE also leaves dead rows for VACUUM)`,
      );
      add(
        "retention by run: one run's unchanged items",
        `${count(plainRun.rows)} items: ${count(plainRun.ms)} ms on the table, ${count(partRun.ms)} ms on its day's partition of ${days} (${times(partRun.ms / Math.max(plainRun.ms, 0.001))})`,
      );
      add(
        "ingestion by COPY",
        `${count(result.ingest.plainPerSecond)} items/s into the table, ${count(result.ingest.partitionedPerSecond)} items/s into today's partition (${times(result.ingest.partitionedPerSecond / result.ingest.plainPerSecond)})`,
      );
      add(
        "size with indexes",
        `${result.sizes.plainGiB.toFixed(2)} GiB as one table, ${result.sizes.partitionedGiB.toFixed(2)} GiB in ${days} partitions`,
      );
      return result;
    } finally {
      await sql(`DELETE FROM "Activity" WHERE id = $1::uuid`, [activity.id]);
    }
  } finally {
    await dropCopy(sql);
  }
}
