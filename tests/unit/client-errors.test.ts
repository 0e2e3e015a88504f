/**
 * Errors as the dashboard sees them (lib/client/http.ts): every failure is an ApiError with a
 * code, checked with ApiError.is; and the one retry policy (lib/client/retry.ts).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { endpoints } from "@/lib/client/endpoints";
import { STATUS_OF_CODE } from "@/lib/api/status-codes";
import { ERROR_CODES } from "@/lib/domain/errors";
import { errorResponse } from "@/lib/http/errors";
import { ApiError, describeError, request } from "@/lib/client/http";
import { MAX_RETRY_AFTER_MS, QUERY_RETRIES, RETRY_DELAYS_MS, isTransient, nextRetry } from "@/lib/client/retry";

afterEach(() => {
  vi.unstubAllGlobals();
});

/** What request() throws when the server answers `res` (or fetch itself fails). */
async function failureOf(res: Response | Error): Promise<ApiError> {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => {
      if (res instanceof Error) throw res;
      return res;
    }),
  );
  const e = await request(endpoints.getActivity, { params: { id: "x" } }).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe("ApiError.is", () => {
  const notFound = new ApiError(404, "NOT_FOUND", "nope");

  it("without codes: any ApiError, and nothing else", () => {
    expect(ApiError.is(notFound)).toBe(true);
    for (const v of [new Error("x"), { code: "NOT_FOUND" }, null, undefined, "NOT_FOUND"])
      expect(ApiError.is(v)).toBe(false);
  });

  it("with codes: an ApiError carrying one of them", () => {
    expect(ApiError.is(notFound, "NOT_FOUND")).toBe(true);
    expect(ApiError.is(notFound, "BAD_REQUEST", "NOT_FOUND")).toBe(true);
    expect(ApiError.is(notFound, "GONE")).toBe(false);
    expect(ApiError.is(Object.assign(new Error("x"), { code: "NOT_FOUND" }), "NOT_FOUND")).toBe(false);
  });
});

describe("what request() throws", () => {
  it("the contract's error body: its code, message, details and request id", async () => {
    const e = await failureOf(errorResponse("GONE", "purged", { details: { keepItemRuns: 3 }, requestId: "r-9" }));
    expect([e.status, e.code, e.message, e.details, e.requestId]).toEqual([
      410,
      "GONE",
      "purged",
      { keepItemRuns: 3 },
      "r-9",
    ]);
    expect(ApiError.is(e, "GONE")).toBe(true);
    expect(describeError(e)).toBe("purged (410 GONE — request r-9)");
  });

  it("Retry-After, in milliseconds", async () => {
    const e = await failureOf(errorResponse("SERVICE_UNAVAILABLE", "busy", { headers: { "Retry-After": "3" } }));
    expect(e.retryAfterMs).toBe(3000);
    expect((await failureOf(errorResponse("SERVICE_UNAVAILABLE", "busy"))).retryAfterMs).toBeUndefined();
  });

  it("an answer without the error body: the code of its status, or HTTP_<status>", async () => {
    const bare404 = await failureOf(new Response("<html>not here</html>", { status: 404, statusText: "Not Found" }));
    expect([bare404.code, bare404.message]).toEqual(["NOT_FOUND", "Not Found"]);
    const gateway = await failureOf(new Response("", { status: 502 }));
    expect([gateway.code, gateway.message]).toEqual(["HTTP_502", "Request failed with status 502"]);
    for (const code of ERROR_CODES)
      expect((await failureOf(new Response("x", { status: STATUS_OF_CODE[code] }))).code).toBe(code);
    // JSON that is not the contract's error body is read as no body: a code the contract does not
    // have, no message, a request id that is not text, an array
    for (const body of [
      { code: "TEAPOT", message: "short and stout" },
      { code: "NOT_FOUND" },
      { code: "NOT_FOUND", message: "gone", requestId: 7 },
      [{ code: "NOT_FOUND", message: "gone" }],
    ]) {
      const e = await failureOf(Response.json(body, { status: 409, statusText: "Conflict" }));
      expect([e.code, e.message, e.requestId]).toEqual(["CONFLICT", "Conflict", undefined]);
    }
  });

  it("no answer at all: NETWORK", async () => {
    const e = await failureOf(new TypeError("fetch failed"));
    expect([e.status, e.code]).toEqual([0, "NETWORK"]);
    expect(describeError(e)).toBe("The Syncwatch server could not be reached");
  });
});

describe("the retry policy", () => {
  const err = (code: ApiError["code"], retryAfterMs?: number) =>
    new ApiError(0, code, code, undefined, undefined, retryAfterMs);

  it("retries what failed on the way or on the server's side; a refusal (4xx) or a full store is final", () => {
    expect(ERROR_CODES.filter((code) => isTransient(err(code)))).toEqual(["INTERNAL_ERROR", "SERVICE_UNAVAILABLE"]);
    for (const code of ERROR_CODES) if (STATUS_OF_CODE[code] < 500) expect(isTransient(err(code)), code).toBe(false);
    expect(isTransient(err("NETWORK"))).toBe(true);
    expect(isTransient(err("HTTP_502"))).toBe(true);
    expect(isTransient(err("HTTP_418"))).toBe(false);
    expect(isTransient(new Error("body cut short"))).toBe(true);
  });

  it("backs off 1, 2, 5, 10, then every 30 s", () => {
    const delays = [0, 1, 2, 3, 4, 5, 9].map((n) => nextRetry(err("NETWORK"), n));
    expect(delays).toEqual([1_000, 2_000, 5_000, 10_000, 30_000, 30_000, 30_000]);
    expect(RETRY_DELAYS_MS.at(-1)).toBe(30_000);
  });

  it("waits at least what Retry-After asked, up to a minute", () => {
    expect(nextRetry(err("SERVICE_UNAVAILABLE", 7_000), 0)).toBe(7_000);
    expect(nextRetry(err("SERVICE_UNAVAILABLE", 500), 3)).toBe(10_000);
    expect(nextRetry(err("SERVICE_UNAVAILABLE", 3_600_000), 0)).toBe(MAX_RETRY_AFTER_MS);
  });

  it("gives up on a final answer at once, and after maxRetries retries", () => {
    expect(nextRetry(err("NOT_FOUND"), 0)).toBeNull();
    expect(nextRetry(err("UNAUTHORISED"), 0)).toBeNull();
    expect(nextRetry(err("INTERNAL_ERROR"), QUERY_RETRIES - 1, QUERY_RETRIES)).not.toBeNull();
    expect(nextRetry(err("INTERNAL_ERROR"), QUERY_RETRIES, QUERY_RETRIES)).toBeNull();
    expect(nextRetry(err("INTERNAL_ERROR"), 1_000)).toBe(30_000);
  });
});
