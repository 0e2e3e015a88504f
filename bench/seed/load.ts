/**
 * Bulk-loads the generated history into a migrated store (PostgreSQL or PGlite): secondary
 * indexes and foreign keys are dropped for the COPY and rebuilt afterwards (one sorted build per
 * index instead of 20M random insertions), then VACUUM ANALYZE sets the visibility map and the
 * planner's statistics. A `_bench_seed` row records what was loaded so a later run can reuse it.
 */
import { applyMigrations, type SqlRunner } from "@/lib/db/migrate";
import { buildSeedConfig, configSql } from "./config";
import { FAILURE_COLUMNS, FAILURE_EVENT_COLUMNS } from "./failures";
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

/** Bumped when what the seed writes changes: a store seeded by another format is seeded again. */
export const SEED_FORMAT = 2;

export interface SeedMetadata {
  format: number;
  scale: string;
  activities: number;
  items: number;
  samples: number;
  failures: number;
  failureEvents: number;
  /** Runs whose items are flagged as purged (beyond the last KEEP_ITEM_RUNS runs of their profile). */
  purgedRuns: number;
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

/** FailureGroup counted afresh from ObjectFailure, as its migration's backfill does. */
const FAILURE_GROUP_COUNTS = `DELETE FROM "FailureGroup";
INSERT INTO "FailureGroup" (state, "errorType", "connectedSystemId", "objectType", "connectedSystemName", objects)
SELECT state, "lastErrorType", "connectedSystemId", "objectType", "connectedSystemName", count(*)::int
  FROM "ObjectFailure" GROUP BY 1, 2, 3, 4, 5`;

const BULK_TABLES = ["Activity", "ExecutionItem", "ProgressSample", "ObjectFailure", "ObjectFailureEvent"];
/** Retention's default: the items of the last 3 runs of each run profile are kept. */
export const KEEP_ITEM_RUNS = 3;
const seconds = (since: number) => (performance.now() - since) / 1000;

export async function readSeedMetadata(store: SqlRunner, scale: string): Promise<SeedMetadata | null> {
  const { rows: exists } = await store.query<{ t: string | null }>(
    `SELECT to_regclass('public._bench_seed')::text AS t`,
  );
  if (!exists[0]?.t) return null;
  const { rows } = await store.query<{ meta: SeedMetadata }>(`SELECT meta FROM _bench_seed WHERE scale = $1`, [scale]);
  const meta = rows[0]?.meta;
  if (!meta || meta.format !== SEED_FORMAT) return null;
  const { rows: counts } = await store.query<{ activities: string; items: string; samples: string }>(
    `SELECT (SELECT count(*) FROM "Activity") AS activities, (SELECT count(*) FROM "ExecutionItem") AS items, (SELECT count(*) FROM "ProgressSample") AS samples`,
  );
  const c = counts[0];
  // Samples are not compared: the watch and page phases report progress, which adds samples.
  const matches = Number(c.activities) === meta.activities && Number(c.items) === meta.items;
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
  // The triggers that keep FailureGroup's counts are off for the COPY: the counts are made once after it.
  await store.exec(`ALTER TABLE "ObjectFailure" DISABLE TRIGGER USER`);

  const copyStarted = performance.now();
  const [activities, items, samples, events] = await Promise.all([
    store.openCopy("Activity", ACTIVITY_COLUMNS),
    store.openCopy("ExecutionItem", ITEM_COLUMNS),
    store.openCopy("ProgressSample", SAMPLE_COLUMNS),
    store.openCopy("ObjectFailureEvent", FAILURE_EVENT_COLUMNS),
  ]);
  const fixtures: Partial<SeedFixtures> = {};
  const totals = { activities: 0, items: 0, samples: 0, failures: 0, failureEvents: 0 };
  let failureRows = "";
  let lastLog = performance.now();
  for (const batch of generateHistory(config, size, Date.now(), fixtures)) {
    await Promise.all([
      activities.write(batch.activities),
      items.write(batch.items),
      samples.write(batch.samples),
      events.write(batch.failureEvents),
    ]);
    if (batch.failures) failureRows = batch.failures;
    totals.activities += batch.activityCount;
    totals.items += batch.itemCount;
    totals.samples += batch.sampleCount;
    totals.failures += batch.failureCount;
    totals.failureEvents += batch.failureEventCount;
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(
        `  copied ${totals.activities.toLocaleString("en-GB")} activities, ${totals.items.toLocaleString("en-GB")} items (${Math.round(totals.items / seconds(copyStarted)).toLocaleString("en-GB")} items/s)`,
      );
    }
  }
  await Promise.all([activities.end(), items.end(), samples.end(), events.end()]);
  const failuresCopy = await store.openCopy("ObjectFailure", FAILURE_COLUMNS);
  await failuresCopy.write(failureRows);
  await failuresCopy.end();
  await store.exec(`ALTER TABLE "ObjectFailure" ENABLE TRIGGER USER`);
  await store.exec(FAILURE_GROUP_COUNTS);
  const copySeconds = seconds(copyStarted);
  // Retention's state: runs beyond the last KEEP_ITEM_RUNS of their run profile are flagged as purged
  // (at the end of the run that pushed them out). Their items stay in the table, so that the item
  // routes are measured on a table of the scale's size.
  const purged = await store.query<{ n: number }>(
    `WITH r AS (
       SELECT id, lead("endedAt", ${KEEP_ITEM_RUNS}) OVER (PARTITION BY "runProfileId" ORDER BY "createdAt", id) AS pushed
       FROM "Activity" WHERE "targetType" = 'ConnectedSystemRunProfile' AND status <> 'InProgress'
     ),
     u AS (UPDATE "Activity" a SET "itemsPurgedAt" = r.pushed + interval '1 minute' FROM r WHERE a.id = r.id AND r.pushed IS NOT NULL RETURNING 1)
     SELECT count(*)::int AS n FROM u`,
  );
  const purgedRuns = Number(purged.rows[0]?.n ?? 0);
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

  await chooseFixtures(store, fixtures);
  const rows = totals.activities + totals.items + totals.samples + totals.failures + totals.failureEvents;
  const meta: SeedMetadata = {
    format: SEED_FORMAT,
    scale,
    ...totals,
    purgedRuns,
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

/** Fixtures that depend on the stored state: a typical run whose items are retained, a failure with history. */
async function chooseFixtures(store: SqlRunner, fixtures: Partial<SeedFixtures>): Promise<void> {
  const target = fixtures.typicalTargetItems ?? 10;
  const { rows: typical } = await store.query<{ id: string; n: number }>(
    `SELECT id::text AS id, "itemCount" AS n FROM "Activity"
     WHERE "targetType" = 'ConnectedSystemRunProfile' AND status <> 'InProgress' AND "itemsPurgedAt" IS NULL
       AND "totalObjectErrors" > 0 AND id <> $1::uuid
     ORDER BY ("itemCount" BETWEEN $2::int AND $3::int) DESC, "createdAt" DESC LIMIT 1`,
    [fixtures.largestRunId, target, target * 3],
  );
  if (typical[0]) {
    fixtures.typicalRunId = typical[0].id;
    fixtures.typicalRunItems = Number(typical[0].n);
  }
  const { rows: failure } = await store.query<{ id: string }>(
    `SELECT id::text AS id FROM "ObjectFailure" WHERE state = 'Open' ORDER BY "totalFailures" DESC, id LIMIT 1`,
  );
  fixtures.failureId = failure[0]?.id ?? "00000000-0000-7000-8000-000000000000";
  const { rows: counts } = await store.query<{ t: string; failures: number; open: number }>(
    `SELECT "lastErrorType"::text AS t, count(*)::int AS failures, count(*) FILTER (WHERE state = 'Open')::int AS open
     FROM "ObjectFailure" GROUP BY 1 ORDER BY 3 DESC`,
  );
  fixtures.dominantErrorType = counts[0]?.t ?? "UnresolvedReference";
  fixtures.failures = counts.reduce((n, c) => n + Number(c.failures), 0);
  fixtures.openFailures = counts.reduce((n, c) => n + Number(c.open), 0);
}
