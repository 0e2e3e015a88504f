import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { openPglite } from "@/lib/db/drivers";
import { applyMigrations, type SqlRunner } from "@/lib/db/migrate";

describe("applyMigrations on PGlite", () => {
  let dir: string;
  let db: PGlite;
  let runner: SqlRunner;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "syncwatch-migrate-"));
    db = await openPglite(path.join(dir, "store"));
    runner = {
      exec: (sql) => db.exec(sql),
      query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await db.query<T>(sql, params)).rows }),
    };
  }, 60_000);
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("applies every migration once and records it as Prisma does", async () => {
    const first = await applyMigrations(runner);
    expect(first.length).toBeGreaterThan(0);
    expect(await applyMigrations(runner)).toEqual([]);
    const { rows } = await db.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations"`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first);
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    const tables = await db.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    );
    expect(tables.rows.map((t) => t.tablename)).toEqual(
      expect.arrayContaining(["Activity", "ExecutionItem", "ProgressSample", "ApiKey"]),
    );
  }, 60_000);

  it("refuses a migration whose file changed after it was applied", async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "syncwatch-migrations-"));
    fs.cpSync(path.join(process.cwd(), "prisma", "migrations"), copy, { recursive: true });
    const name = fs.readdirSync(copy).filter((n) => fs.statSync(path.join(copy, n)).isDirectory())[0];
    fs.appendFileSync(path.join(copy, name, "migration.sql"), "\n-- edited\n");
    await expect(applyMigrations(runner, copy)).rejects.toThrow(/changed after it was applied/);
    fs.rmSync(copy, { recursive: true, force: true });
  });
});
