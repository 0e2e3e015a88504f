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
 * Applies prisma/migrations/<name>/migration.sql in name order, each in its own transaction
 * together with its row in Prisma's own `_prisma_migrations` table (same columns, same SHA-256
 * checksum), so `prisma migrate status` reads the history as its own and a process killed at any
 * moment leaves a migration either applied and recorded or neither. A migration found applied but
 * not recorded (a store written by an older runner, which recorded after the commit, and was
 * killed in between) is recognised and recorded, instead of failing every later start with
 * "column already exists". The Prisma 6.19 CLI's migrate deploy hangs on PGlite and fails on a
 * server through the pg adapter here, hence this small runner.
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
    const ledger = (logs: string | null) =>
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, applied_steps_count)
        VALUES (${literal(crypto.randomUUID())}, ${literal(checksum)}, now(), ${literal(name)}, ${logs === null ? "NULL" : literal(logs)}, 1)`;
    try {
      await db.exec(`BEGIN;\n${sql}\n;\n${ledger(null)};\nCOMMIT;`);
    } catch (error) {
      await db.exec("ROLLBACK").catch(() => undefined);
      if (!isDuplicateObject(error) || !(await appliedBefore(db, sql)))
        throw new Error(`Migration ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      await db.exec(
        ledger("Found applied but not recorded (the process stopped between the two); recorded at start-up."),
      );
      console.warn(`[syncwatch] migration ${name} was applied but not recorded; recorded now`);
    }
    newlyApplied.push(name);
  }
  return newlyApplied;
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** duplicate_column, duplicate_table (and index), duplicate_object, duplicate_schema, duplicate_function. */
const DUPLICATE_OBJECT = new Set(["42701", "42P07", "42710", "42P06", "42723"]);

function isDuplicateObject(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && DUPLICATE_OBJECT.has(code);
}

/** A statement that creates a schema object and fails when it exists (no IF NOT EXISTS, no OR REPLACE). */
const CREATES =
  /^(CREATE\s+(UNIQUE\s+)?(TABLE|INDEX|TYPE|SEQUENCE|SCHEMA|EXTENSION|FUNCTION|TRIGGER|VIEW)\b|ALTER\s+TABLE\b[\s\S]*\bADD\b)/i;
const IDEMPOTENT = /\bIF\s+NOT\s+EXISTS\b|^CREATE\s+OR\s+REPLACE\b/i;

/**
 * Whether the migration's schema changes are all there already: each statement is tried in a
 * transaction that is always rolled back; every statement that creates something must fail
 * because it exists, and at least one must. A migration is one transaction, so it is applied
 * either whole or not at all: a mix means something else made those objects, and is refused.
 */
async function appliedBefore(db: SqlRunner, sql: string): Promise<boolean> {
  let existing = 0;
  let created = 0;
  await db.exec("BEGIN");
  try {
    for (const [i, statement] of splitStatements(sql).entries()) {
      await db.exec(`SAVEPOINT s${i}`);
      try {
        await db.exec(statement);
        const bare = statement.replace(/^(\s*(--[^\n]*|\/\*[\s\S]*?\*\/))*\s*/, "");
        if (CREATES.test(bare) && !IDEMPOTENT.test(bare)) created++;
      } catch (error) {
        await db.exec(`ROLLBACK TO SAVEPOINT s${i}`);
        if (isDuplicateObject(error)) existing++;
      }
    }
  } finally {
    await db.exec("ROLLBACK");
  }
  return existing > 0 && created === 0;
}

/**
 * The statements of a migration file: split at semicolons outside quotes, identifiers, comments
 * and dollar-quoted bodies (functions). Comments are kept with the statement that follows.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const text = sql.slice(start, end).trim();
    if (text.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, "").trim()) out.push(text);
  };
  while (i < sql.length) {
    const c = sql[i];
    if (c === "-" && sql[i + 1] === "-") i = skipTo(sql, "\n", i + 2);
    else if (c === "/" && sql[i + 1] === "*") i = skipTo(sql, "*/", i + 2);
    else if (c === "'" || c === '"') i = skipQuoted(sql, c, i + 1);
    else if (c === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      i = tag ? skipTo(sql, tag, i + tag.length) : i + 1;
    } else if (c === ";") {
      push(i);
      start = ++i;
    } else i++;
  }
  push(sql.length);
  return out;
}

function skipTo(sql: string, end: string, from: number): number {
  const at = sql.indexOf(end, from);
  return at < 0 ? sql.length : at + end.length;
}

function skipQuoted(sql: string, quote: string, from: number): number {
  for (let i = from; i < sql.length; i++) {
    if (sql[i] !== quote) continue;
    if (sql[i + 1] === quote) i++;
    else return i + 1;
  }
  return sql.length;
}
