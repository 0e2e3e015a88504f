/**
 * What a store error means for the caller, whichever driver raised it (pg, PGlite, or Prisma over
 * either): the store is unreachable (503 with Retry-After: an outage, a restart, a lost
 * connection), or it has no room for the write (507: a full disk). Anything else is not a
 * store condition. Also: an error described for the log without the request's data (drivers
 * attach the statement's parameters to their errors).
 */
import { ServiceUnavailableError, SyncwatchError, asSyncwatchError } from "@/lib/domain/errors";

/** SQLSTATEs of a server that is gone, going, or not yet back (class 08, 57P01-03), or a serialisation retry. */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
const UNAVAILABLE_NODE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
/** Prisma's codes for the same: can't reach, timed out, connection closed, pool timeout, too many connections. */
const UNAVAILABLE_PRISMA = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
const UNAVAILABLE_KIND = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection error|terminating connection|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|the database system is (starting up|shutting down|in recovery mode)/i;
/** 53100 disk_full, 53200 out_of_memory is not a disk; ENOSPC from the embedded store's own file writes. */
const FULL_MESSAGE = /No space left on device|could not extend file|disk full/i;

export type StoreCondition = "unavailable" | "full";

/** Walks an error and what it wraps (cause, Prisma's meta.driverAdapterError), at most a few levels deep. */
function* layers(error: unknown): Generator<Record<string, unknown>> {
  let e: unknown = error;
  for (let depth = 0; depth < 6 && e && typeof e === "object"; depth++) {
    const o = e as Record<string, unknown>;
    yield o;
    const meta = o.meta as { driverAdapterError?: unknown } | undefined;
    if (meta?.driverAdapterError) yield* layers(meta.driverAdapterError);
    e = o.cause;
  }
}

const g = globalThis as unknown as { __syncwatchStoreFullAt?: number };

/** When the store last refused a write for lack of space (ms since epoch), in this process. */
export const lastFullAt = (): number | null => g.__syncwatchStoreFullAt ?? null;

/** The store condition an error reports, or null when it is not one. A full store is remembered (health). */
export function storeConditionOf(error: unknown): StoreCondition | null {
  const condition = conditionOf(error);
  if (condition === "full") g.__syncwatchStoreFullAt = Date.now();
  return condition;
}

function conditionOf(error: unknown): StoreCondition | null {
  const known = asSyncwatchError(error);
  if (known) return known.code === "INSUFFICIENT_STORAGE" ? "full" : null;
  let unavailable = false;
  for (const o of layers(error)) {
    const code = typeof o.code === "string" ? o.code : typeof o.originalCode === "string" ? o.originalCode : "";
    const message = typeof o.message === "string" ? o.message : "";
    if (code === "53100" || code === "ENOSPC" || FULL_MESSAGE.test(message)) return "full";
    if (
      UNAVAILABLE_SQLSTATE.test(code) ||
      UNAVAILABLE_NODE.has(code) ||
      UNAVAILABLE_PRISMA.has(code) ||
      (typeof o.kind === "string" && UNAVAILABLE_KIND.has(o.kind)) ||
      UNAVAILABLE_MESSAGE.test(message)
    )
      unavailable = true;
  }
  return unavailable ? "unavailable" : null;
}

export const STORE_RETRY_AFTER_SECONDS = 5;

export class StoreFullError extends SyncwatchError {
  constructor(
    message = "The store has no room left for writes (its disk is full). Reads still work; free space and retry.",
  ) {
    super("INSUFFICIENT_STORAGE", message, { store: "full" });
  }
}

export const storeUnavailable = () =>
  new ServiceUnavailableError(
    "The store is not reachable (it is restarting or the connection to it was lost); try again shortly.",
    { store: "unavailable" },
    STORE_RETRY_AFTER_SECONDS,
  );

/** The error as the API answers it when it is a store condition (503 or 507); null otherwise. */
export function asStoreError(error: unknown): SyncwatchError | null {
  const condition = storeConditionOf(error);
  if (condition === "full") return asSyncwatchError(error) ?? new StoreFullError();
  if (condition === "unavailable") return storeUnavailable();
  return null;
}

/**
 * One line for the log: the error's name, SQLSTATE (or code) and message, never the statement,
 * its parameters or the row values in `detail` (drivers attach them to the error object).
 */
export function describeForLog(error: unknown): string {
  if (!(error instanceof Error) && (typeof error !== "object" || error === null)) return String(error);
  const parts: string[] = [];
  for (const o of layers(error)) {
    const name = typeof o.name === "string" ? o.name : "Error";
    const code = typeof o.code === "string" ? o.code : typeof o.originalCode === "string" ? o.originalCode : null;
    const message =
      typeof o.message === "string" ? o.message : typeof o.originalMessage === "string" ? o.originalMessage : "";
    const line = `${name}${code ? ` [${code}]` : ""}: ${message}`;
    if (!parts.includes(line)) parts.push(line);
  }
  const stack = error instanceof Error ? error.stack?.split("\n").slice(1, 6).join("\n") : undefined;
  return parts.join(" <- caused by ") + (stack ? `\n${stack}` : "");
}
