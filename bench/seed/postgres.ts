/**
 * The PostgreSQL bench database: syncwatch_bench_<scale> on the local server, reused when its
 * `_bench_seed` row matches the table counts, otherwise dropped, recreated and loaded by COPY.
 */
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Scale } from "../scales";
import { copyStatement } from "./csv";
import { loadHistory, readSeedMetadata, type CopyChannel, type SeedMetadata, type SeedStore } from "./load";

export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export function benchDatabaseUrl(scale: Scale): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/syncwatch_bench_${scale.name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

async function openCopy(pool: pg.Pool, table: string, columns: readonly string[]): Promise<CopyChannel> {
  const client = await pool.connect();
  await client.query("SET synchronous_commit = off");
  const stream = client.query(copyFrom(copyStatement(table, columns, "STDIN")));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  // Surface a COPY error at the next write instead of as an unhandled rejection.
  let failure: unknown = null;
  finished.catch((e) => (failure = e));
  return {
    async write(csv) {
      if (failure) throw failure;
      if (csv && !stream.write(csv))
        await Promise.race([new Promise((resolve) => stream.once("drain", resolve)), finished]);
    },
    async end() {
      stream.end();
      try {
        await finished;
      } finally {
        client.release();
      }
    },
  };
}

function poolStore(pool: pg.Pool): SeedStore {
  return {
    exec: (sql) => pool.query(sql),
    query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await pool.query(sql, params)).rows as T[] }),
    openCopy: (table, columns) => openCopy(pool, table, columns),
  };
}

export interface BenchDatabase {
  url: string;
  meta: SeedMetadata;
  reused: boolean;
}

/** The seeded bench database for this scale: reused if intact (unless `reseed`), else loaded now. */
export async function ensureBenchDatabase(
  scale: Scale,
  reseed: boolean,
  log: (line: string) => void,
): Promise<BenchDatabase> {
  const url = benchDatabaseUrl(scale);
  const name = new URL(url).pathname.slice(1);
  const exists = await withAdmin(
    async (admin) => (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1,
  );
  if (exists && !reseed) {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const meta = await readSeedMetadata(poolStore(pool), scale.name);
      if (meta) return { url, meta, reused: true };
    } finally {
      await pool.end();
    }
    log(`  ${name} exists but its row counts do not match its seed record: reseeding`);
  }
  await withAdmin(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  });
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    options: "-c maintenance_work_mem=1GB -c max_parallel_maintenance_workers=2",
  });
  try {
    const meta = await loadHistory(
      poolStore(pool),
      scale.name,
      { activities: scale.activities, items: scale.items },
      log,
    );
    return { url, meta, reused: false };
  } finally {
    await pool.end();
  }
}
