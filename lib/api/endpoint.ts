/**
 * What an /api/v1 endpoint is: method, path, who may call it, its path parameters, query, body,
 * response and error codes. Each resource module (./activities, ./items, ...) declares its own;
 * ./endpoints gathers them. Browser-safe.
 */
import type { z } from "zod";
import type { ErrorCode } from "@/lib/domain/errors";

export type Access = "public" | "read" | "admin";
export type Method = "GET" | "POST" | "PATCH" | "DELETE";
export type Tag =
  | "Activities"
  | "Progress"
  | "Execution items"
  | "Schedule executions"
  | "Operations"
  | "Failures"
  | "Saved views"
  | "Webhooks"
  | "Configuration"
  | "Authentication"
  | "API keys"
  | "Meta";

export interface Endpoint<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType | undefined = z.ZodType | undefined,
> {
  id: string;
  method: Method;
  /** OpenAPI path template below /api/v1, e.g. "/activities/{id}". */
  path: string;
  tag: Tag;
  summary: string;
  description?: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** An empty body counts as {} (cancel, triggers). */
  bodyOptional?: boolean;
  response: {
    status: 200 | 201 | 202 | 204;
    schema?: R;
    description: string;
    /** JSON unless said otherwise. */
    contentType?: "text/csv" | "text/event-stream";
  };
  /** Other successful answers (a trigger that returns an existing queued run answers 200). */
  alsoOk?: { status: 200; description: string }[];
  /**
   * The error codes this endpoint answers besides the ones its shape implies (impliedErrors): 409,
   * 410, and 401/403/429 on a public endpoint that checks credentials itself.
   */
  errors?: ErrorCode[];
  /** Answers with an ETag and 304 to If-None-Match. */
  conditional?: boolean;
  /** Accepts ?wait= (long poll) with If-None-Match. */
  longPoll?: boolean;
  /** Accepts an Idempotency-Key header. */
  idempotent?: boolean;
  /**
   * Kept for clients of an earlier release, answered as before with Deprecation, Sunset and a
   * successor Link (RFC 9745, RFC 8594, RFC 8288); removed no earlier than `sunset`.
   */
  deprecated?: { since: string; sunset: string; successor: string };
}

/**
 * The error codes every endpoint of this shape may answer: any endpoint 405/500/503; with a caller
 * 401/429; writes and admin reads 403; writes 507; validated input 400; a path parameter 404 (the
 * resource it names is gone); a body 413 and 415.
 */
export function impliedErrors(e: Endpoint): ErrorCode[] {
  const codes: ErrorCode[] = ["METHOD_NOT_ALLOWED", "INTERNAL_ERROR", "SERVICE_UNAVAILABLE"];
  if (e.access !== "public") codes.push("UNAUTHORISED", "TOO_MANY_REQUESTS");
  if (e.access === "admin" || (e.method !== "GET" && e.access !== "public")) codes.push("FORBIDDEN");
  if (e.method !== "GET") codes.push("INSUFFICIENT_STORAGE");
  if (e.params || e.query || e.body) codes.push("BAD_REQUEST");
  if (e.params) codes.push("NOT_FOUND");
  if (e.body) codes.push("PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE");
  return codes;
}

export const endpoint = <
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType | undefined,
>(
  e: Endpoint<P, Q, B, R>,
) => e;
