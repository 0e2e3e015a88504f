/**
 * Filling a store's disk through the API (the full-disk fault tests): writers of incompressible,
 * private-marked text until writes are refused, the last bytes taken by a file of the test's own,
 * and what the API acknowledged on the way. A tmpfs of the test's own holds the disk (root only).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { expect } from "vitest";
import { call, tempDir, until, type Server } from "./server";

export const MiB = 1024 * 1024;
/** Marks the request data the tests send: none of it may ever appear in the server's log. */
export const PRIVATE = `private-${randomBytes(4).toString("hex")}`;

/** A system command (mount, umount), run as cluster.ts runs pg_ctlcluster. */
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: "pipe", timeout: 30_000 });

/** A tmpfs of `mib` MiB mounted on a new folder, or why it cannot be (not root, mount refused). */
export function mountTmpfs(prefix: string, mib: number): { dir: string; unmount(): void } | { skip: string } {
  if (process.getuid?.() !== 0) return { skip: `needs root to mount a ${mib} MiB tmpfs (not running as root)` };
  const dir = tempDir(prefix);
  try {
    run("mount", ["-t", "tmpfs", "-o", `size=${mib}m`, "tmpfs", dir]);
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string };
    fs.rmSync(dir, { recursive: true, force: true });
    return { skip: `mounting a tmpfs was not permitted here: ${e.stderr?.toString().trim() || e.message}` };
  }
  return {
    dir,
    unmount() {
      try {
        run("umount", [dir]);
      } catch {
        run("umount", ["-l", dir]);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const freeBytes = (dir: string) => {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
};
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Incompressible text of `chars` characters, marked private. */
const random = (chars: number) => `${PRIVATE}-${randomBytes(chars).toString("base64url")}`.slice(0, chars);

export interface Answer {
  what: string;
  status: number;
  code?: string;
  message?: string;
}

export interface RunProfileRef {
  connectedSystemId: number;
  runProfileId: number;
}

export async function post(s: Server, what: string, apiPath: string, body: unknown): Promise<Answer & { body: any }> {
  const r = await call(s, "POST", apiPath, body).catch((e: Error) => ({
    status: 0,
    body: undefined,
    text: e.message,
    headers: new Headers(),
  }));
  return { what, status: r.status, code: r.body?.code, message: r.body?.message ?? r.text.slice(0, 200), body: r.body };
}

/** What the API acknowledged (2xx): activity ids and the items stored in each. */
export type Acknowledged = Map<string, number>;

/**
 * Writes activities and batches of 100 items of incompressible text, two writers side by side,
 * until writes have been refused for a few seconds in a row. Returns every answer.
 */
export async function fill(
  s: Server,
  round: number,
  target: RunProfileRef,
  acknowledged: Acknowledged,
): Promise<Answer[]> {
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

export function summary(answers: Answer[]): string {
  const by = new Map<string, number>();
  for (const a of answers) {
    const k = `${a.what} ${a.status}${a.code ? ` ${a.code}` : ""}`;
    by.set(k, (by.get(k) ?? 0) + 1);
  }
  return [...by].map(([k, n]) => `${k} ×${n}`).join(", ");
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - t };
}

export interface RunState {
  id: string;
  name: string;
  status: string;
  processed: number;
}

export async function engineRuns(s: Server): Promise<RunState[]> {
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
export function fillToTheBrim(file: string): number {
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

/**
 * Starts the demo's nightly schedule (runs in flight: every system imports side by side) and
 * names the run profile the fillers record their activities on (Workday HR's first).
 */
export async function startNightly(s: Server): Promise<RunProfileRef> {
  const nightly = await until("the demo's nightly schedule", async () => {
    const listed = await call(s, "GET", "/schedules");
    return listed.body.items?.find((x: { name: string }) => x.name === "Nightly full sync") ?? null;
  });
  expect((await call(s, "POST", `/schedules/${nightly.id}/execute`)).status).toBe(202);
  const hr = (await call(s, "GET", "/connected-systems")).body.items.find(
    (c: { name: string }) => c.name === "Workday HR",
  );
  return { connectedSystemId: hr.id, runProfileId: hr.runProfiles[0].id };
}
