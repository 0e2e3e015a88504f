/**
 * A frozen scheduler is replaced (issue 18.7). Two instances on one PostgreSQL database; the one
 * holding the scheduler lease is stopped with SIGSTOP. Within 30 s the other leads: it starts the
 * runs queued meanwhile and fires the schedules. When the frozen one is woken (SIGCONT) it steps
 * down before acting: exactly one leader, it starts nothing with its stale fencing token, no
 * schedule fires twice (a firing is claimed against the stored next run and the token), and no
 * lane ever runs two runs at once.
 */
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { call, freshDatabase, startServer, stop, until, type Server } from "./server";

const servers: Server[] = [];
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const s of servers.splice(0)) {
    if (s.process.exitCode === null) process.kill(s.pid, "SIGCONT");
    await stop(s, "SIGKILL", 5000);
  }
  for (const d of drops.splice(0)) await d();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a scheduler frozen with SIGSTOP", () => {
  it("is replaced within 30 s; woken, it steps down before acting: one leader, no double runs", async () => {
    const database = await freshDatabase();
    drops.push(() => database.drop());
    // Schedules fire on their own: the delta cycle every 2.5 min, first 4 s after an instance leads.
    const env = { DATABASE_URL: database.url, SYNCWATCH_ENGINE_AUTORUN: "on", SYNCWATCH_SPEED: "10" };
    const a = await startServer(env);
    servers.push(a);
    const b = await startServer(env);
    servers.push(b);
    const health = (s: Server) => call(s, "GET", "/health");
    const leader = await until("one instance to lead", async () => {
      const [ha, hb] = await Promise.all([health(a), health(b)]);
      return ha.body?.scheduler ? a : hb.body?.scheduler ? b : null;
    });
    const other = leader === a ? b : a;
    const frozenId = (await health(leader)).body.instanceId as string;

    process.kill(leader.pid, "SIGSTOP");
    const frozenAt = Date.now();
    try {
      // Queued while the scheduler is frozen: it must start anyway, on the other instance. (The
      // schedules keep their stored times: the new leader fires each when it falls due, not again now.)
      const systems = (await call(other, "GET", "/connected-systems")).body.items;
      const hr = systems.find((c: { name: string }) => c.name === "Workday HR");
      const delta = hr.runProfiles.find((r: { runType: string }) => r.runType === "DeltaImport");
      const queued = await call(other, "POST", `/connected-systems/${hr.id}/run-profiles/${delta.id}/execute`);
      expect(queued.status, queued.text).toBe(202);
      await until("the other instance to lead", async () => (await health(other)).body?.scheduler, 30_000, 250);
      const started = await until(
        "the queued run to start",
        async () => (await call(other, "GET", `/activities/${queued.body.activityId}`)).body.started,
        30_000,
        250,
      );
      const takeoverMs = Date.parse(started) - frozenAt;
      console.log(`[leader] the queued run started ${(takeoverMs / 1000).toFixed(1)} s after the scheduler froze`);
      expect(takeoverMs).toBeLessThan(30_000);
      // Long enough frozen that the other instance has swept the frozen one's runs (its heartbeat stopped).
      await sleep(Math.max(0, frozenAt + 40_000 - Date.now()));
    } finally {
      process.kill(leader.pid, "SIGCONT");
    }
    const wokenAt = Date.now();

    // Exactly one leader from now on, and it is the instance that took over.
    for (let i = 0; i < 20; i++) {
      const [hl, ho] = await Promise.all([health(leader), health(other)]);
      expect([hl.body?.scheduler, ho.body?.scheduler], "exactly one leader after SIGCONT").toEqual([false, true]);
      await sleep(500);
    }
    await sleep(5000);
    expect(leader.log()).toMatch(/no longer holds the scheduler lease/);

    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      // Nothing started by the woken instance with its stale token.
      const byWoken = await db.query(
        `SELECT name FROM "Activity" WHERE "ownerInstanceId" = $1 AND "startedAt" > $2::timestamptz`,
        [frozenId, new Date(frozenAt).toISOString()],
      );
      expect(byWoken.rows, "runs the woken instance started").toEqual([]);
      // No lane ever ran two runs at once.
      const overlaps = await db.query(
        `SELECT a.name, b.name AS other FROM "Activity" a JOIN "Activity" b
           ON a."queueKey" = b."queueKey" AND a.id < b.id AND a."startedAt" IS NOT NULL AND b."startedAt" IS NOT NULL
          AND tstzrange(a."startedAt", COALESCE(a."endedAt", now())) && tstzrange(b."startedAt", COALESCE(b."endedAt", now()))`,
      );
      expect(overlaps.rows, "runs of one lane that overlapped").toEqual([]);
      // Each schedule fired at most once per firing: no two executions of one schedule created close together.
      const doubles = await db.query(
        `SELECT a."scheduleName" FROM "Activity" a JOIN "Activity" b ON a."scheduleId" = b."scheduleId"
           AND a."targetType" = 'Schedule' AND b."targetType" = 'Schedule' AND a.id < b.id
           AND abs(EXTRACT(EPOCH FROM a."createdAt" - b."createdAt")) < 20`,
      );
      expect(doubles.rows, "schedules fired twice").toEqual([]);
    } finally {
      await db.end();
    }
    console.log(`[leader] checked ${((Date.now() - wokenAt) / 1000).toFixed(0)} s after SIGCONT`);
  }, 300_000);
});
