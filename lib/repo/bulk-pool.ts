import pg from "pg";
import { readStoreConfig } from "@/lib/db/store-config";

/**
 * A small pg pool for bulk statements on a PostgreSQL store. Passing one 400 kB JSON parameter
 * (a 1,000-item batch) through Prisma's raw-query path costs ~15–20 ms more than through pg
 * itself, which is most of the per-batch overhead; the item ingest path uses this pool. Null on
 * PGlite (one connection, owned by Prisma). Kept on globalThis (Next may load this module twice).
 */
const g = globalThis as unknown as { __syncwatchBulkPool?: pg.Pool | null };

export function getBulkPool(): pg.Pool | null {
  if (g.__syncwatchBulkPool !== undefined) return g.__syncwatchBulkPool;
  const store = readStoreConfig();
  g.__syncwatchBulkPool =
    store.kind === "postgres"
      ? new pg.Pool({ connectionString: store.url, max: Number(process.env.SYNCWATCH_BULK_POOL_SIZE ?? 4) })
      : null;
  return g.__syncwatchBulkPool;
}
