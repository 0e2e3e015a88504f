/**
 * Errors nothing caught (an uncaught exception, an unhandled rejection) are logged once, in one
 * line with the request id when they escaped a request (else an id of their own to quote), and
 * without the statement's parameters or row values a driver's error carries (describeForLog); the
 * server goes on serving. Next's own listeners print the whole error object (parameters included)
 * and are replaced by this one.
 */
import { randomUUID } from "node:crypto";
import { describeForLog } from "@/lib/db/errors";
import { currentRequestId } from "@/lib/http/request-context";

type Kind = "uncaughtException" | "unhandledRejection";

/** The listener for one kind; `log` is console.error in the server. */
export function processErrorListener(kind: Kind, log: (line: string) => void = console.error) {
  const seen = new WeakSet<object>();
  return (error: unknown) => {
    if (typeof error === "object" && error !== null) {
      if (seen.has(error)) return;
      seen.add(error);
    }
    const request = currentRequestId();
    const id = request ? `request ${request}` : `error ${randomUUID()}`;
    const what = kind === "uncaughtException" ? "uncaught exception" : "unhandled rejection";
    log(`[syncwatch] ${what} (${id}); the server goes on: ${describeForLog(error)}`);
  };
}

const g = globalThis as unknown as { __syncwatchProcessErrors?: boolean };

/**
 * Installs the listeners (once per process) and removes the others: Next registers its own while it
 * starts, so they are removed again once the start has settled.
 */
export function installProcessErrorHandlers(): void {
  if (g.__syncwatchProcessErrors) return;
  g.__syncwatchProcessErrors = true;
  const onException = processErrorListener("uncaughtException");
  const onRejection = processErrorListener("unhandledRejection");
  process.on("uncaughtException", onException);
  process.on("unhandledRejection", onRejection);
  const onlyMine = () => {
    for (const other of process.listeners("uncaughtException"))
      if (other !== onException) process.removeListener("uncaughtException", other);
    for (const other of process.listeners("unhandledRejection"))
      if (other !== onRejection) process.removeListener("unhandledRejection", other);
  };
  onlyMine();
  for (const ms of [0, 1000, 10_000]) setTimeout(onlyMine, ms).unref();
}
