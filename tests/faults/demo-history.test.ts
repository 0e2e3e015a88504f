/**
 * kill -9 while the demo history is written: the next start completes the week (lib/engine/history.ts
 * keeps where it stands after each entry) instead of leaving it cut off for good, and writes nothing
 * twice. On the embedded store and on a PostgreSQL server.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { call, startServer, stop, storeEnv, tempDir, until, type Server } from "./server";

const started: Server[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await stop(s, "SIGKILL", 5000);
  for (const c of cleanups.splice(0)) await c();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Execution {
  id: string;
  created: string;
  status: string;
  stepCount: number;
  stepsCompleted: number;
}

async function executionsOf(s: Server, scheduleName: string, before: number): Promise<Execution[]> {
  const schedule = (await call(s, "GET", "/schedules")).body.items.find(
    (x: { name: string }) => x.name === scheduleName,
  );
  const list = await allPages<Execution>(s, `/schedule-executions?scheduleId=${schedule.id}&order=asc`);
  return list.filter((e) => Date.parse(e.created) < before);
}

/** Every page of a list (keyset paging, 100 rows a page). */
async function allPages<T>(s: Server, listPath: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = listPath.includes("?") ? "&" : "?";
    const page: string = `${listPath}${sep}pageSize=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const r = await call<{ items: T[]; nextCursor: string | null }>(s, "GET", page);
    expect(r.status, r.text).toBe(200);
    out.push(...r.body.items);
    cursor = r.body.nextCursor ?? null;
  } while (cursor);
  return out;
}

const gapsOf = (list: Execution[]) => list.slice(1).map((e, i) => Date.parse(e.created) - Date.parse(list[i].created));

describe.each([
  ["the embedded store", "pglite"],
  ["a PostgreSQL server", "postgres"],
])("a demo history cut by kill -9 on %s", (_name, store) => {
  it("is completed by the next start: the whole week, every schedule execution once, each with all its steps", async () => {
    const env: Record<string, string> = {
      SYNCWATCH_DEMO_HISTORY: "on",
      SYNCWATCH_ENGINE_AUTORUN: "off",
      // More objects than the demo's default, so the week takes long enough to be cut half-way on
      // a quiet machine too (at 1,500 it was written whole before the kill could land).
      SYNCWATCH_SCALE: "4000",
      ...(await storeEnv(store === "pglite" ? "embedded" : "postgres", "history", cleanups)),
    };
    const logFile = path.join(tempDir("history-log"), "server.log");
    const t0 = Date.now();
    const first = await startServer(env, { logFile });
    started.push(first);
    // Killed in the middle of the back-fill: once a good part of it is there, before its end.
    await until(
      "part of the demo history",
      async () => {
        const list = await call(first, "GET", "/activities?topLevelOnly=false&pageSize=1&count=exact");
        return list.body.totalCount >= 60;
      },
      240_000,
      100,
    );
    const ops = await call(first, "GET", "/operations");
    expect(ops.body.engine.writingHistory, "still writing the history when killed").toBe(true);
    expect(await stop(first, "SIGKILL")).toBe("SIGKILL");
    const killedAt = Date.now();
    expect(fs.readFileSync(logFile, "utf8")).not.toMatch(/demo history:/);

    const second = await startServer(env, { logFile });
    started.push(second);
    const line = await until(
      "the resumed demo history",
      async () => fs.readFileSync(logFile, "utf8").match(/demo history: .*resumed at entry (\d+) of (\d+)/),
      300_000,
      500,
    );
    expect(Number(line[1])).toBeGreaterThan(1);
    expect(Number(line[1])).toBeLessThanOrEqual(Number(line[2]));
    // The runs the kill cut off stay in progress, and out of the lists, until the sweep ends them.
    // On the embedded store that is at the start (no other process can hold them); on a server, once
    // the killed instance's lease lapses (30 s after its last heartbeat) at the next sweep (every
    // 10 s). A resumed week written faster than that was read with the cut-off execution missing (a
    // hole of 8 h in the delta cycle). Wait for the sweep to say it ended them, or, when the kill
    // cut none (between two entries), for that time to pass.
    await until(
      "the sweep of the runs the kill cut off",
      async () =>
        /ended \d+ activities that no live process held/.test(fs.readFileSync(logFile, "utf8")) ||
        Date.now() > killedAt + 90_000,
      120_000,
      500,
    );

    // The week: it ends 10 minutes before the first start and is 7 days long.
    const end = { min: t0 - 10 * 60_000 - 5000, max: killedAt };
    const start = { min: end.min - 7 * DAY, max: end.max - 7 * DAY };
    // The delta cycle every 4 hours (± 10 minutes) from 20 minutes after the week began to an
    // hour before its end: no hole where the kill was, nothing twice.
    const delta = await executionsOf(second, "Delta sync cycle", end.max);
    expect(delta.length).toBeGreaterThanOrEqual(40);
    for (const gap of gapsOf(delta)) {
      expect(gap).toBeGreaterThan(3.5 * HOUR);
      expect(gap).toBeLessThan(4.5 * HOUR);
    }
    expect(Date.parse(delta[0].created)).toBeGreaterThanOrEqual(start.min + 20 * 60_000);
    expect(Date.parse(delta[0].created)).toBeLessThan(start.max + 40 * 60_000);
    expect(Date.parse(delta.at(-1)!.created)).toBeGreaterThan(end.min - HOUR - 4.5 * HOUR);
    // The nightly one each night at 02:00.
    const nightly = await executionsOf(second, "Nightly full sync", end.max);
    expect(nightly.length).toBeGreaterThanOrEqual(6);
    for (const gap of gapsOf(nightly)) expect(Math.abs(gap - DAY)).toBeLessThan(HOUR);

    // Every execution has all its steps, except the one the kill cut off (its steps that did not
    // run ended Cancelled with it).
    const cutOff = [];
    for (const e of [...delta, ...nightly]) {
      const full = (await call(second, "GET", `/schedule-executions/${e.id}`)).body;
      const missing = full.steps.filter((x: { activityId: string | null }) => x.activityId === null);
      if (missing.length) cutOff.push({ id: e.id, status: full.status, missing });
      expect(full.stepsCompleted).toBe(full.stepCount);
    }
    // The history cancels two executions on purpose ("Cancelled by an administrator"); the kill
    // interrupted at most one other (the sweep ended it FailedWithError, or summarised its steps).
    const interrupted = cutOff.filter((e) => e.status !== "Cancelled");
    expect(interrupted.length, JSON.stringify(interrupted.map((e) => e.id))).toBeLessThanOrEqual(1);
    expect(cutOff.length - interrupted.length).toBeLessThanOrEqual(2);
    for (const e of cutOff)
      for (const step of e.missing) expect(step).toMatchObject({ status: "Cancelled", started: null });

    // Nothing twice: no two top-level activities of the week with the same name at the same moment.
    const week = `/activities?to=${encodeURIComponent(new Date(end.max).toISOString())}`;
    const all = await allPages<{ name: string; created: string; status: string }>(second, week);
    const keys = all.map((a) => `${a.name} @ ${a.created}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(all.every((a) => a.status !== "InProgress")).toBe(true);

    // A third start finds it complete and writes none of it again.
    await stop(second, "SIGTERM");
    const third = await startServer(env, { logFile });
    started.push(third);
    await until("the engine of the third start", async () =>
      fs.readFileSync(logFile, "utf8").split("run engine started").length > 3 ? true : null,
    );
    expect(await allPages(third, week)).toHaveLength(all.length);
    expect(fs.readFileSync(logFile, "utf8").match(/demo history:/g)).toHaveLength(1);
  });
});
