/**
 * Starting the embedded store on a disk another program filled to the last byte (issue 18.3): a
 * store closed cleanly, or killed (kill -9), with its WAL at several positions. PGlite needs room
 * to start (a new WAL segment; recovery after a kill) and failed with "PGlite failed to initialize
 * properly" when the last segment was full; the store's reserve file (lib/db/disk-guard.ts) now
 * gives it that room. Each start either opens the store, with every committed row there, or is
 * refused at once with a message naming the folder and the room it needs, never PGlite's own
 * error; after space is freed every committed row is there. The writer runs in a process of its
 * own (so that it can be killed); the tmpfs needs root, else the test is skipped and says why.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, type TestContext } from "vitest";
import { openPglite } from "@/lib/db/drivers";
import { RESERVE_FILE, ReserveFile, walOptions } from "@/lib/db/disk-guard";
import { MiB, fillToTheBrim, freeBytes, mountTmpfs } from "./disk";
import { ROOT, tempDir } from "./server";

/** Free space (MiB) at which the writer stops: each leaves the WAL somewhere else. */
const LEVELS = [1.4, 1.15, 0.9];

/** Creates the store, inserts until `stopAt` bytes are free, keeps the rows committed, then closes or dies. */
const WRITER = `
const { PGlite } = require(${JSON.stringify(path.join(ROOT, "node_modules/@electric-sql/pglite/dist/index.cjs"))});
const fs = require("node:fs");
const [dir, mnt, stopAt, mode, options] = process.argv.slice(2);
const free = () => { const s = fs.statfsSync(mnt); return s.bavail * s.bsize; };
(async () => {
  const db = new PGlite(dir, JSON.parse(options));
  await db.waitReady;
  await db.exec("CREATE TABLE t (id serial PRIMARY KEY, v text)");
  let rows = 0;
  while (free() > Number(stopAt)) {
    await db.query("INSERT INTO t (v) SELECT md5(random()::text) || repeat(md5(random()::text), 30) FROM generate_series(1, 200)");
    rows += 200;
  }
  fs.writeFileSync(dir + "/../rows", String(rows));
  if (mode === "kill") process.kill(process.pid, "SIGKILL");
  await db.close();
})();
`;

async function count(dir: string): Promise<number> {
  const db = await openPglite(dir);
  try {
    return Number((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM t")).rows[0].n);
  } finally {
    await db.close();
  }
}

describe("starting the embedded store on a full disk", () => {
  const cases = LEVELS.flatMap((level) => ["close", "kill"].map((mode) => ({ mode, level })));
  for (const { mode, level } of cases)
    it(`after ${mode} with ${level} MiB left: opens with every row, or refuses at once naming the folder and the room`, async (ctx: TestContext) => {
      const tmpfs = mountTmpfs("full-disk-restart", 40);
      if ("skip" in tmpfs) return ctx.skip(tmpfs.skip);
      try {
        const dir = path.join(tmpfs.dir, "store");
        fs.mkdirSync(dir);
        // The reserve a running server keeps in its folder (lib/db/client.ts makes it while there is room).
        expect(new ReserveFile(dir, MiB).ensure(0)).toBe(true);
        const script = path.join(tempDir("full-disk-writer"), "writer.cjs");
        fs.writeFileSync(script, WRITER);
        const options = JSON.stringify({ ...walOptions(dir), extensions: undefined });
        try {
          execFileSync(process.execPath, [script, dir, tmpfs.dir, String(level * MiB), mode, options], {
            stdio: "pipe",
            timeout: 120_000,
          });
        } catch (error) {
          if (mode !== "kill") throw error; // killed by its own hand: exits by SIGKILL
        }
        const rows = Number(fs.readFileSync(path.join(tmpfs.dir, "rows"), "utf8"));
        expect(rows).toBeGreaterThan(0);
        // Writes were refused (the writer stopped); another program takes the rest, to the last byte.
        const brim = path.join(tmpfs.dir, "brim");
        fillToTheBrim(brim);
        expect(freeBytes(tmpfs.dir)).toBeLessThan(64 * 1024);

        const t = Date.now();
        let opened: number | null = null;
        try {
          opened = await count(dir);
        } catch (error) {
          const message = (error as Error).message;
          expect(message, "never PGlite's own words").not.toMatch(/failed to initialize/i);
          expect(message).toContain(dir);
          expect(message).toMatch(/needs about [\d.]+ MiB/);
          expect(Date.now() - t, "refused at once").toBeLessThan(30_000);
        }
        console.log(
          `[full-disk-restart] ${mode} at ${level} MiB: ${opened === null ? "refused with the room it needs" : `opened with ${opened} rows`} ` +
            `(${rows} committed) in ${Date.now() - t} ms; reserve file ${fs.existsSync(path.join(dir, RESERVE_FILE)) ? "kept" : "released"}`,
        );
        if (opened !== null) expect(opened).toBe(rows);

        // Space freed: everything committed is there.
        fs.rmSync(brim);
        expect(await count(dir)).toBe(rows);
      } finally {
        tmpfs.unmount();
      }
    }, 180_000);
});
