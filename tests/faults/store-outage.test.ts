/**
 * A PostgreSQL outage with runs in flight (issue 18.2), on a cluster of the test's own (the main
 * one is never stopped). Two instances, a full import of every system, a schedule and a run
 * queued behind them; the server stops for 20 s. During the outage every answer is a 503 with
 * Retry-After (never a 500), /health says the store is down, liveness answers. Afterwards nothing
 * is stuck: the paused runs resume and end, and the queued run starts.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCluster, waitReady, type Cluster } from "./cluster";
import { call, startServer, stop, until, type Server } from "./server";

const OUTAGE_MS = 20_000;
let cluster: Cluster;
const servers: Server[] = [];

beforeAll(async () => {
  cluster = await createCluster({ name: "faults", port: 5499 });
}, 180_000);
afterAll(async () => {
  for (const s of servers.splice(0)) await stop(s, "SIGKILL", 5000);
  cluster?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a 20 s PostgreSQL outage with runs in flight", () => {
  it("answers 503 meanwhile, then nothing is stuck and the queue moves", async () => {
    const url = await cluster.createDatabase("syncwatch_outage");
    const env = { DATABASE_URL: url, SYNCWATCH_SPEED: "1" };
    const a = await startServer(env);
    servers.push(a);
    const b = await startServer(env);
    servers.push(b);

    const systems = (await call(a, "GET", "/connected-systems")).body.items as {
      id: number;
      name: string;
      runProfiles: { id: number; runType: string }[];
    }[];
    const imports: string[] = [];
    for (const [i, cs] of systems.entries()) {
      const full = cs.runProfiles.find((r) => r.runType === "FullImport")!;
      const r = await call(i % 2 ? b : a, "POST", `/connected-systems/${cs.id}/run-profiles/${full.id}/execute`);
      expect(r.status, r.text).toBe(202);
      imports.push(r.body.activityId);
    }
    const schedules = (await call(a, "GET", "/schedules")).body.items as { id: number; name: string }[];
    const delta = schedules.find((s) => s.name === "Delta sync cycle")!;
    const schedule = (await call(b, "POST", `/schedules/${delta.id}/execute`)).body.activityId as string;
    const hr = systems[0];
    const hrDelta = hr.runProfiles.find((r) => r.runType === "DeltaImport")!;
    const behind = (await call(a, "POST", `/connected-systems/${hr.id}/run-profiles/${hrDelta.id}/execute`)).body;
    expect(behind.queued, "the run waits behind the full import of its system").toBe(true);
    await until(
      "the imports to be processing objects",
      async () => {
        const runs = await Promise.all(imports.map((id) => call(a, "GET", `/activities/${id}`)));
        return runs.every((r) => r.body.started && r.body.totalObjectsProcessed > 0);
      },
      90_000,
      500,
    );

    // The outage: every answer meanwhile is recorded.
    cluster.stop("fast");
    const stoppedAt = Date.now();
    const answers: { what: string; status: number; retryAfter: string | null; body: string }[] = [];
    const probe = async (s: Server, what: string, method: string, path: string, body?: unknown) => {
      const r = await call(s, method, path, body).catch((e: Error) => ({
        status: 0,
        headers: new Headers(),
        text: e.message,
      }));
      answers.push({ what, status: r.status, retryAfter: r.headers.get("retry-after"), body: r.text.slice(0, 300) });
      return r;
    };
    let health: { body: { code?: string; message?: string } } | null = null;
    while (Date.now() - stoppedAt < OUTAGE_MS) {
      for (const s of [a, b]) {
        await probe(s, "list", "GET", "/activities?pageSize=5");
        await probe(s, "create", "POST", "/activities", { name: "during the outage", targetType: "DataGeneration" });
        const h = await probe(s, "health", "GET", "/health");
        if (h.status === 503) health = { body: JSON.parse(h.text) };
        const live = await probe(s, "live", "GET", "/health/live");
        expect(live.status, "liveness answers during the outage").toBe(200);
      }
      await sleep(500);
    }
    cluster.start();
    await waitReady(cluster);
    const backAt = Date.now();

    const failed = answers.filter(
      (x) => x.what !== "live" && (x.status === 0 || (x.status >= 500 && x.status !== 503)),
    );
    expect(failed, "no 500s (or dropped connections) during the outage").toEqual([]);
    const refused = answers.filter((x) => x.status === 503);
    expect(refused.length, "requests during the outage are refused with 503").toBeGreaterThan(4);
    expect(
      refused.every((x) => Number(x.retryAfter) > 0),
      "every 503 says Retry-After",
    ).toBe(true);
    expect(health?.body).toMatchObject({ code: "SERVICE_UNAVAILABLE", details: { store: "unavailable" } });
    expect(health?.body.message).toMatch(/store is down/);

    // Afterwards: nothing stuck, the queue moves.
    await until("both instances to be healthy again", async () => {
      const [ha, hb] = await Promise.all([call(a, "GET", "/health"), call(b, "GET", "/health")]);
      return ha.status === 200 && hb.status === 200;
    });
    const started = await until(
      "the run queued behind them to start",
      async () => (await call(a, "GET", `/activities/${behind.activityId}`)).body.started,
      60_000,
      500,
    );
    const afterMs = Date.parse(started) - backAt;
    expect(afterMs, "the queue moved within 60 s of the store coming back").toBeLessThan(60_000);
    await sleep(Math.max(0, backAt + 60_000 - Date.now()));
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const stuck = await db.query(
      `SELECT name, "ownerInstanceId" FROM "Activity" WHERE status = 'InProgress' AND "startedAt" IS NOT NULL
         AND GREATEST("updatedAt", "heartbeatAt") < now() - interval '20 seconds'`,
    );
    await db.end();
    expect(stuck.rows, "60 s after the outage no started run is without progress").toEqual([]);
    const ended = await until(
      "every import and the schedule to end",
      async () => {
        const runs = await Promise.all([...imports, schedule].map((id) => call(b, "GET", `/activities/${id}`)));
        return runs.every((r) => r.status === 200 && r.body.status !== "InProgress") ? runs.map((r) => r.body) : null;
      },
      120_000,
      1000,
    );
    console.log(
      `[outage] ${refused.length} answers 503 during ${OUTAGE_MS / 1000} s; runs ended: ${ended
        .map((r) => `${r.name} ${r.status}${r.errorMessage ? ` (${r.errorMessage.slice(0, 60)})` : ""}`)
        .join("; ")}; the queued run started ${Math.round(afterMs / 1000)} s after the store came back`,
    );
    // The runs were paused, not abandoned: they resumed and ended as runs end.
    const interrupted = ended.filter((r) => /^Interrupted/.test(r.errorMessage ?? ""));
    expect(interrupted.map((r) => r.name)).toEqual([]);
  }, 420_000);
});
