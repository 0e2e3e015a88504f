/**
 * One process per embedded store. PGlite has no locking of its own: two processes on one folder
 * acknowledge writes the other cannot see and corrupt it. Opening a folder takes this lock file
 * (created exclusively, holding the owner's pid and process start time); a second opener whose
 * owner is still alive is refused, naming the folder and the pid. A lock left by a process that
 * died (kill -9, power loss) is taken over.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const LOCK_FILE = "syncwatch.lock";

interface LockInfo {
  pid: number;
  host: string;
  /** Process start time from /proc (Linux), to tell a live owner from a reused pid. */
  startTicks: string | null;
  since: string;
}

export class StoreLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockInfo,
  ) {
    super(
      `The embedded store ${dataDir} is in use by process ${owner.pid} on ${owner.host} (since ${owner.since}). ` +
        `Only one process may open it: stop that process first, or set SYNCWATCH_DATA_DIR to another folder.`,
    );
    this.name = "StoreLockedError";
  }
}

function startTicksOf(pid: number): string | null {
  try {
    // Field 22 of /proc/<pid>/stat, counted after the parenthesised command name.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(owner: LockInfo): boolean {
  if (owner.host !== os.hostname()) return true; // another machine sharing the folder: assume alive
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  const ticks = startTicksOf(owner.pid);
  return owner.startTicks === null || ticks === null || ticks === owner.startTicks;
}

function readLock(file: string): LockInfo | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LockInfo>;
    if (typeof parsed.pid !== "number" || typeof parsed.host !== "string") return null;
    return { pid: parsed.pid, host: parsed.host, startTicks: parsed.startTicks ?? null, since: parsed.since ?? "?" };
  } catch {
    return null;
  }
}

/** Takes the lock of `dataDir` for this process; returns the function that releases it. */
export function lockStore(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const mine: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    startTicks: startTicksOf(process.pid),
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: "wx", mode: 0o600 });
      const release = () => {
        const owner = readLock(file);
        if (owner?.pid === process.pid && owner.host === mine.host) fs.rmSync(file, { force: true });
        process.off("exit", release);
      };
      process.on("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const owner = readLock(file);
    if (owner && owner.pid === process.pid && owner.host === mine.host) {
      throw new StoreLockedError(dataDir, owner); // opened twice in one process: a bug, not a takeover
    }
    if (owner && isAlive(owner)) throw new StoreLockedError(dataDir, owner);
    // Stale (its owner died) or unreadable: remove it and try to take it again.
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not take the lock of the embedded store ${dataDir}.`);
}
