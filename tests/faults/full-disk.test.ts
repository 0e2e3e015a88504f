/**
 * A full disk under the embedded store (issue 18.3): the data folder on a 48 MiB tmpfs, the engine
 * running the nightly schedule and its own schedules, and the API filled to the brim with
 * activities and item batches until writes are refused, several times over (filler files of the
 * test's own, deleted one by one, free space for the next round). Refused writes answer 507 (or
 * 503) with a JSON message, never 500; /health says the store is full and why while liveness
 * answers at once; the engine pauses and resumes when space comes back; SIGTERM ends the process;
 * a restart on the disk still full serves reads and completes its start-up once space is freed;
 * and every write the API acknowledged is there after a restart on a copy of the folder on a
 * normal disk. The tmpfs needs root: without it (or when mount is refused) the test is skipped
 * and says why.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  timed,
  type Acknowledged,
  type Answer,
} from "./disk";
import { call, startServer, stop, tempDir, until, type Server } from "./server";

const ROUNDS = 3;

let mnt = "";
let unmount = () => {};
let skipReason: string | null = null;
const servers: Server[] = [];
/** What the API acknowledged (2xx): activity ids and the items stored in each. */
const acknowledged: Acknowledged = new Map();

beforeAll(() => {
  // 48 MiB: a new store takes ~30 MiB and its reserve file 4 MiB, and each round needs more than the
  // guard's 6 MiB reserve to fill (on 40 MiB the first round began below the reserve and never took
  // a write again).
  const tmpfs = mountTmpfs("full-disk", 48);
  if ("skip" in tmpfs) skipReason = tmpfs.skip;
  else ({ dir: mnt, unmount } = tmpfs);
});

afterAll(async () => {
  for (const s of servers.splice(0)) await stop(s, "SIGKILL", 5000);
  unmount();
});

async function server(env: Record<string, string>) {
  const s = await startServer(env);
  servers.push(s);
  return s;
}

function logTail(s: Server): string {
  return s
    .log()
    .split("\n")
    .filter((l) => l.includes("[syncwatch]"))
    .slice(-30)
    .join("\n");
}

describe("a full disk under the embedded store", () => {
  it(`fills ${ROUNDS} times: 507 never 500, health says full, the engine pauses and resumes, SIGTERM ends it, nothing acknowledged is lost`, async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const dir = path.join(mnt, "store");
    const env = {
      SYNCWATCH_DATA_DIR: dir,
      SYNCWATCH_ENGINE: "on",
      SYNCWATCH_ENGINE_AUTORUN: "on",
      SYNCWATCH_SPEED: "1",
      SYNCWATCH_KEEP_ITEM_RUNS: "0",
    };
    const s = await server(env);
    ctx.onTestFailed(() => console.log(`[full-disk] server log:\n${logTail(s)}`));
    const started = freeBytes(mnt);
    console.log(
      `[full-disk] store created: ${(fs.statfsSync(mnt).blocks * fs.statfsSync(mnt).bsize) / MiB} MiB disk, ` +
        `${(started / MiB).toFixed(1)} MiB free`,
    );

    // Runs in flight: the nightly schedule imports every system side by side.
    const target = await startNightly(s);

    // Ballast of the test's own: deleting one file gives the store room for the next round.
    // One more for the restart on the full disk at the end.
    // Leaves the first round 8 MiB, above the guard's 6 MiB reserve.
    const ballastSize = Math.min(2 * MiB, Math.max(MiB / 2, Math.floor((started - 8 * MiB) / (ROUNDS + 1))));
    const ballast = Array.from({ length: ROUNDS + 1 }, (_, i) => {
      const f = path.join(mnt, `ballast-${i}`);
      fs.writeFileSync(f, randomBytes(ballastSize));
      return f;
    });
    const brim = path.join(mnt, "brim");
    expect(
      freeBytes(mnt),
      "room for the first round beside the ballast (more than the guard's 6 MiB reserve)",
    ).toBeGreaterThan(7 * MiB);

    const everything: Answer[] = [];
    for (let round = 1; round <= ROUNDS + 1; round++) {
      const answers = await fill(s, round, target, acknowledged);
      // And the last bytes of the disk too, as another program on the same disk would take them.
      const brimBytes = fillToTheBrim(brim);
      answers.push(
        await post(s, "create", "/activities", { name: `${PRIVATE} at the brim`, targetType: "DataGeneration" }),
      );
      everything.push(...answers);
      const refused = answers.filter((a) => a.status < 200 || a.status >= 300);
      expect(refused.length, `round ${round}: writes were refused at last`).toBeGreaterThan(0);
      expect(
        refused.filter((a) => a.status !== 507 && a.status !== 503),
        `round ${round}: a refused write answers 507 or 503 (never 500, never a dropped connection)`,
      ).toEqual([]);
      for (const a of refused) {
        expect(a.code).toMatch(/^(INSUFFICIENT_STORAGE|SERVICE_UNAVAILABLE)$/);
        expect(a.message).toMatch(/full|space|room/i);
      }

      // Full: /health says so and why; liveness answers at once; reads go on.
      const health = await call(s, "GET", "/health");
      expect(health.status, health.text).toBe(503);
      expect(health.body).toMatchObject({ code: "SERVICE_UNAVAILABLE", details: { store: "full" } });
      expect(health.body.message).toMatch(/full/i);
      expect(health.body.details.reason).toMatch(/MiB free/);
      for (let i = 0; i < 5; i++) {
        const live = await timed(() => call(s, "GET", "/health/live"));
        expect(live.value.status).toBe(200);
        expect(live.ms, "liveness answers within 1 s on a full disk").toBeLessThan(1000);
      }
      const inFlight = await engineRuns(s);
      const reads = await call(s, "GET", "/activities?pageSize=50&sort=name");
      expect(reads.status, "reads go on while the disk is full").toBe(200);
      console.log(
        `[full-disk] round ${round}: brim ${(brimBytes / MiB).toFixed(1)} MiB; health 503 "${health.body.message}"; ` +
          `${inFlight.length} engine runs in flight`,
      );
      if (round > ROUNDS) break;

      // Room again: writes go through, health is ok, and the paused runs move or end.
      fs.rmSync(brim);
      fs.rmSync(ballast[round - 1]);
      const freedAt = Date.now();
      await until(
        "the store to take writes again",
        async () =>
          (
            await post(s, "create", "/activities", {
              name: `${PRIVATE} after round ${round}`,
              targetType: "DataGeneration",
            })
          ).status === 201,
        30_000,
        250,
      );
      const moved = await until(
        "every run that was in flight while full to move on or end",
        async () => {
          const now = await Promise.all(inFlight.map((r) => call(s, "GET", `/activities/${r.id}`)));
          const stuck = now.filter(
            (r, i) => r.body.status === "InProgress" && r.body.progress.objectsProcessed <= inFlight[i].processed,
          );
          return stuck.length === 0 ? now : null;
        },
        60_000,
        1000,
      );
      console.log(
        `[full-disk] round ${round}: writes taken again and all ${inFlight.length} runs moved or ended ` +
          `${Math.round((Date.now() - freedAt) / 1000)} s after space was freed (${moved.map((r) => r.body.status).join(", ")})`,
      );
    }
    expect(everything.filter((a) => a.status >= 500 && a.status !== 503 && a.status !== 507)).toEqual([]);

    // SIGTERM with the disk full to the last byte: the process ends within the timeout.
    const t = Date.now();
    const code = await stop(s, "SIGTERM", 30_000);
    expect(code, "SIGTERM ends the process on a full disk").not.toBe("timeout");
    console.log(`[full-disk] SIGTERM on a full disk: exited ${code} after ${Date.now() - t} ms`);
    expect(s.log()).not.toContain(PRIVATE);

    // A restart on the disk still full: it comes up serving reads, says why it refuses writes,
    // and completes its start-up (the engine's included) once space is freed.
    const full = await startServer(env, { wait: false });
    servers.push(full);
    ctx.onTestFailed(() => console.log(`[full-disk] server log (restart on the full disk):\n${logTail(full)}`));
    await until(
      "the restarted server to answer on the full disk",
      async () => {
        if (full.process.exitCode !== null) throw new Error(`exited ${full.process.exitCode}:\n${logTail(full)}`);
        return (await call(full, "GET", "/health/live").catch(() => null))?.status === 200;
      },
      120_000,
      250,
    );
    const fullHealth = await call(full, "GET", "/health");
    expect(fullHealth.status, fullHealth.text).toBe(503);
    expect(fullHealth.body.details).toMatchObject({ store: "full" });
    const [someId] = acknowledged.keys();
    expect((await call(full, "GET", `/activities/${someId}`)).status, "reads on the full disk").toBe(200);
    const refusedWrite = await post(full, "create", "/activities", {
      name: `${PRIVATE} full`,
      targetType: "DataGeneration",
    });
    expect(refusedWrite).toMatchObject({ status: 507, code: "INSUFFICIENT_STORAGE" });
    const live = await timed(() => call(full, "GET", "/health/live"));
    expect(live.ms).toBeLessThan(1000);
    fs.rmSync(brim);
    fs.rmSync(ballast[ROUNDS]);
    await until(
      "the restarted server to be healthy once space is freed",
      async () => (await call(full, "GET", "/health")).status === 200,
      30_000,
      250,
    );
    await until(
      "the store to take writes again after the restart",
      async () =>
        (await post(full, "create", "/activities", { name: `${PRIVATE} room again`, targetType: "DataGeneration" }))
          .status === 201,
      30_000,
      250,
    );
    await until(
      "the run engine to start",
      async () => full.log().includes("[syncwatch] run engine started"),
      30_000,
      250,
    );
    console.log(
      `[full-disk] restart on the full disk: live, health 503 full, reads 200, writes 507; after freeing space: healthy, writes 201, engine started`,
    );
    expect(await stop(full, "SIGTERM", 30_000)).not.toBe("timeout");
    expect(full.log()).not.toContain(PRIVATE);

    // A copy of the folder on a normal disk: everything acknowledged is there, and writes work.
    const copy = path.join(tempDir("full-disk-copy"), "store");
    fs.cpSync(dir, copy, { recursive: true });
    const again = await server({ ...env, SYNCWATCH_DATA_DIR: copy, SYNCWATCH_ENGINE_AUTORUN: "off" });
    ctx.onTestFailed(() => console.log(`[full-disk] server log (copy):\n${logTail(again)}`));
    let items = 0;
    for (const [id, count] of acknowledged) {
      const a = await call(again, "GET", `/activities/${id}`);
      expect(a.status, `acknowledged activity ${id}`).toBe(200);
      const list = await call(again, "GET", `/activities/${id}/items?pageSize=1`);
      expect(list.body.totalCount, `items acknowledged for ${id} (a refused batch stores nothing)`).toBe(count);
      items += count;
    }
    console.log(
      `[full-disk] after restart on a copy: ${acknowledged.size} acknowledged activities and ${items} items all present`,
    );
    const after = await post(again, "create", "/activities", {
      name: `${PRIVATE} on the copy`,
      targetType: "DataGeneration",
    });
    expect(after.status).toBe(201);
    await until(
      "no engine run from before to be left InProgress",
      async () => (await engineRuns(again)).length === 0,
      90_000,
      1000,
    );
    expect(await stop(again)).not.toBe("timeout");
    expect(again.log()).not.toContain(PRIVATE);
  }, 900_000);
});
