import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { NEW_STORE_WAL_SEGMENT_MIB, ReserveFile, diskFree, startRoom, walOptions, walSegmentBytes } from "./disk-guard";
import { lockStore } from "./lock";

const MiB = 2 ** 20;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);

/** A store that cannot start for lack of room: names the folder and the room it needs. */
export class StoreNoRoomError extends Error {
  constructor(dataDir: string, free: number, needed: number, cause?: unknown) {
    super(
      `The embedded store ${dataDir} cannot start: its disk has ${mib(free)} MiB free, and starting it ` +
        `(recovering it after an unclean stop included) needs about ${mib(needed)} MiB. Free space on that ` +
        `disk, or copy the folder to a disk with room, and start again; nothing stored is lost.`,
      cause === undefined ? undefined : { cause },
    );
    this.name = "StoreNoRoomError";
  }
}

/**
 * Room for PGlite to start in `dataDir`: on a disk short of it the store's reserve file is
 * released (lib/db/disk-guard.ts); without one, a disk still short of room refuses the start at
 * once with the folder and the room needed (PGlite would fail with a cryptic error, or worse).
 */
function makeRoomToStart(dataDir: string): { needed: number } {
  const segment = walSegmentBytes(dataDir) ?? NEW_STORE_WAL_SEGMENT_MIB * MiB;
  const reserve = new ReserveFile(dataDir, segment);
  const needed = startRoom(segment);
  const free = diskFree(dataDir);
  if (free === null || free >= reserve.bytes) return { needed };
  const released = reserve.release();
  if (released)
    console.warn(
      `[syncwatch] the disk of the embedded store ${dataDir} has ${mib(free)} MiB free: ` +
        `released its ${mib(released)} MiB reserve file so that the store can start (writes wait for room)`,
    );
  const now = diskFree(dataDir) ?? free;
  if (now < needed) throw new StoreNoRoomError(dataDir, now, needed);
  return { needed };
}

/** The folder's lock, whose file needs a block too: on a full disk the reserve file gives it one. */
function lockWithRoom(dataDir: string): () => void {
  try {
    return lockStore(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
    const segment = walSegmentBytes(dataDir) ?? NEW_STORE_WAL_SEGMENT_MIB * MiB;
    if (!new ReserveFile(dataDir, segment).release())
      throw new StoreNoRoomError(dataDir, diskFree(dataDir) ?? 0, startRoom(segment), error);
    return lockStore(dataDir);
  }
}

/**
 * Opens the embedded database in `dataDir`, taking the folder's lock first (one process per
 * folder); closing the returned database releases it. WAL segments and bounds suit a small disk,
 * and a reserve file keeps room to start on a full one (lib/db/disk-guard.ts).
 */
export async function openPglite(dataDir: string): Promise<PGlite> {
  const release = lockWithRoom(dataDir);
  try {
    const { needed } = makeRoomToStart(dataDir);
    const db = new PGlite(dataDir, { extensions: { pg_trgm }, ...walOptions(dataDir) });
    await db.waitReady.catch((error: unknown) => {
      const free = diskFree(dataDir);
      // Short of room after all (the start took more than it had): said plainly, not PGlite's words.
      if (free !== null && free < 2 * needed) throw new StoreNoRoomError(dataDir, free, 2 * needed, error);
      throw error;
    });
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
