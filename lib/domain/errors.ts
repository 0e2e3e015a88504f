/**
 * Domain errors shared by the services, the run engine and the HTTP layer (lib/http maps them to
 * status codes: NotFound → 404, BadRequest → 400, Conflict → 409, ServiceUnavailable → 503).
 *
 * Next may load a module more than once (instrumentation and route bundles), so an error made by
 * one copy of a class is not `instanceof` another copy: classify errors with `domainErrorKind()`,
 * which reads the `kind` brand, never with `instanceof`.
 */
export type DomainErrorKind = "NotFound" | "BadRequest" | "Conflict" | "ServiceUnavailable";

export class DomainError extends Error {
  readonly kind: DomainErrorKind = "BadRequest";
  readonly isSyncwatchDomainError = true;
  constructor(
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Something the request names (an activity, item, connected system, run profile, schedule) does not exist. */
export class NotFoundError extends DomainError {
  override readonly kind = "NotFound" as const;
  override name = "NotFoundError";
}

/** The request is well-formed but not acceptable (e.g. stats of a non-run-profile activity). */
export class BadRequestError extends DomainError {
  override readonly kind = "BadRequest" as const;
  override name = "BadRequestError";
}

/** The request conflicts with the current state (e.g. a write to an activity that has ended). */
export class ConflictError extends DomainError {
  override readonly kind = "Conflict" as const;
  override name = "ConflictError";
}

/** A required part of the server is switched off or not ready (e.g. SYNCWATCH_ENGINE=off). */
export class ServiceUnavailableError extends DomainError {
  override readonly kind = "ServiceUnavailable" as const;
  override name = "ServiceUnavailableError";
}

/** The kind of a domain error from any copy of these classes; null for other errors. */
export function domainErrorKind(error: unknown): DomainErrorKind | null {
  if (!error || typeof error !== "object") return null;
  const e = error as { isSyncwatchDomainError?: unknown; kind?: unknown };
  if (e.isSyncwatchDomainError !== true) return null;
  return e.kind === "NotFound" || e.kind === "BadRequest" || e.kind === "Conflict" || e.kind === "ServiceUnavailable"
    ? e.kind
    : null;
}

/** ActivityAlreadyEndedError (lib/domain/recorder.ts) from any module copy: it carries activityId and status. */
export function isActivityAlreadyEnded(error: unknown): error is Error & { activityId: string; status: string } {
  if (!(error instanceof Error) && !(error && typeof error === "object")) return false;
  const e = error as { activityId?: unknown; status?: unknown; message?: unknown };
  return (
    typeof e.activityId === "string" &&
    typeof e.status === "string" &&
    typeof e.message === "string" &&
    e.message.includes("has already ended")
  );
}
