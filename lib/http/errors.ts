import { ZodError } from "zod";
import type { ErrorBody, ErrorCode } from "@/lib/api/schemas";
import { DomainError, domainErrorKind, isActivityAlreadyEnded, type DomainErrorKind } from "@/lib/domain/errors";

export const STATUS_OF: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORISED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

/** An error that already knows its HTTP answer. */
export class HttpError extends Error {
  readonly isSyncwatchHttpError = true;
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
  }
  get status() {
    return STATUS_OF[this.code];
  }
}

export function errorResponse(code: ErrorCode, message: string, details?: unknown, headers?: HeadersInit): Response {
  const body: ErrorBody = details === undefined ? { code, message } : { code, message, details };
  const h = new Headers(headers);
  h.set("Content-Type", "application/json; charset=utf-8");
  h.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { status: STATUS_OF[code], headers: h });
}

export function zodIssues(error: ZodError) {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), code: i.code, message: i.message }));
}

const CODE_OF_KIND: Record<DomainErrorKind, ErrorCode> = {
  NotFound: "NOT_FOUND",
  BadRequest: "BAD_REQUEST",
  Conflict: "CONFLICT",
  ServiceUnavailable: "SERVICE_UNAVAILABLE",
};

/** Maps anything thrown by a handler to the JSON error body. */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof HttpError || (error as { isSyncwatchHttpError?: unknown })?.isSyncwatchHttpError === true) {
    const e = error as HttpError;
    return errorResponse(e.code, e.message, e.details);
  }
  if (error instanceof ZodError) return errorResponse("BAD_REQUEST", "The request is not valid.", zodIssues(error));
  // Classified by brand, not instanceof: Next may bundle the error classes more than once.
  if (isActivityAlreadyEnded(error))
    return errorResponse("CONFLICT", error.message, { activityId: error.activityId, status: error.status });
  const kind = domainErrorKind(error);
  if (kind) return errorResponse(CODE_OF_KIND[kind], (error as DomainError).message, (error as DomainError).details);
  console.error("[syncwatch] unhandled error in API route:", error);
  return errorResponse("INTERNAL_ERROR", "An unexpected error occurred.");
}
