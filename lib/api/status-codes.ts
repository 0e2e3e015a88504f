import type { ErrorCode } from "@/lib/domain/errors";
import { MAX_BODY_BYTES } from "./limits";

/**
 * The one table of error codes as HTTP answers: each code's status, and what it means (the
 * OpenAPI document's description of that answer). A new error code is its line in
 * lib/domain/errors.ts and its line here.
 */
export const ERROR_ANSWERS: Record<ErrorCode, { status: number; meaning: string }> = {
  BAD_REQUEST: { status: 400, meaning: "The path, query or body is not valid (details list each problem)" },
  UNAUTHORISED: { status: 401, meaning: "No valid API key or session" },
  FORBIDDEN: { status: 403, meaning: "The Administrator role is required (or a cross-site request was refused)" },
  NOT_FOUND: { status: 404, meaning: "The resource does not exist" },
  METHOD_NOT_ALLOWED: { status: 405, meaning: "The method is not allowed on this path (Allow lists the allowed ones)" },
  CONFLICT: { status: 409, meaning: "The request conflicts with the current state (e.g. the activity has ended)" },
  GONE: { status: 410, meaning: "The resource was removed on purpose (execution items purged by retention)" },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: `The body is larger than ${MAX_BODY_BYTES} bytes` },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: "The body must be application/json" },
  TOO_MANY_REQUESTS: {
    status: 429,
    meaning:
      "Too many failed authentication attempts from this client or with this key prefix (a valid key is still accepted): wait Retry-After seconds",
  },
  INTERNAL_ERROR: { status: 500, meaning: "An unexpected error; the body carries a requestId to quote" },
  SERVICE_UNAVAILABLE: {
    status: 503,
    meaning:
      "Not available now (engine switched off, the server is shedding load, or the store is not reachable): see Retry-After",
  },
  INSUFFICIENT_STORAGE: {
    status: 507,
    meaning: "The store has no room for the write (its disk is full); reads still work",
  },
};

/** The HTTP status of each error code. */
export const STATUS_OF_CODE = Object.fromEntries(
  Object.entries(ERROR_ANSWERS).map(([code, { status }]) => [code, status]),
) as Record<ErrorCode, number>;
