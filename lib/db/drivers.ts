import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { walOptions } from "./disk-guard";
import { lockStore } from "./lock";

/**
 * Opens the embedded database in `dataDir`, taking the folder's lock first (one process per
 * folder); closing the returned database releases it. WAL segments and bounds suit a small disk
 * (lib/db/disk-guard.ts).
 */
export async function openPglite(dataDir: string): Promise<PGlite> {
  const release = lockStore(dataDir);
  try {
    const db = new PGlite(dataDir, { extensions: { pg_trgm }, ...walOptions(dataDir) });
    await db.waitReady;
    const close = db.close.bind(db);
    db.close = async () => {
      try {
        await close();
      } finally {
        release();
      }
    };
    return db;
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * A pool whose idle clients the server may drop (restart, terminated backend) without crashing
 * the process. A connection attempt gives up after 5 s (a server that does not answer is an
 * outage, answered 503, not a request that hangs), and TCP keepalive finds dead connections.
 * JIT compilation is switched off per session: it costs ~40 ms per scan of a large table (seen in
 * EXPLAIN ANALYZE at 1M activities), more than it saves on queries that read a page or count up
 * to a cap. A SET rather than a startup option, which connection poolers refuse; run by the pool's
 * onConnect hook, which waits for it before handing the client out (a query sent beside it would
 * be queued on the busy client, which pg 8 warns about and pg 9 refuses). A refused SET is ignored.
 */
const noop = () => undefined;

export function openPgPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5000,
    keepAlive: true,
    onConnect: (client) => client.query("SET jit = off").then(noop, noop),
  });
  pool.on("error", (error) =>
    console.warn(`[syncwatch] database connection lost (the pool replaces it): ${error.message}`),
  );
  return pool;
}

/**
 * The schema engine reads pg_catalog columns of type `name` (OID 19), which @prisma/adapter-pg 6.19
 * refuses to deserialize (prisma/prisma#27403). Reporting them as `text` (OID 25) lets
 * `prisma migrate deploy` run against a PostgreSQL server. Only the CLI uses this pool.
 */
export function openPgPoolForMigrations(url: string): pg.Pool {
  class NameAsTextClient extends pg.Client {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- it must accept every overload of pg.Client#query
    override query(...args: any[]): any {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- super.query is overloaded: called as any of them
      const result = (super.query as any)(...args);
      if (result && typeof result.then === "function") {
        return result.then((res: pg.QueryResult) => {
          for (const field of res.fields ?? []) if (field.dataTypeID === 19) field.dataTypeID = 25;
          return res;
        });
      }
      return result;
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: 2, Client: NameAsTextClient });
  pool.on("error", () => undefined);
  return pool;
}
