/**
 * The one error family of Syncwatch. Every error a caller should see carries its API error code
 * (lib/api/status-codes.ts maps codes to HTTP statuses, the only such table; lib/http/errors.ts
 * writes the answers), a message for people and optional details for programs.
 *
 * Next may load a module more than once (instrumentation and route bundles), so an error made by
 * one copy of these classes is not `instanceof` another copy: `asSyncwatchError()` reads the brand.
 */
export const ERROR_CODES = [
  "BAD_REQUEST",
  "UNAUTHORISED",
  "FORBIDDEN",
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "CONFLICT",
  "GONE",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "TOO_MANY_REQUESTS",
  "INTERNAL_ERROR",
  "SERVICE_UNAVAILABLE",
  "INSUFFICIENT_STORAGE",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class SyncwatchError extends Error {
  readonly isSyncwatchError = true;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Response headers the error implies (Allow, Retry-After, WWW-Authenticate). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "SyncwatchError";
  }
}

export class BadRequestError extends SyncwatchError {
  constructor(message: string, details?: unknown) {
    super("BAD_REQUEST", message, details);
  }
}

export class NotFoundError extends SyncwatchError {
  constructor(message: string, details?: unknown) {
    super("NOT_FOUND", message, details);
  }
}

export class ConflictError extends SyncwatchError {
  constructor(message: string, details?: unknown) {
    super("CONFLICT", message, details);
  }
}

/** The resource existed and was removed on purpose (execution items purged by retention). */
export class GoneError extends SyncwatchError {
  constructor(message: string, details?: unknown) {
    super("GONE", message, details);
  }
}

export class ServiceUnavailableError extends SyncwatchError {
  constructor(message: string, details?: unknown, retryAfterSeconds?: number) {
    super(
      "SERVICE_UNAVAILABLE",
      message,
      details,
      retryAfterSeconds ? { "Retry-After": String(retryAfterSeconds) } : undefined,
    );
  }
}

export class TooManyRequestsError extends SyncwatchError {
  constructor(message: string, retryAfterSeconds: number) {
    super("TOO_MANY_REQUESTS", message, { retryAfterSeconds }, { "Retry-After": String(retryAfterSeconds) });
  }
}

/** The one message for an id that names no activity. */
export const activityNotFound = (id: string) => new NotFoundError(`Activity ${id} does not exist.`, { id });

/** A write to an activity that has already reached a terminal status. */
export const activityEnded = (activityId: string, status: string) =>
  new ConflictError(`Activity ${activityId} has already ended with status ${status}.`, { activityId, status });

/** The error as a SyncwatchError (from any copy of this module), or null for anything else. */
export function asSyncwatchError(error: unknown): SyncwatchError | null {
  if (!error || typeof error !== "object") return null;
  const e = error as Partial<SyncwatchError>;
  return e.isSyncwatchError === true &&
    typeof e.code === "string" &&
    (ERROR_CODES as readonly string[]).includes(e.code)
    ? (error as SyncwatchError)
    : null;
}
