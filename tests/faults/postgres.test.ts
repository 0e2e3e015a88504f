/**
 * A PostgreSQL store under faults: backends terminated under load, and two instances on one
 * database (one scheduler, triggers run once, revocations reach the other instance at once,
 * the other instance takes over when the scheduler dies).
 */
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { openPgPool } from "@/lib/db/drivers";
import { ADMIN_KEY, PG_ADMIN_URL, call, freshDatabase, startServer, stop, until, type Server } from "./server";

const started: Server[] = [];
const databases: { drop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await stop(s, "SIGKILL", 5000);
  for (const d of databases.splice(0)) await d.drop();
});

async function database() {
  const d = await freshDatabase();
  databases.push(d);
  return d;
}
async function server(env: Record<string, string>) {
  const s = await startServer(env);
  started.push(s);
  return s;
}

async function terminateBackends(db: string): Promise<number> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  const r = await admin.query(
    "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
    [db],
  );
  await admin.end();
  return r.rows[0].n;
}

describe("the store's connection pool", () => {
  it("hands out connections with JIT off, without queueing a query on a client still setting it", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    const pool = openPgPool(PG_ADMIN_URL, 4);
    try {
      const settings = await Promise.all(
        Array.from({ length: 8 }, () => pool.query<{ jit: string }>("SHOW jit").then((r) => r.rows[0].jit)),
      );
      expect(settings).toEqual(Array(8).fill("off"));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((m) => m.includes("already executing a query"))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
      await pool.end();
    }
  });
});

describe("terminated database connections", () => {
  it("writes keep succeeding while backends are terminated under load: 0 failed writes, nothing lost", async () => {
    const db = await database();
    const s = await server({ DATABASE_URL: db.url, SYNCWATCH_ENGINE: "off" });
    const hr = (await call(s, "GET", "/connected-systems")).body;
    expect(hr.items).toEqual([]); // engine off: no demo configuration; record plain activities
    const a = await call(s, "POST", "/activities", {
      name: "under load",
      targetType: "DataGeneration",
      objectsToProcess: 1_000_000,
    });
    const failures: string[] = [];
    let writes = 0;
    let stopAt = Date.now() + 12_000;
    const writer = async (w: number) => {
      for (let i = 0; Date.now() < stopAt; i++) {
        const r =
          i % 3 === 0
            ? await call(s, "POST", "/activities", { name: `w${w}-${i}`, targetType: "DataGeneration" })
            : await call(s, "POST", `/activities/${a.body.id}/progress`, { objectsProcessed: w * 100_000 + i });
        writes++;
        if (r.status >= 300) failures.push(`${r.status} ${r.text.slice(0, 200)}`);
      }
    };
    const killer = (async () => {
      let killed = 0;
      for (let k = 0; k < 4; k++) {
        await new Promise((r) => setTimeout(r, 2500));
        killed += await terminateBackends(db.name);
      }
      return killed;
    })();
    await Promise.all([0, 1, 2, 3].map(writer));
    const killed = await killer;
    stopAt = 0;
    expect(killed, "backends were terminated").toBeGreaterThan(0);
    expect(writes).toBeGreaterThan(50);
    expect(failures).toEqual([]);
    expect((await call(s, "GET", "/health")).status).toBe(200);
    const list = await call(s, "GET", "/activities?search=w&pageSize=1&count=exact");
    expect(list.body.totalCount).toBeGreaterThan(10);
  }, 120_000);
});

describe("two instances on one database", () => {
  it("one scheduler; a trigger on either runs once; revocation reaches the other at once; the other takes over", async () => {
    const db = await database();
    const env = { DATABASE_URL: db.url, SYNCWATCH_SPEED: "5" };
    const a = await server(env);
    const b = await server(env);
    const health = async () => [(await call(a, "GET", "/health")).body, (await call(b, "GET", "/health")).body];
    const [ha, hb] = await health();
    expect([ha.scheduler, hb.scheduler].filter(Boolean)).toHaveLength(1);
    const leader = ha.scheduler ? a : b;
    const follower = ha.scheduler ? b : a;

    // A trigger on either instance runs once, started by the scheduler.
    const schedules = (await call(follower, "GET", "/schedules")).body.items;
    const delta = schedules.find((s: { name: string }) => s.name === "Delta sync cycle");
    const [t1, t2] = await Promise.all([
      call(a, "POST", `/schedules/${delta.id}/execute`),
      call(b, "POST", `/schedules/${delta.id}/execute`),
    ]);
    expect([t1.status, t2.status].sort()).toEqual([200, 202]);
    expect(t1.body.activityId).toBe(t2.body.activityId);
    const done = await until(
      "the execution to end",
      async () => {
        const e = (await call(follower, "GET", `/activities/${t1.body.activityId}`)).body;
        return e.status !== "InProgress" ? e : null;
      },
      120_000,
    );
    expect(done.childCount).toBe(delta.steps.length);
    const executions = (await call(a, "GET", `/schedule-executions?scheduleId=${delta.id}`)).body;
    expect(executions.totalCount).toBe(1);

    // Revoking a key (and its sessions) on one instance takes effect on the other within a second.
    const key = await call(leader, "POST", "/api-keys", { name: "soon revoked", role: "Administrator" });
    const signIn = await fetch(`${follower.base}/api/v1/auth/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ apiKey: key.body.secret }),
    });
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0];
    const viaKey = () =>
      fetch(`${follower.base}/api/v1/activities?pageSize=1`, { headers: { "X-Api-Key": key.body.secret } });
    const viaCookie = () => fetch(`${follower.base}/api/v1/activities?pageSize=1`, { headers: { Cookie: cookie } });
    expect((await viaKey()).status).toBe(200); // cached on the follower now
    expect((await viaCookie()).status).toBe(200);
    const revokedAt = Date.now();
    expect((await call(leader, "DELETE", `/api-keys/${key.body.id}`)).status).toBe(200);
    await until("the follower to refuse the key", async () => (await viaKey()).status === 401, 1000, 20);
    await until("the follower to refuse the session", async () => (await viaCookie()).status === 401, 1000, 20);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    const make = await fetch(`${follower.base}/api/v1/api-keys`, {
      method: "POST",
      headers: { "X-Api-Key": key.body.secret, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "escalation", role: "Administrator" }),
    });
    expect(make.status).toBe(401);

    // The scheduler dies during a run: the other instance takes over and ends the orphaned run.
    const hr = (await call(follower, "GET", "/connected-systems")).body.items.find(
      (c: { name: string }) => c.name === "Workday HR",
    );
    const full = hr.runProfiles.find((r: { runType: string }) => r.runType === "FullImport");
    const slow = await call(follower, "POST", `/connected-systems/${hr.id}/run-profiles/${full.id}/execute`);
    await until(
      "the run to start on the scheduler",
      async () => (await call(follower, "GET", `/activities/${slow.body.activityId}`)).body.started,
      30_000,
    );
    await stop(leader, "SIGKILL");
    await until(
      "the follower to hold the scheduler lease",
      async () => (await call(follower, "GET", "/health")).body.scheduler,
      30_000,
      500,
    );
    const orphan = await until(
      "the orphaned run to end",
      async () => {
        const r = (await call(follower, "GET", `/activities/${slow.body.activityId}`)).body;
        return r.status !== "InProgress" ? r : null;
      },
      90_000,
      1000,
    );
    expect(orphan.status === "FailedWithError" ? orphan.errorMessage : orphan.status).toMatch(/Interrupted|Complete/);
    // And runs again on the new scheduler.
    const after = await call(follower, "POST", `/schedules/${delta.id}/execute`, undefined, { "X-Api-Key": ADMIN_KEY });
    expect(after.status).toBe(202);
    await until(
      "a run on the new scheduler",
      async () => (await call(follower, "GET", `/activities/${after.body.activityId}`)).body.started,
      30_000,
    );
  }, 300_000);
});
