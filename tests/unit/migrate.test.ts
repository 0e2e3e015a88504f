/**
 * Migrations on PGlite (lib/db/migrate.ts): applied once each, in name order, recorded as Prisma
 * records them; a changed migration is refused; a failing one leaves nothing behind. The schema's
 * change-notification trigger fires on every activity write.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { openPglite } from "@/lib/db/drivers";
import { MIGRATIONS_DIR, applyMigrations, splitStatements, type SqlRunner } from "@/lib/db/migrate";

describe("applyMigrations on PGlite", () => {
  let dir: string;
  let db: PGlite;
  let runner: SqlRunner;
  let first: string[];
  const copies: string[] = [];

  /** A copy of the migrations folder to change. */
  function copyMigrations(): string {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "syncwatch-migrations-"));
    copies.push(copy);
    fs.cpSync(MIGRATIONS_DIR, copy, { recursive: true });
    return copy;
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "syncwatch-migrate-"));
    db = await openPglite(path.join(dir, "store"));
    runner = {
      exec: (sql) => db.exec(sql),
      query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await db.query<T>(sql, params)).rows }),
    };
    first = await applyMigrations(runner);
  }, 240_000); // PGlite applies every migration: minutes on a loaded 2-core machine
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const c of copies) fs.rmSync(c, { recursive: true, force: true });
  });

  it("applies every migration once, in name order, and records it as Prisma does", async () => {
    const names = fs
      .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(first).toEqual(names);
    expect(await applyMigrations(runner)).toEqual([]);
    const { rows } = await db.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      rolled_back_at: Date | null;
    }>(`SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name`);
    expect(rows.map((r) => r.migration_name).sort()).toEqual(names);
    for (const r of rows) {
      const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, r.migration_name, "migration.sql"), "utf8");
      expect(r.checksum).toBe(crypto.createHash("sha256").update(sql).digest("hex"));
      expect(r.finished_at).not.toBeNull();
      expect(r.rolled_back_at).toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
    const tables = await db.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    );
    expect(tables.rows.map((t) => t.tablename)).toEqual(
      expect.arrayContaining([
        "Activity",
        "ExecutionItem",
        "ProgressSample",
        "ApiKey",
        "ObjectFailure",
        "ObjectFailureEvent",
        "_prisma_migrations",
      ]),
    );
  }, 240_000); // PGlite applies every migration: minutes on a loaded 2-core machine

  it("refuses a migration whose file changed after it was applied", async () => {
    const copy = copyMigrations();
    fs.appendFileSync(path.join(copy, first[0], "migration.sql"), "\n-- edited\n");
    await expect(applyMigrations(runner, copy)).rejects.toThrow(
      `Migration ${first[0]} was changed after it was applied (checksum differs).`,
    );
  });

  it("a failing migration leaves nothing behind and is not recorded", async () => {
    const copy = copyMigrations();
    const name = "99990101000000_broken";
    fs.mkdirSync(path.join(copy, name));
    fs.writeFileSync(
      path.join(copy, name, "migration.sql"),
      `CREATE TABLE "HalfDone" (id int);\nALTER TABLE "NoSuchTable" ADD COLUMN x int;\n`,
    );
    await expect(applyMigrations(runner, copy)).rejects.toThrow(/^Migration 99990101000000_broken failed: /);
    const half = await db.query(`SELECT 1 FROM pg_tables WHERE tablename = 'HalfDone'`);
    expect(half.rows).toEqual([]);
    const recorded = await db.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1`, [name]);
    expect(recorded.rows).toEqual([]);
    // the store is still usable afterwards
    expect(await applyMigrations(runner)).toEqual([]);
  });

  it("records a migration in the same transaction: found applied but not recorded, it is recorded, not re-run", async () => {
    // A migration of its own, not the newest real one: that may rebuild an index (DROP, then
    // CREATE), which a second run simply repeats.
    const copy = copyMigrations();
    const last = "99990103000000_made_before";
    fs.mkdirSync(path.join(copy, last));
    fs.writeFileSync(
      path.join(copy, last, "migration.sql"),
      `CREATE TABLE "MadeBefore" (id int);\nCREATE INDEX "MadeBefore_id_idx" ON "MadeBefore" (id);\nALTER TABLE "MadeBefore" ADD COLUMN note text;\n`,
    );
    expect(await applyMigrations(runner, copy)).toEqual([last]);
    // What a kill between the migration's COMMIT and its ledger row (the old runner) left behind.
    await db.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [last]);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(await applyMigrations(runner, copy)).toEqual([last]);
    expect(warn.mock.calls.join(" ")).toMatch(new RegExp(`migration ${last} was applied but not recorded`));
    warn.mockRestore();
    const { rows } = await db.query<{ logs: string }>(
      `SELECT logs FROM "_prisma_migrations" WHERE migration_name = $1`,
      [last],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].logs).toMatch(/Found applied but not recorded/);
    expect(await applyMigrations(runner, copy)).toEqual([]);
    await db.query(`DROP TABLE "MadeBefore"`);
    await db.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [last]);
  });

  it("a migration whose objects only partly exist is refused, not recorded", async () => {
    const copy = copyMigrations();
    const name = "99990102000000_two_tables";
    fs.mkdirSync(path.join(copy, name));
    fs.writeFileSync(
      path.join(copy, name, "migration.sql"),
      `-- two tables\nCREATE TABLE "MadeByHand" (id int);\nCREATE TABLE "NotThereYet" (id int);\n`,
    );
    await db.query(`CREATE TABLE "MadeByHand" (id int)`);
    await expect(applyMigrations(runner, copy)).rejects.toThrow(/Migration 99990102000000_two_tables failed: .*exists/);
    expect((await db.query(`SELECT 1 FROM pg_tables WHERE tablename = 'NotThereYet'`)).rows).toEqual([]);
    expect((await db.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1`, [name])).rows).toEqual([]);
    await db.query(`DROP TABLE "MadeByHand"`);
  });

  it("splits migration files into statements, keeping function bodies and quoted semicolons whole", () => {
    expect(splitStatements(`CREATE TABLE "a;b" (x text DEFAULT ';');\n-- c; d\nSELECT 1;\n/* e; */`)).toEqual([
      `CREATE TABLE "a;b" (x text DEFAULT ';')`,
      "-- c; d\nSELECT 1",
    ]);
    const fn = `CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN PERFORM 1; RETURN NULL; END; $$ LANGUAGE plpgsql;\nSELECT 2`;
    expect(splitStatements(fn)).toHaveLength(2);
    const queue = fs.readFileSync(
      path.join(MIGRATIONS_DIR, "20261124000000_queue_leases_retention_failures", "migration.sql"),
      "utf8",
    );
    const statements = splitStatements(queue);
    expect(statements.filter((x) => x.includes("$$"))).toHaveLength(1);
    expect(statements.every((x) => !x.trim().endsWith(";"))).toBe(true);
  });

  it("gives each failing object the template of its latest failed event; none recorded stays null", async () => {
    const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, "20261209000001_failure_templates", "migration.sql"), "utf8");
    const backfill = splitStatements(sql).find((x) => x.includes('UPDATE "ObjectFailure"'))!;
    const [a, b, run] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await db.query(
      `INSERT INTO "ObjectFailure" (id, "connectedSystemId", "connectedSystemName", "objectKey", state, "firstSeenAt",
         "lastSeenAt", "lastActivityId", "consecutiveRuns", "totalFailures", "lastErrorType")
       SELECT x, 1, 'AD', x::text, 'Open', now(), now(), $3::uuid, 1, 1, 'UnhandledError'
       FROM unnest(ARRAY[$1::uuid, $2::uuid]) AS x`,
      [a, b, run],
    );
    const event = (failureId: string, kind: string, at: string, template: string | null) =>
      db.query(
        `INSERT INTO "ObjectFailureEvent" ("failureId", kind, at, "activityId", "activityName", "connectedSystemId",
           "errorTemplate") VALUES ($1, $2::"ObjectFailureEventKind", $3::timestamptz, $4, 'run', 1, $5)`,
        [failureId, kind, at, run, template],
      );
    await event(a, "Failed", "2026-12-01T00:00:00Z", "Old {id}");
    await event(a, "Failed", "2026-12-02T00:00:00Z", "Latest {id}");
    await event(a, "Recovered", "2026-12-03T00:00:00Z", null);
    await event(b, "Failed", "2026-12-02T00:00:00Z", null);
    await db.exec(backfill);
    const { rows } = await db.query<{ id: string; lastErrorTemplate: string | null }>(
      `SELECT id, "lastErrorTemplate" FROM "ObjectFailure" WHERE id = ANY($1::uuid[])`,
      [[a, b]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.lastErrorTemplate]))).toEqual({ [a]: "Latest {id}", [b]: null });
  });

  it("installs the change-notification triggers on Activity", async () => {
    const { rows } = await db.query<{ tgname: string }>(
      `SELECT tgname FROM pg_trigger WHERE tgrelid = '"Activity"'::regclass AND NOT tgisinternal ORDER BY 1`,
    );
    expect(rows.map((r) => r.tgname)).toEqual(expect.arrayContaining(["Activity_notify", "Activity_notify_delete"]));
  });

  it("notifies every insert, update and delete of an activity (id, version, status, parent, errors)", async () => {
    const payloads: string[] = [];
    const unlisten = await db.listen("syncwatch_activity", (p) => payloads.push(p));
    const parent = "0195c0de-7a10-7f3b-9a9e-000000000001";
    const child = "0195c0de-7a10-7f3b-9a9e-000000000002";
    const insert = (id: string, parentId: string | null) =>
      db.query(
        `INSERT INTO "Activity" (id, name, "targetType", "initiatorType", "initiatorName", "parentActivityId")
         VALUES ($1::uuid, 'trigger test', 'Schedule', 'System', 'test', $2::uuid)`,
        [id, parentId],
      );
    await insert(parent, null);
    await insert(child, parent);
    await db.query(
      `UPDATE "Activity" SET status = 'CompleteWithError', version = version + 1, "totalObjectErrors" = 3 WHERE id = $1::uuid`,
      [child],
    );
    await db.query(`DELETE FROM "Activity" WHERE id = $1::uuid`, [parent]);
    // notifications are delivered after the statements commit
    for (let i = 0; i < 20 && payloads.length < 4; i++) await new Promise((r) => setImmediate(r));
    await unlisten();
    expect(payloads).toEqual([
      `${parent} 0 InProgress - 0`,
      `${child} 0 InProgress ${parent} 0`,
      `${child} 1 CompleteWithError ${parent} 3`,
      "*",
    ]);
  });
});
