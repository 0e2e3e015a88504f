/**
 * Bulk-loads the generated history into a migrated store (PostgreSQL or PGlite): secondary
 * indexes and foreign keys are dropped for the COPY and rebuilt afterwards (one sorted build per
 * index instead of 20M random insertions), then VACUUM ANALYZE sets the visibility map and the
 * planner's statistics. A `_bench_seed` row records what was loaded so a later run can reuse it.
 */
import { applyMigrations, type SqlRunner } from "@/lib/db/migrate";
import { buildSeedConfig, configSql } from "./config";
import {
  ACTIVITY_COLUMNS,
  ITEM_COLUMNS,
  SAMPLE_COLUMNS,
  generateHistory,
  type SeedFixtures,
  type SeedSize,
} from "./generate";

/** One table's COPY in progress. */
export interface CopyChannel {
  write(csv: string): Promise<void>;
  end(): Promise<void>;
}

export interface SeedStore extends SqlRunner {
  openCopy(table: string, columns: readonly string[]): Promise<CopyChannel>;
}

export interface SeedMetadata {
  scale: string;
  activities: number;
  items: number;
  samples: number;
  fixtures: SeedFixtures;
  seededAt: string;
  timings: SeedTimings | null;
}

export interface SeedTimings {
  copySeconds: number;
  indexSeconds: number;
  vacuumSeconds: number;
  totalSeconds: number;
  rowsPerSecond: number;
  itemsPerSecond: number;
}

const BULK_TABLES = ["Activity", "ExecutionItem", "ProgressSample"];
const seconds = (since: number) => (performance.now() - since) / 1000;

export async function readSeedMetadata(store: SqlRunner, scale: string): Promise<SeedMetadata | null> {
  const { rows: exists } = await store.query<{ t: string | null }>(
    `SELECT to_regclass('public._bench_seed')::text AS t`,
  );
  if (!exists[0]?.t) return null;
  const { rows } = await store.query<{ meta: SeedMetadata }>(`SELECT meta FROM _bench_seed WHERE scale = $1`, [scale]);
  const meta = rows[0]?.meta;
  if (!meta) return null;
  const { rows: counts } = await store.query<{ activities: string; items: string; samples: string }>(
    `SELECT (SELECT count(*) FROM "Activity") AS activities, (SELECT count(*) FROM "ExecutionItem") AS items, (SELECT count(*) FROM "ProgressSample") AS samples`,
  );
  const c = counts[0];
  const matches =
    Number(c.activities) === meta.activities && Number(c.items) === meta.items && Number(c.samples) === meta.samples;
  return matches ? meta : null;
}

export async function loadHistory(
  store: SeedStore,
  scale: string,
  size: SeedSize,
  log: (line: string) => void,
): Promise<SeedMetadata> {
  const started = performance.now();
  await applyMigrations(store);
  const config = buildSeedConfig();
  await store.exec(configSql(config));

  const { rows: indexes } = await store.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY($1) AND indexname NOT LIKE '%\\_pkey'`,
    [BULK_TABLES],
  );
  const { rows: foreignKeys } = await store.query<{ name: string; table: string; def: string }>(
    `SELECT conname AS name, conrelid::regclass::text AS table, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE contype = 'f' AND conrelid::regclass::text = ANY($1)`,
    [BULK_TABLES.map((t) => `"${t}"`)],
  );
  for (const fk of foreignKeys) await store.exec(`ALTER TABLE ${fk.table} DROP CONSTRAINT "${fk.name}"`);
  for (const ix of indexes) await store.exec(`DROP INDEX "${ix.name}"`);

  const copyStarted = performance.now();
  const [activities, items, samples] = await Promise.all([
    store.openCopy("Activity", ACTIVITY_COLUMNS),
    store.openCopy("ExecutionItem", ITEM_COLUMNS),
    store.openCopy("ProgressSample", SAMPLE_COLUMNS),
  ]);
  const fixtures: Partial<SeedFixtures> = {};
  const totals = { activities: 0, items: 0, samples: 0 };
  let lastLog = performance.now();
  for (const batch of generateHistory(config, size, Date.now(), fixtures)) {
    await Promise.all([activities.write(batch.activities), items.write(batch.items), samples.write(batch.samples)]);
    totals.activities += batch.activityCount;
    totals.items += batch.itemCount;
    totals.samples += batch.sampleCount;
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(
        `  copied ${totals.activities.toLocaleString("en-GB")} activities, ${totals.items.toLocaleString("en-GB")} items (${Math.round(totals.items / seconds(copyStarted)).toLocaleString("en-GB")} items/s)`,
      );
    }
  }
  await Promise.all([activities.end(), items.end(), samples.end()]);
  const copySeconds = seconds(copyStarted);
  log(
    `  COPY done in ${copySeconds.toFixed(1)} s; rebuilding ${indexes.length} indexes and ${foreignKeys.length} foreign keys`,
  );

  const indexStarted = performance.now();
  for (const ix of indexes) await store.exec(ix.def);
  for (const fk of foreignKeys) await store.exec(`ALTER TABLE ${fk.table} ADD CONSTRAINT "${fk.name}" ${fk.def}`);
  const indexSeconds = seconds(indexStarted);
  const vacuumStarted = performance.now();
  await store.exec(`VACUUM ANALYZE`);
  const vacuumSeconds = seconds(vacuumStarted);

  const rows = totals.activities + totals.items + totals.samples;
  const meta: SeedMetadata = {
    scale,
    ...totals,
    fixtures: fixtures as SeedFixtures,
    seededAt: new Date().toISOString(),
    timings: {
      copySeconds,
      indexSeconds,
      vacuumSeconds,
      totalSeconds: seconds(started),
      rowsPerSecond: rows / copySeconds,
      itemsPerSecond: totals.items / copySeconds,
    },
  };
  await store.exec(`CREATE TABLE IF NOT EXISTS _bench_seed (scale text PRIMARY KEY, meta jsonb NOT NULL)`);
  await store.query(
    `INSERT INTO _bench_seed (scale, meta) VALUES ($1, $2::jsonb) ON CONFLICT (scale) DO UPDATE SET meta = EXCLUDED.meta`,
    [scale, JSON.stringify(meta)],
  );
  return meta;
}
