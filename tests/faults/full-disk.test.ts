/**
 * A full disk under the embedded store (issue 18.3): the data folder on a 40 MiB tmpfs, the engine
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
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, stop, tempDir, until, type Server } from "./server";

const MiB = 1024 * 1024;
const ROUNDS = 3;
/** Marks the request data the test sends: none of it may ever appear in the server's log. */
const PRIVATE = `private-${randomBytes(4).toString("hex")}`;

/** A system command (mount, umount), run as cluster.ts runs pg_ctlcluster. */
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: "pipe", timeout: 30_000 });

let mnt = "";
let mounted = false;
let skipReason: string | null = null;
const servers: Server[] = [];

beforeAll(() => {
  if (process.getuid?.() !== 0) {
    skipReason = "needs root to mount a 40 MiB tmpfs for the data folder (not running as root)";
    return;
  }
  mnt = tempDir("full-disk");
  try {
    run("mount", ["-t", "tmpfs", "-o", "size=40m", "tmpfs", mnt]);
    mounted = true;
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string };
    skipReason = `mounting a tmpfs was not permitted here: ${e.stderr?.toString().trim() || e.message}`;
  }
});

afterAll(async () => {
  for (const s of servers.splice(0)) await stop(s, "SIGKILL", 5000);
  if (mounted) {
    try {
      run("umount", [mnt]);
    } catch {
      run("umount", ["-l", mnt]);
    }
  }
  if (mnt) fs.rmSync(mnt, { recursive: true, force: true });
});

async function server(env: Record<string, string>) {
  const s = await startServer(env);
  servers.push(s);
  return s;
}

const freeBytes = (dir: string) => {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Incompressible text of `chars` characters, marked private. */
const random = (chars: number) => `${PRIVATE}-${randomBytes(chars).toString("base64url")}`.slice(0, chars);

interface Answer {
  what: string;
  status: number;
  code?: string;
  message?: string;
}

/** What the API acknowledged (2xx): activity ids and the items stored in each. */
const acknowledged = new Map<string, number>();

interface RunProfileRef {
  connectedSystemId: number;
  runProfileId: number;
}

async function post(s: Server, what: string, apiPath: string, body: unknown): Promise<Answer & { body: any }> {
  const r = await call(s, "POST", apiPath, body).catch((e: Error) => ({
    status: 0,
    body: undefined,
    text: e.message,
    headers: new Headers(),
  }));
  return { what, status: r.status, code: r.body?.code, message: r.body?.message ?? r.text.slice(0, 200), body: r.body };
}

/**
 * Writes activities and batches of 100 items of incompressible text, two writers side by side,
 * until writes have been refused for a few seconds in a row. Returns every answer.
 */
async function fill(s: Server, round: number, target: RunProfileRef): Promise<Answer[]> {
  const answers: Answer[] = [];
  let refusedSince: number | null = null;
  let batch = 0;
  const writer = async (w: number) => {
    while (refusedSince === null || Date.now() - refusedSince < 3000) {
      const created = await post(s, "create", "/activities", {
        name: `${PRIVATE} filler round ${round} writer ${w}`,
        targetType: "ConnectedSystemRunProfile",
        ...target,
      });
      answers.push(created);
      if (created.status !== 201) {
        refusedSince ??= Date.now();
        await sleep(200);
        continue;
      }
      const id: string = created.body.id;
      acknowledged.set(id, 0);
      for (let b = 0; b < 8; b++) {
        const items = Array.from({ length: 100 }, (_, i) => ({
          sequence: b * 100 + i,
          externalIdValue: random(300),
          displayName: random(400),
          connectedSystemObjectId: random(150),
          metaverseObjectId: random(150),
          objectChangeType: "Update",
        }));
        batch++;
        const r = await post(s, "items", `/activities/${id}/items`, { items });
        answers.push(r);
        if (r.status === 200) acknowledged.set(id, acknowledged.get(id)! + r.body.inserted);
        else {
          refusedSince ??= Date.now();
          break;
        }
      }
    }
  };
  await Promise.all([writer(1), writer(2)]);
  console.log(`[full-disk] round ${round}: ${answers.length} writes (${batch} item batches), ${summary(answers)}`);
  return answers;
}

function summary(answers: Answer[]): string {
  const by = new Map<string, number>();
  for (const a of answers) {
    const k = `${a.what} ${a.status}${a.code ? ` ${a.code}` : ""}`;
    by.set(k, (by.get(k) ?? 0) + 1);
  }
  return [...by].map(([k, n]) => `${k} ×${n}`).join(", ");
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - t };
}

interface RunState {
  id: string;
  name: string;
  status: string;
  processed: number;
}

async function engineRuns(s: Server): Promise<RunState[]> {
  const list = await call(
    s,
    "GET",
    "/activities?status=InProgress&targetType=ConnectedSystemRunProfile&topLevelOnly=false&pageSize=100",
  );
  expect(list.status, list.text).toBe(200);
  type Row = {
    id: string;
    name: string;
    status: string;
    started: string | null;
    progress: { objectsProcessed: number };
  };
  return (list.body.items as Row[])
    .filter((a) => a.started && !a.name.startsWith(PRIVATE))
    .map((a) => ({ id: a.id, name: a.name, status: a.status, processed: a.progress?.objectsProcessed ?? 0 }));
}

/** Takes what is left of the disk with a file of the test's own, to the last byte (another program would). */
function fillToTheBrim(file: string): number {
  const fd = fs.openSync(file, "w");
  const chunk = randomBytes(64 * 1024);
  let written = 0;
  try {
    for (;;) written += fs.writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    fs.closeSync(fd);
  }
  return written;
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
    const nightly = await until("the demo's nightly schedule", async () => {
      const listed = await call(s, "GET", "/schedules");
      return listed.body.items?.find((x: { name: string }) => x.name === "Nightly full sync") ?? null;
    });
    expect((await call(s, "POST", `/schedules/${nightly.id}/execute`)).status).toBe(202);
    const hr = (await call(s, "GET", "/connected-systems")).body.items.find(
      (c: { name: string }) => c.name === "Workday HR",
    );
    const target = { connectedSystemId: hr.id, runProfileId: hr.runProfiles[0].id };

    // Ballast of the test's own: deleting one file gives the store room for the next round.
    // One more for the restart on the full disk at the end.
    const ballastSize = Math.min(2 * MiB, Math.max(MiB, Math.floor((started - 6 * MiB) / (ROUNDS + 1))));
    const ballast = Array.from({ length: ROUNDS + 1 }, (_, i) => {
      const f = path.join(mnt, `ballast-${i}`);
      fs.writeFileSync(f, randomBytes(ballastSize));
      return f;
    });
    const brim = path.join(mnt, "brim");

    const everything: Answer[] = [];
    for (let round = 1; round <= ROUNDS + 1; round++) {
      const answers = await fill(s, round, target);
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
