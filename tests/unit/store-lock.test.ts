/**
 * One process per embedded store (lib/db/lock.ts): the lock file is taken exclusively, a live
 * owner is respected (StoreLockedError naming the folder and the pid), a stale lock left by a
 * dead process or a reused pid is taken over, and release removes only our own lock.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openPglite } from "@/lib/db/drivers";
import { LOCK_FILE, StoreLockedError, lockStore } from "@/lib/db/lock";

let dir: string;
let releases: (() => void)[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "syncwatch-lock-"));
  releases = [];
});
afterEach(() => {
  for (const r of releases) r();
  fs.rmSync(dir, { recursive: true, force: true });
});

const lockFile = () => path.join(dir, LOCK_FILE);
const readLock = () => JSON.parse(fs.readFileSync(lockFile(), "utf8"));
const take = (folder = dir) => {
  const release = lockStore(folder);
  releases.push(release);
  return release;
};
function writeLock(owner: { pid: number; host?: string; startTicks?: string | null }) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    lockFile(),
    JSON.stringify({ host: os.hostname(), startTicks: null, since: "2026-11-22T10:00:00.000Z", ...owner }),
  );
}
function refusal(folder = dir): StoreLockedError {
  try {
    releases.push(lockStore(folder));
  } catch (e) {
    expect(e).toBeInstanceOf(StoreLockedError);
    return e as StoreLockedError;
  }
  throw new Error("the lock was taken");
}

/** The start time /proc gives a process (Linux); null elsewhere. */
function startTicksOf(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  expect(child.status).toBe(0);
  expect(() => process.kill(child.pid!, 0)).toThrow();
  return child.pid!;
}

describe("lockStore", () => {
  it("creates the folder and a lock file naming this process, readable by its owner only", () => {
    const folder = path.join(dir, "nested", "store");
    take(folder);
    const file = path.join(folder, LOCK_FILE);
    const info = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(info).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(Date.parse(info.since)).not.toBeNaN();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("refuses a second lock of the same folder while the owner lives, naming the folder and the pid", () => {
    take();
    const e = refusal();
    expect(e.name).toBe("StoreLockedError");
    expect(e.dataDir).toBe(dir);
    expect(e.owner.pid).toBe(process.pid);
    expect(e.message).toContain(dir);
    expect(e.message).toContain(`process ${process.pid}`);
    expect(e.message).toMatch(/SYNCWATCH_DATA_DIR/);
  });

  it("release removes the lock file, and the folder can be locked again", () => {
    const release = take();
    release();
    expect(fs.existsSync(lockFile())).toBe(false);
    take();
    expect(readLock().pid).toBe(process.pid);
  });

  it("respects the lock of another live process on this host", () => {
    writeLock({ pid: process.ppid, startTicks: startTicksOf(process.ppid) });
    const e = refusal();
    expect(e.owner.pid).toBe(process.ppid);
    expect(e.message).toContain(`process ${process.ppid}`);
    expect(readLock().pid).toBe(process.ppid);
  });

  it("respects a lock held from another machine sharing the folder (it cannot tell whether that one lives)", () => {
    writeLock({ pid: deadPid(), host: `${os.hostname()}-elsewhere` });
    expect(refusal().owner.host).toBe(`${os.hostname()}-elsewhere`);
  });

  it("takes over a lock whose owner died", () => {
    const pid = deadPid();
    writeLock({ pid });
    take();
    expect(readLock().pid).toBe(process.pid);
  });

  it.skipIf(startTicksOf(process.pid) === null)(
    "takes over a lock whose pid now belongs to another process (start time differs; needs /proc)",
    () => {
      const ticks = startTicksOf(process.ppid)!;
      writeLock({ pid: process.ppid, startTicks: String(Number(ticks) + 1) });
      take();
      expect(readLock().pid).toBe(process.pid);
    },
  );

  it("takes over an unreadable lock file", () => {
    fs.writeFileSync(lockFile(), "not json");
    take();
    expect(readLock().pid).toBe(process.pid);
  });

  it("release leaves alone a lock that another process holds by then", () => {
    const release = take();
    writeLock({ pid: process.ppid });
    release();
    expect(readLock().pid).toBe(process.ppid);
  });
});

describe("openPglite", () => {
  it("refuses a folder another live process holds, before opening the store", async () => {
    writeLock({ pid: process.ppid, startTicks: startTicksOf(process.ppid) });
    const e = await openPglite(dir).catch((x) => x);
    expect(e).toBeInstanceOf(StoreLockedError);
    expect(fs.readdirSync(dir)).toEqual([LOCK_FILE]);
  });
});
