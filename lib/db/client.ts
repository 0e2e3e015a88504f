import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { readStoreConfig, type StoreConfig } from "./store-config";
import { openPglite, openPgPool } from "./drivers";
import { applyMigrations } from "./migrate";

export interface Database {
  prisma: PrismaClient;
  store: StoreConfig;
  close(): Promise<void>;
}

async function openDatabase(store: StoreConfig): Promise<Database> {
  if (store.kind === "postgres") {
    const pool: pg.Pool = openPgPool(store.url, Number(process.env.SYNCWATCH_DB_POOL_SIZE ?? 10));
    await applyMigrations({
      exec: (sql) => pool.query(sql),
      query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await pool.query(sql, params)).rows as T[] }),
    });
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      prisma,
      store,
      close: async () => {
        await prisma.$disconnect();
        await pool.end().catch(() => undefined);
      },
    };
  }
  const pglite: PGlite = await openPglite(store.dataDir);
  await applyMigrations({
    exec: (sql) => pglite.exec(sql),
    query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await pglite.query<T>(sql, params)).rows }),
  });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    store,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

// One database per process: PGlite allows a single opener per folder, and a globalThis slot
// survives Next's development reloads.
const slot = globalThis as unknown as { __syncwatchDb?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  slot.__syncwatchDb ??= openDatabase(readStoreConfig()).catch((error) => {
    slot.__syncwatchDb = undefined;
    throw error;
  });
  return slot.__syncwatchDb;
}

export async function getPrisma(): Promise<PrismaClient> {
  return (await getDatabase()).prisma;
}
