/**
 * A full disk under PostgreSQL (issue 18.3): a cluster of the test's own with its data folder on
 * a 64 MiB tmpfs, the engine running the nightly schedule, and the API filled to the brim; twice:
 * - WAL on another disk (as many installations keep it): PostgreSQL refuses a data file it cannot
 *   extend (SQLSTATE 53100) and stays up: writes answer 507, /health says the store is full;
 * - WAL on the full disk too: PostgreSQL stops when it cannot write its WAL, so writes answer 503
 *   while it is gone and /health says the store is down.
 * Either way a refused write answers 507 or 503 with a JSON message, never 500 and never a hang,
 * and liveness answers at once. Once space is freed (and the database restarted if it stopped, as
 * an operator would), writes go through, the engine's runs move on or end, and every write the
 * API acknowledged is there after a restart of the database and of Syncwatch. The tmpfs needs
 * root: without it (or when mount is refused) the test is skipped and says why.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCluster, waitReady, type Cluster } from "./cluster";
import {
  MiB,
  PRIVATE,
  engineRuns,
  fill,
  fillToTheBrim,
  freeBytes,
  mountTmpfs,
  post,
  startNightly,
  summary,
  timed,
  type Acknowledged,
} from "./disk";
import { call, startServer, stop, tempDir, until, type Server } from "./server";

/** What refused writes answer and /health says. With WAL on the full disk, whichever of a data file
 * or a WAL segment meets the brim first decides: usually WAL (the server stops: 503). */
const LAYOUTS = [
  { name: "WAL on another disk", walElsewhere: true, refused: [507], store: ["full"] },
  { name: "WAL on the full disk", walElsewhere: false, refused: [503, 507], store: ["unavailable", "full"] },
];

let mnt = "";
let unmount = () => {};
let skipReason: string | null = null;
const clusters: Cluster[] = [];
const servers: Server[] = [];

beforeAll(() => {
  const tmpfs = mountTmpfs("pg-full-disk", 64);
  if ("skip" in tmpfs) skipReason = tmpfs.skip;
  else {
    ({ dir: mnt, unmount } = tmpfs);
    execFileSync("chown", ["postgres:postgres", mnt]);
  }
});

afterAll(async () => {
  for (const s of servers.splice(0)) await stop(s, "SIGKILL", 5000);
  for (const c of clusters.splice(0)) c.drop();
  unmount();
});

async function server(env: Record<string, string>) {
  const s = await startServer(env);
  servers.push(s);
  return s;
}

/** A cluster whose data folder is on the tmpfs, its WAL there too or on the normal disk. */
async function clusterOn(walElsewhere: boolean): Promise<Cluster> {
  for (const c of clusters.splice(0)) c.drop();
  const data = path.join(mnt, "data");
  fs.rmSync(data, { recursive: true, force: true });
  const wal = walElsewhere ? tempDir("pg-full-disk-wal") : null;
  if (wal) execFileSync("chown", ["postgres:postgres", wal]);
  const cluster = await createCluster({
    name: "fulldisk",
    port: 5498,
    dataDir: data,
    // 1 MiB WAL segments and a small WAL, so that on the full disk WAL is recycled, not grown.
    settings: { max_wal_size: "8MB", min_wal_size: "4MB", shared_buffers: "16MB" },
    initdb: ["--wal-segsize=1", ...(wal ? [`--waldir=${path.join(wal, "pg_wal")}`] : [])],
  });
  clusters.push(cluster);
  return cluster;
}

describe.each(LAYOUTS)("a full disk under PostgreSQL, $name", (layout) => {
  it(`writes answer ${layout.refused.join(" or ")} never 500, health says the store is ${layout.store.join(" or ")}, liveness answers; after space is freed writes resume, runs move on, nothing acknowledged is lost`, async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const db = await clusterOn(layout.walElsewhere);
    const acknowledged: Acknowledged = new Map();
    const env = {
      DATABASE_URL: await db.createDatabase("syncwatch_full"),
      SYNCWATCH_ENGINE: "on",
      SYNCWATCH_ENGINE_AUTORUN: "on",
      SYNCWATCH_SPEED: "1",
      SYNCWATCH_KEEP_ITEM_RUNS: "0",
    };
    const s = await server(env);
    console.log(`[pg-full-disk] database created: ${(freeBytes(mnt) / MiB).toFixed(1)} MiB free of 64`);

    const target = await startNightly(s);
    const inFlight = await until("the nightly's runs to be under way", async () => {
      const runs = await engineRuns(s);
      return runs.length ? runs : null;
    });

    // Ballast of the test's own, deleted to give the database room again.
    const ballast = path.join(mnt, "ballast");
    fs.writeFileSync(ballast, Buffer.alloc(4 * MiB, 1));
    const answers = await fill(s, 1, target, acknowledged);
    const brim = path.join(mnt, "brim");
    fillToTheBrim(brim);
    answers.push(
      await post(s, "create", "/activities", { name: `${PRIVATE} at the brim`, targetType: "DataGeneration" }),
    );

    const refused = answers.filter((a) => a.status < 200 || a.status >= 300);
    expect(refused.length, "writes were refused at last").toBeGreaterThan(0);
    expect(
      refused.filter((a) => a.status !== 507 && a.status !== 503),
      "a refused write answers 507 or 503 (never 500, never a dropped connection)",
    ).toEqual([]);
    for (const a of refused) expect(a.code).toMatch(/^(INSUFFICIENT_STORAGE|SERVICE_UNAVAILABLE)$/);
    expect(
      refused.filter((a) => !layout.refused.includes(a.status)),
      `with ${layout.name}, refused writes answer ${layout.refused.join(" or ")}`,
    ).toEqual([]);
    expect(acknowledged.size, "writes were acknowledged before the disk filled").toBeGreaterThan(0);

    const health = await call(s, "GET", "/health");
    expect(health.status, health.text).toBe(503);
    expect(layout.store).toContain(health.body.details?.store);
    for (let i = 0; i < 5; i++) {
      const live = await timed(() => call(s, "GET", "/health/live"));
      expect(live.value.status).toBe(200);
      expect(live.ms, "liveness answers within 1 s on a full disk").toBeLessThan(1000);
    }
    console.log(
      `[pg-full-disk] ${layout.name}, full: ${summary(refused)}; health 503 (${health.body.details?.store}) ` +
        `"${health.body.message}"; database ${db.isReady() ? "up" : "stopped"}; ${inFlight.length} engine runs were in flight`,
    );

    // Room again. A server that stopped on a WAL write it could not make restarts itself, or is
    // restarted as an operator would once the disk has room.
    fs.rmSync(brim);
    fs.rmSync(ballast);
    const freedAt = Date.now();
    if (!db.isReady()) {
      await until("the database to restart by itself", async () => db.isReady(), 15_000, 500).catch(() => {
        console.log("[pg-full-disk] the database stayed down after space was freed: starting it");
        db.start();
      });
      await waitReady(db);
    }
    await until(
      "writes to be taken again",
      async () =>
        (await post(s, "create", "/activities", { name: `${PRIVATE} room again`, targetType: "DataGeneration" }))
          .status === 201,
      60_000,
      500,
    );
    await until("health to be ok again", async () => (await call(s, "GET", "/health")).status === 200, 60_000, 500);
    await until(
      "every run that was in flight when the disk filled to move on or end",
      async () => {
        const now = await Promise.all(inFlight.map((r) => call(s, "GET", `/activities/${r.id}`)));
        return now.every(
          (r, i) =>
            r.status === 200 &&
            (r.body.status !== "InProgress" || r.body.progress.objectsProcessed > inFlight[i].processed),
        );
      },
      90_000,
      1000,
    );
    console.log(
      `[pg-full-disk] ${layout.name}: writes taken, health ok and ${inFlight.length} runs moved on or ended ` +
        `${Math.round((Date.now() - freedAt) / 1000)} s after space was freed`,
    );
    expect(await stop(s, "SIGTERM", 30_000)).not.toBe("timeout");
    expect(s.log()).not.toContain(PRIVATE);

    // A restart of the database and of Syncwatch: everything acknowledged is there.
    db.stop("fast");
    db.start();
    await waitReady(db);
    const again = await server({ ...env, SYNCWATCH_ENGINE_AUTORUN: "off" });
    let items = 0;
    for (const [id, n] of acknowledged) {
      expect((await call(again, "GET", `/activities/${id}`)).status, `acknowledged activity ${id}`).toBe(200);
      const list = await call(again, "GET", `/activities/${id}/items?pageSize=1&count=exact`);
      expect(list.body.totalCount, `items acknowledged for ${id} (a refused batch stores nothing)`).toBe(n);
      items += n;
    }
    console.log(
      `[pg-full-disk] ${layout.name}, after a restart: ${acknowledged.size} activities and ${items} items all present`,
    );
    expect(await stop(again)).not.toBe("timeout");
    expect(again.log()).not.toContain(PRIVATE);
  }, 600_000);
});
