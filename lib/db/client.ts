/**
 * The store of this process: the embedded PGlite folder, or a PostgreSQL server. One handle per
 * process (a globalThis slot survives Next's development reloads): Prisma for typed queries,
 * plain SQL with transactions for the write paths, and LISTEN for the change signal.
 */
import type { PGlite, Transaction } from "@electric-sql/pglite";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getConfig, type StoreConfig } from "@/lib/config";
import { ServiceUnavailableError } from "@/lib/domain/errors";
import { DiskGuard, NEW_STORE_WAL_SEGMENT_MIB, ReserveFile, guardedPglite, walSegmentBytes } from "./disk-guard";
import { openPglite, openPgPool } from "./drivers";
import { lastFullAt, storeConditionOf } from "./errors";
import { applyMigrations, type SqlRunner } from "./migrate";

export type Row = Record<string, unknown>;

export interface Sql {
  query<T = Row>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement; returns the number of rows it affected. */
  execute(text: string, params?: unknown[]): Promise<number>;
}

export interface Database {
  prisma: PrismaClient;
  store: StoreConfig;
  /** Statements outside a transaction, retried when the connection was lost. */
  sql: Sql;
  /** Runs `fn` in one transaction; the whole transaction is retried when the connection was lost. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Calls `onMessage` for each notification on `channel`; `onHealth(false)` while the listener is down. */
  listen(channel: string, onMessage: (payload: string) => void, onHealth?: (healthy: boolean) => void): Promise<void>;
  /** Whether the store answers and has room for writes, and if not, why. */
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

export interface StoreHealth {
  state: "ok" | "unavailable" | "full";
  reason?: string;
}

/** A full PostgreSQL server is known by its refusals: one in the last 30 s counts. */
const FULL_MEMORY_MS = 30_000;

async function pingHealth(ping: () => Promise<unknown>): Promise<StoreHealth> {
  try {
    await ping();
  } catch (error) {
    const condition = storeConditionOf(error) ?? "unavailable";
    return { state: condition, reason: error instanceof Error ? error.message : String(error) };
  }
  const full = lastFullAt();
  if (full && Date.now() - full < FULL_MEMORY_MS)
    return { state: "full", reason: "the server refused a write for lack of disk space in the last 30 s" };
  return { state: "ok" };
}

const TRANSIENT_CODES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "40001",
  "40P01",
]);
const TRANSIENT_NODE = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"]);

/** A lost connection, a restarting server, a serialisation failure or deadlock: worth one more try. */
export function isTransient(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  if (typeof e.code === "string" && (TRANSIENT_CODES.has(e.code) || TRANSIENT_NODE.has(e.code))) return true;
  if (typeof e.message === "string" && /Connection terminated|connection error|terminating connection/i.test(e.message))
    return true;
  return e.cause ? isTransient(e.cause) : false;
}

const BACKOFF_MS = [50, 200, 500, 1000, 2000];

async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isTransient(error) || attempt >= BACKOFF_MS.length) throw error;
      await new Promise((r) => setTimeout(r, BACKOFF_MS[attempt]));
    }
  }
}

function pgSql(q: { query: (text: string, params?: unknown[]) => Promise<pg.QueryResult> }): Sql {
  return {
    query: async <T>(text: string, params?: unknown[]) => (await q.query(text, params)).rows as T[],
    execute: async (text, params) => (await q.query(text, params)).rowCount ?? 0,
  };
}

function pgliteSql(q: PGlite | Transaction): Sql {
  return {
    query: async <T>(text: string, params?: unknown[]) => (await q.query<T>(text, params)).rows,
    execute: async (text, params) => (await q.query(text, params)).affectedRows ?? 0,
  };
}

async function openPostgres(store: Extract<StoreConfig, { kind: "postgres" }>, poolSize: number): Promise<Database> {
  const pool = openPgPool(store.url, poolSize);
  await migrateLocked(pool);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const raw = pgSql(pool);
  const listeners = new Map<string, { onMessage: (p: string) => void; onHealth?: (h: boolean) => void }[]>();
  let listener: pg.Client | null = null;
  let closed = false;
  const health = (h: boolean) => {
    for (const list of listeners.values()) for (const l of list) l.onHealth?.(h);
  };
  const connectListener = async (): Promise<void> => {
    if (closed) return;
    const client = new pg.Client({ connectionString: store.url });
    client.on("error", () => undefined);
    client.on("notification", (m) => {
      for (const l of listeners.get(m.channel) ?? []) l.onMessage(m.payload ?? "");
    });
    client.on("end", () => {
      if (listener !== client) return;
      listener = null;
      health(false);
      if (!closed) setTimeout(() => void connectListener().catch(() => undefined), 1000).unref();
    });
    try {
      await client.connect();
      for (const channel of listeners.keys()) await client.query(`LISTEN "${channel}"`);
      listener = client;
      health(true);
    } catch {
      await client.end().catch(() => undefined);
      if (!closed) setTimeout(() => void connectListener().catch(() => undefined), 1000).unref();
    }
  };
  return {
    prisma,
    store,
    sql: { query: (t, p) => withRetry(() => raw.query(t, p)), execute: (t, p) => withRetry(() => raw.execute(t, p)) },
    transaction: (fn) =>
      withRetry(async () => {
        const client = await pool.connect();
        let broken = false;
        try {
          await client.query("BEGIN");
          const result = await fn(pgSql(client));
          await client.query("COMMIT");
          return result;
        } catch (error) {
          broken = isTransient(error);
          await client.query("ROLLBACK").catch(() => (broken = true));
          throw error;
        } finally {
          client.release(broken);
        }
      }),
    async listen(channel, onMessage, onHealth) {
      const list = listeners.get(channel) ?? [];
      list.push({ onMessage, onHealth });
      listeners.set(channel, list);
      if (listener) await listener.query(`LISTEN "${channel}"`);
      else await connectListener();
    },
    health: () => pingHealth(() => pool.query("SELECT 1")),
    async close() {
      closed = true;
      await listener?.end().catch(() => undefined);
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

/** Two instances starting at once on one server apply the migrations one after the other. */
async function migrateLocked(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(72016001)");
    const runner: SqlRunner = {
      exec: (sql) => client.query(sql),
      query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as T[] }),
    };
    await applyMigrations(runner);
  } finally {
    await client.query("SELECT pg_advisory_unlock(72016001)").catch(() => undefined);
    client.release();
  }
}

async function openEmbedded(store: Extract<StoreConfig, { kind: "pglite" }>): Promise<Database> {
  const pglite = await openPglite(store.dataDir);
  try {
    await applyMigrations({
      exec: (sql) => pglite.exec(sql),
      query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await pglite.query<T>(sql, params)).rows }),
    });
  } catch (error) {
    await pglite.close();
    throw error;
  }
  // Every write from here on passes the disk guard first (lib/db/disk-guard.ts).
  const segment = walSegmentBytes(store.dataDir) ?? NEW_STORE_WAL_SEGMENT_MIB * 2 ** 20;
  // The guard also makes the store's reserve file (room to start on a full disk) once there is room.
  const guard = new DiskGuard(store.dataDir, segment, new ReserveFile(store.dataDir, segment));
  guard.state();
  const db = guardedPglite(pglite, guard);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  return {
    prisma,
    store,
    sql: pgliteSql(db),
    transaction: (fn) => db.transaction((tx) => fn(pgliteSql(tx))),
    async listen(channel, onMessage, onHealth) {
      await pglite.listen(channel, onMessage);
      onHealth?.(true);
    },
    async health() {
      const disk = guard.state();
      if (disk.fullSince !== null)
        return {
          state: "full",
          reason:
            `the data folder's disk has ${((disk.free ?? 0) / 2 ** 20).toFixed(1)} MiB free, less than the ` +
            `${(disk.reserve / 2 ** 20).toFixed(0)} MiB kept in reserve: writes are refused until space is freed`,
        };
      return pingHealth(() => pglite.query("SELECT 1"));
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

export function openDatabase(store: StoreConfig, poolSize = 10): Promise<Database> {
  return store.kind === "postgres" ? openPostgres(store, poolSize) : openEmbedded(store);
}

const slot = globalThis as unknown as { __syncwatchDb?: Promise<Database>; __syncwatchDbClosed?: boolean };

/** The process's database, opened (and migrated) on first use. */
export function getDatabase(): Promise<Database> {
  if (slot.__syncwatchDbClosed)
    return Promise.reject(new ServiceUnavailableError("The server is shutting down.", undefined, 5));
  slot.__syncwatchDb ??= openDatabase(getConfig().store, getConfig().dbPoolSize).catch((error) => {
    slot.__syncwatchDb = undefined;
    throw error;
  });
  return slot.__syncwatchDb;
}

/** Closes the process's database for good (shutdown): later requests are answered 503. */
export async function closeDatabase(): Promise<void> {
  const db = slot.__syncwatchDb;
  slot.__syncwatchDb = undefined;
  slot.__syncwatchDbClosed = true;
  if (db) await (await db.catch(() => null))?.close();
}

export async function getPrisma(): Promise<PrismaClient> {
  return (await getDatabase()).prisma;
}

/** Runs a Prisma query on the process's database, again when the connection was lost (like `Database.sql`). */
export async function withPrisma<T>(query: (prisma: PrismaClient) => Promise<T>): Promise<T> {
  const prisma = await getPrisma();
  return withRetry(() => query(prisma));
}
