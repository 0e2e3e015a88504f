import fs from "node:fs";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/** One embedded database per data folder; PGlite allows a single opener per folder. */
export async function openPglite(dataDir: string): Promise<PGlite> {
  fs.mkdirSync(/*turbopackIgnore: true*/ dataDir, { recursive: true });
  const db = new PGlite(dataDir, { extensions: { pg_trgm } });
  await db.waitReady;
  return db;
}

export function openPgPool(url: string, max = 10): pg.Pool {
  return new pg.Pool({ connectionString: url, max });
}

/**
 * The schema engine reads pg_catalog columns of type `name` (OID 19), which @prisma/adapter-pg 6.19
 * refuses to deserialize (prisma/prisma#27403). Reporting them as `text` (OID 25) lets
 * `prisma migrate deploy` run against a PostgreSQL server. Only the CLI uses this pool.
 */
export function openPgPoolForMigrations(url: string): pg.Pool {
  class NameAsTextClient extends pg.Client {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: any[]): any {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
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
  return new pg.Pool({ connectionString: url, max: 2, Client: NameAsTextClient });
}
