/**
 * The embedded store on a disk that fills up. PGlite answers a data file it cannot extend with a
 * clean error, but one WAL segment it cannot create leaves it spinning in WebAssembly for good:
 * the event loop stops (liveness dead, SIGTERM ignored). So the store never gets that far: every
 * statement that writes is refused here, before PGlite sees it, while the disk has less free
 * space than a reserve of WAL segments; reads go on. New stores are created with 1 MiB WAL
 * segments and a WAL bounded to a tenth of the disk (between 2 segments and 256 MiB), so the
 * reserve is small and WAL is recycled instead of growing into the last free megabytes.
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
  ) {
    // Room for two new WAL segments and the statement that needs them.
    this.reserve = 2 * walSegment + 4 * MiB;
  }

  /** Free space now; refuses (throws the store's disk-full error) when a write would eat into the reserve. */
  check(sql: string): void {
    if (!isWrite(sql)) return;
    const disk = freeBytes(this.dataDir);
    if (!disk) return;
    this.lastFree = disk.free;
    if (disk.free >= this.reserve) {
      this.fullSince = null;
      return;
    }
    this.fullSince ??= Date.now();
    throw diskFullError(disk.free, this.reserve);
  }

  state(): DiskState {
    const disk = freeBytes(this.dataDir);
    if (disk) {
      this.lastFree = disk.free;
      if (disk.free >= this.reserve) this.fullSince = null;
      else this.fullSince ??= Date.now();
    }
    return { free: this.lastFree, reserve: this.reserve, fullSince: this.fullSince };
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
