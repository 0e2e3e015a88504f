/**
 * The embedded-store copy of the bench: a PGlite folder seeded in this process (COPY FROM
 * '/dev/blob'), closed before `next start` opens it (one opener per folder).
 */
import fs from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import { openPglite } from "@/lib/db/drivers";
import { copyStatement } from "./csv";
import { loadHistory, readSeedMetadata, type CopyChannel, type SeedMetadata, type SeedStore } from "./load";
import type { SeedSize } from "./generate";

function pgliteStore(db: PGlite): SeedStore {
  return {
    exec: (sql) => db.exec(sql),
    query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await db.query<T>(sql, params)).rows }),
    // PGlite has one connection: each batch is its own COPY, one after another.
    openCopy: async (table, columns): Promise<CopyChannel> => {
      let queue = Promise.resolve();
      return {
        write(csv) {
          if (!csv) return queue;
          queue = queue.then(
            async () =>
              void (await db.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([csv]) })),
          );
          return queue;
        },
        end: () => queue,
      };
    },
  };
}

/** Opens (seeding first if needed) the PGlite folder and hands it to `withStore` while open. */
export async function withSeededPglite<T>(
  dir: string,
  scale: string,
  size: SeedSize,
  reseed: boolean,
  log: (line: string) => void,
  withStore: (db: PGlite, meta: SeedMetadata, reused: boolean) => Promise<T>,
): Promise<T> {
  if (reseed) fs.rmSync(dir, { recursive: true, force: true });
  let db = await openPglite(dir);
  try {
    let meta = await readSeedMetadata(pgliteStore(db), scale).catch(() => null);
    const reused = meta !== null;
    if (!meta) {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
      db = await openPglite(dir);
      meta = await loadHistory(pgliteStore(db), scale, size, log);
    }
    return await withStore(db, meta, reused);
  } finally {
    await db.close();
  }
}
