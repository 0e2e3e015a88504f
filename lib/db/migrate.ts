import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** The two calls a migration needs; PGlite and a pg.Pool both offer them. */
export interface SqlRunner {
  exec(sql: string): Promise<unknown>;
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export const MIGRATIONS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations");

/**
 * Applies prisma/migrations/<name>/migration.sql in name order, each in its own transaction, and
 * records it in Prisma's own `_prisma_migrations` table (same columns, same SHA-256 checksum), so
 * `prisma migrate status` reads the history as its own. The Prisma 6.19 CLI's migrate deploy
 * hangs on PGlite and fails on a server through the pg adapter here, hence this small runner.
 */
export async function applyMigrations(db: SqlRunner, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);
  const { rows } = await db.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL
      AND rolled_back_at IS NULL`,
  );
  const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
  const names = fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const newlyApplied: string[] = [];
  for (const name of names) {
    const sql = fs.readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
    const checksum = crypto.createHash("sha256").update(sql).digest("hex");
    const previous = applied.get(name);
    if (previous) {
      if (previous !== checksum)
        throw new Error(`Migration ${name} was changed after it was applied (checksum differs).`);
      continue;
    }
    await db.exec(`BEGIN;\n${sql}\n;COMMIT;`).catch(async (error: unknown) => {
      await db.exec("ROLLBACK").catch(() => undefined);
      throw new Error(`Migration ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    await db.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1,
        $2, now(), $3, 1)`,
      [crypto.randomUUID(), checksum, name],
    );
    newlyApplied.push(name);
  }
  return newlyApplied;
}
