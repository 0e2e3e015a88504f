/**
 * The embedded store on a disk that fills up. PGlite answers a data file it cannot extend with a
 * clean error, but one WAL segment it cannot create leaves it spinning in WebAssembly for good:
 * the event loop stops (liveness dead, SIGTERM ignored). So the store never gets that far: every
 * statement that writes is refused here, before PGlite sees it, while the disk has less free
 * space than a reserve of WAL segments; reads go on. New stores are created with 1 MiB WAL
 * segments and a WAL bounded to a tenth of the disk (between 2 segments and 256 MiB), so the
 * reserve is small and WAL is recycled instead of growing into the last free megabytes.
 *
 * Starting the store, and above all recovering it after an unclean stop, needs room of its own (a
 * new WAL segment, an end-of-recovery checkpoint): on a disk another program filled to the last
 * byte PGlite then fails with "PGlite failed to initialize properly" (seen with a clean shutdown
 * too, when its last segment was full: 1 MiB free was enough). So the store keeps a reserve file
 * in its folder (ReserveFile), released when it must start (or recover) on a full disk and made
 * again once there is room. A shutdown on a full disk keeps it: PGlite's shutdown checkpoint went
 * through with 0 bytes free every time it was tried, and a shutdown that does not leaves a store
 * that recovers on its next start, which releases the reserve.
 */
import fs from "node:fs";
import path from "node:path";
import { PGlite, messages, type Transaction } from "@electric-sql/pglite";

const MiB = 1024 * 1024;
/** initdb's --wal-segsize for new stores, in MiB. */
export const NEW_STORE_WAL_SEGMENT_MIB = 1;

/** The WAL segment size of an existing store (the size of its segment files); null for a new folder. */
export function walSegmentBytes(dataDir: string): number | null {
  try {
    const wal = path.join(dataDir, "pg_wal");
    const segment = fs.readdirSync(wal).find((f) => /^[0-9A-F]{24}$/.test(f));
    return segment ? fs.statSync(path.join(wal, segment)).size : null;
  } catch {
    return null;
  }
}

function freeBytes(dir: string): { free: number; total: number } | null {
  try {
    const s = fs.statfsSync(dir);
    return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
  } catch {
    return null;
  }
}

/** The folder itself when it exists, else the closest existing parent (a store about to be created). */
function existingDir(dir: string): string {
  let d = path.resolve(dir);
  while (!fs.existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

/** PGlite options for the folder: WAL segment size for a new store, WAL bounds for any. */
export function walOptions(dataDir: string): { initDbStartParams: string[]; startParams?: string[] } {
  const segment = walSegmentBytes(dataDir) ?? NEW_STORE_WAL_SEGMENT_MIB * MiB;
  const segmentMiB = Math.max(1, Math.round(segment / MiB));
  const disk = freeBytes(existingDir(dataDir));
  const tenth = disk ? Math.floor(disk.total / 10 / MiB) : 256;
  const maxWal = Math.max(2 * segmentMiB, Math.min(256, tenth));
  const defaults = (PGlite as unknown as { defaultStartParams?: unknown }).defaultStartParams;
  return {
    initDbStartParams: [`--wal-segsize=${NEW_STORE_WAL_SEGMENT_MIB}`],
    // PGlite's own start parameters must stay: extend them only when this PGlite version exposes them.
    ...(Array.isArray(defaults) && defaults.every((d) => typeof d === "string")
      ? {
          startParams: [
            ...(defaults as string[]),
            "-c",
            `max_wal_size=${maxWal}MB`,
            "-c",
            `min_wal_size=${2 * segmentMiB}MB`,
          ],
        }
      : {}),
  };
}

/** The reserve file in the data folder: room for starting, recovering or shutting down on a full disk. */
export const RESERVE_FILE = "syncwatch-reserve";

/** Room a start needs at least (a new WAL segment and the files a checkpoint writes). */
export const startRoom = (walSegment: number) => walSegment + MiB;

/**
 * A file of real blocks that holds room for the store: released (deleted) when the store must
 * start or recover on a disk with less free space than it holds, and made again when the disk has
 * room for it beside the guard's reserve.
 */
export class ReserveFile {
  readonly file: string;
  readonly bytes: number;
  constructor(
    readonly dataDir: string,
    walSegment: number,
  ) {
    this.file = path.join(dataDir, RESERVE_FILE);
    // Two WAL segments and the checkpoint's own files: what a start after an unclean stop takes.
    this.bytes = 2 * walSegment + 2 * MiB;
  }

  present(): boolean {
    try {
      return fs.statSync(this.file).size >= this.bytes;
    } catch {
      return false;
    }
  }

  /** Gives the reserve's room back to the disk; returns the bytes released. */
  release(): number {
    try {
      const size = fs.statSync(this.file).size;
      fs.rmSync(this.file, { force: true });
      return size;
    } catch {
      return 0;
    }
  }

  /** Makes the reserve when the disk has room for it and `beside` more; returns whether it is there. */
  ensure(beside: number): boolean {
    if (this.present()) return true;
    const disk = freeBytes(this.dataDir);
    if (!disk || disk.free < this.bytes + beside) return false;
    const tmp = `${this.file}.tmp`;
    try {
      // Written, not allocated sparsely: the blocks must be taken now to be given back later.
      const fd = fs.openSync(tmp, "w", 0o600);
      try {
        const chunk = Buffer.alloc(MiB, 0x5a);
        for (let written = 0; written < this.bytes;)
          written += fs.writeSync(fd, chunk, 0, Math.min(MiB, this.bytes - written));
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.file);
      return true;
    } catch {
      fs.rmSync(tmp, { force: true });
      return false;
    }
  }
}

/** Free space of the disk that holds `dir` (the folder or its closest existing parent). */
export const diskFree = (dir: string): number | null => freeBytes(existingDir(dir))?.free ?? null;

/** Statements that only read (a SELECT that locks rows or calls a sequence writes). */
const READS =
  /^\s*(SELECT|WITH|SHOW|EXPLAIN|LISTEN|UNLISTEN|SET|RESET|BEGIN|START|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|DEALLOCATE|DISCARD|VALUES|TABLE|FETCH|CLOSE)\b/i;
const WRITES =
  /\b(INSERT|UPDATE|DELETE|MERGE|CREATE|ALTER|DROP|TRUNCATE|COPY|VACUUM|REINDEX|CLUSTER|CHECKPOINT|nextval|setval|pg_notify)\b|\bFOR\s+(UPDATE|SHARE|NO\s+KEY|KEY)\b/i;

export const isWrite = (sql: string) => !READS.test(sql) || WRITES.test(sql);

export interface DiskState {
  free: number | null;
  reserve: number;
  /** Since when writes are refused for lack of space (ms since epoch); null while there is room. */
  fullSince: number | null;
}

export class DiskGuard {
  readonly reserve: number;
  private fullSince: number | null = null;
  private lastFree: number | null = null;

  constructor(
    readonly dataDir: string,
    walSegment: number,
    private readonly reserveFile: ReserveFile | null = null,
  ) {
    // Room for two new WAL segments and the statement that needs them.
    this.reserve = 2 * walSegment + 4 * MiB;
  }

  /**
   * Free space writes need: the guard's reserve, and the reserve file's room while it is released
   * (a start on a full disk released it): writes go on only once it can be made again, and it is.
   */
  private required(free: number): { required: number; made: boolean } {
    if (!this.reserveFile || this.reserveFile.present()) return { required: this.reserve, made: false };
    if (free >= this.reserve + this.reserveFile.bytes && this.reserveFile.ensure(this.reserve))
      return { required: this.reserve, made: true };
    return { required: this.reserve + this.reserveFile.bytes, made: false };
  }

  /** Free space now; refuses (throws the store's disk-full error) when a write would eat into the reserve. */
  check(sql: string): void {
    if (!isWrite(sql)) return;
    let disk = freeBytes(this.dataDir);
    if (!disk) return;
    const { required, made } = this.required(disk.free);
    if (made) disk = freeBytes(this.dataDir) ?? disk;
    this.lastFree = disk.free;
    if (disk.free >= required) {
      this.fullSince = null;
      return;
    }
    this.fullSince ??= Date.now();
    throw diskFullError(disk.free, required);
  }

  state(): DiskState {
    let disk = freeBytes(this.dataDir);
    let required = this.reserve;
    if (disk) {
      const need = this.required(disk.free);
      required = need.required;
      if (need.made) disk = freeBytes(this.dataDir) ?? disk;
      this.lastFree = disk.free;
      if (disk.free >= required) this.fullSince = null;
      else this.fullSince ??= Date.now();
    }
    return { free: this.lastFree, reserve: required, fullSince: this.fullSince };
  }
}

/** The error PGlite itself raises for a full disk (SQLSTATE 53100), so every layer reads it as one. */
function diskFullError(free: number, reserve: number): Error {
  const message =
    `could not write: no space left on device for the embedded store (${(free / MiB).toFixed(1)} MiB free, ` +
    `${(reserve / MiB).toFixed(0)} MiB kept in reserve)`;
  const e = new messages.DatabaseError(message, message.length, "error");
  e.code = "53100";
  e.severity = "ERROR";
  return e;
}

type Queryable = Pick<PGlite, "query" | "exec"> | Transaction;

function guardQueryable<T extends Queryable>(q: T, guard: DiskGuard): T {
  return new Proxy(q, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (prop === "query" || prop === "exec")
        return (sql: string, ...rest: unknown[]) => {
          guard.check(sql);
          return (value as (...a: unknown[]) => unknown).call(target, sql, ...rest);
        };
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The PGlite handle with every write checked against the disk guard first (transactions included). */
export function guardedPglite(db: PGlite, guard: DiskGuard): PGlite {
  const guarded = guardQueryable(db, guard);
  return new Proxy(guarded, {
    get(target, prop) {
      if (prop === "transaction")
        return <R>(fn: (tx: Transaction) => Promise<R>) => db.transaction((tx) => fn(guardQueryable(tx, guard)));
      return Reflect.get(target, prop);
    },
  });
}
