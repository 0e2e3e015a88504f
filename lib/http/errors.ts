/**
 * How errors become answers. `errorAnswer` is the one writer of the JSON error body: route()
 * (through `errorResponse`), the edge (proxy.ts) and the raw HTTP guard (lib/server/http-guard.ts)
 * all send what it writes, with the status of the code → status table.
 */
import type { ZodError } from "zod";
import type { ErrorBody } from "@/lib/api/kit";
import { STATUS_OF_CODE } from "@/lib/api/status-codes";
import { asStoreError, describeForLog } from "@/lib/db/errors";
import { BadRequestError, asSyncwatchError, type ErrorCode } from "@/lib/domain/errors";

export interface ErrorAnswerOptions {
  details?: unknown;
  /** Headers the error implies (Allow, Retry-After, WWW-Authenticate). */
  headers?: Record<string, string>;
  requestId?: string;
}

/** An error answer as plain parts (status, headers, JSON text), for any HTTP layer to send. */
export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function errorAnswer(code: ErrorCode, message: string, opts: ErrorAnswerOptions = {}): ErrorAnswer {
  const body: ErrorBody = { code, message };
  if (opts.details !== undefined) body.details = opts.details;
  if (opts.requestId) body.requestId = opts.requestId;
  return {
    status: STATUS_OF_CODE[code],
    headers: { ...opts.headers, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
    body: JSON.stringify(body),
  };
}

/** The error answer as a fetch Response (route handlers, the edge). */
export function errorResponse(code: ErrorCode, message: string, opts: ErrorAnswerOptions = {}): Response {
  const { status, headers, body } = errorAnswer(code, message, opts);
  return new Response(body, { status, headers });
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
