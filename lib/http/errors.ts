/** How errors become answers: the JSON error body, from any thrown value. */
import type { ZodError } from "zod";
import type { ErrorBody } from "@/lib/api/schemas";
import { STATUS_OF_CODE } from "@/lib/api/status-codes";
import { asStoreError, describeForLog } from "@/lib/db/errors";
import { BadRequestError, asSyncwatchError, type ErrorCode } from "@/lib/domain/errors";

export function errorResponse(
  code: ErrorCode,
  message: string,
  opts: { details?: unknown; headers?: HeadersInit; requestId?: string } = {},
): Response {
  const body: ErrorBody = { code, message };
  if (opts.details !== undefined) body.details = opts.details;
  if (opts.requestId) body.requestId = opts.requestId;
  const h = new Headers(opts.headers);
  h.set("Content-Type", "application/json; charset=utf-8");
  h.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { status: STATUS_OF_CODE[code], headers: h });
}

/** The zod issues of a request part as a 400 (the one place they are mapped). */
export function invalidRequest(part: "path" | "query" | "body", error: ZodError): BadRequestError {
  const what = part === "path" ? "A path parameter is" : part === "query" ? "The query is" : "The body is";
  return new BadRequestError(
    `${what} not valid.`,
    error.issues.map((i) => ({ path: i.path.map(String).join("."), code: i.code, message: i.message })),
  );
}

/**
 * Maps anything thrown by a handler to the JSON error body: a store outage is a 503 with
 * Retry-After, a full store a 507; unknown errors are logged (without the statement's parameters)
 * with the request id.
 */
export function toErrorResponse(error: unknown, requestId: string): Response {
  const known = asSyncwatchError(error) ?? asStoreError(error);
  if (known) return errorResponse(known.code, known.message, { details: known.details, headers: known.headers });
  console.error(`[syncwatch] request ${requestId} failed: ${describeForLog(error)}`);
  return errorResponse("INTERNAL_ERROR", "An unexpected error occurred. Quote the request id when you report it.", {
    requestId,
  });
}
