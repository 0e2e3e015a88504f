/**
 * The one error family (lib/domain/errors.ts), the code → status table (lib/api/status-codes.ts)
 * and how thrown values become JSON answers (lib/http/errors.ts).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { STATUS_OF_CODE } from "@/lib/api/status-codes";
import {
  BadRequestError,
  ConflictError,
  ERROR_CODES,
  GoneError,
  NotFoundError,
  ServiceUnavailableError,
  SyncwatchError,
  TooManyRequestsError,
  activityEnded,
  activityNotFound,
  asSyncwatchError,
} from "@/lib/domain/errors";
import { errorResponse, invalidRequest, toErrorResponse } from "@/lib/http/errors";
import { triggerRunProfile, triggerSchedule } from "@/lib/services/triggers";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("error classes", () => {
  it("carry their code, message, details and implied headers", () => {
    const cases: [SyncwatchError, string][] = [
      [new BadRequestError("bad", [{ path: "x" }]), "BAD_REQUEST"],
      [new NotFoundError("nope", { id: 1 }), "NOT_FOUND"],
      [new ConflictError("clash"), "CONFLICT"],
      [new GoneError("gone"), "GONE"],
      [new ServiceUnavailableError("busy"), "SERVICE_UNAVAILABLE"],
      [new TooManyRequestsError("slow down", 7), "TOO_MANY_REQUESTS"],
    ];
    for (const [e, code] of cases) {
      expect(e).toBeInstanceOf(Error);
      expect(e).toBeInstanceOf(SyncwatchError);
      expect(e.code).toBe(code);
      expect(e.isSyncwatchError).toBe(true);
      expect(e.name).toBe("SyncwatchError");
    }
    expect(new NotFoundError("nope", { id: 1 }).details).toEqual({ id: 1 });
    expect(new ServiceUnavailableError("busy").headers).toBeUndefined();
    expect(new ServiceUnavailableError("busy", undefined, 3).headers).toEqual({ "Retry-After": "3" });
    const tooMany = new TooManyRequestsError("slow down", 7);
    expect(tooMany.headers).toEqual({ "Retry-After": "7" });
    expect(tooMany.details).toEqual({ retryAfterSeconds: 7 });
  });

  it("activityNotFound and activityEnded are the one wording of those answers", () => {
    const nf = activityNotFound("a-1");
    expect(nf).toBeInstanceOf(NotFoundError);
    expect(nf.message).toBe("Activity a-1 does not exist.");
    expect(nf.details).toEqual({ id: "a-1" });
    const ended = activityEnded("a-2", "Complete");
    expect(ended).toBeInstanceOf(ConflictError);
    expect(ended.code).toBe("CONFLICT");
    expect(ended.message).toBe("Activity a-2 has already ended with status Complete.");
    expect(ended.details).toEqual({ activityId: "a-2", status: "Complete" });
  });
});

describe("asSyncwatchError", () => {
  it("recognises its own errors", () => {
    const e = new ConflictError("c");
    expect(asSyncwatchError(e)).toBe(e);
  });

  it("recognises an error made by another copy of the module by its brand", () => {
    // Next may load lib/domain/errors.ts twice: instanceof fails across copies, the brand does not.
    class OtherCopy extends Error {
      readonly isSyncwatchError = true;
      constructor(
        readonly code: string,
        message: string,
      ) {
        super(message);
      }
    }
    const foreign = new OtherCopy("NOT_FOUND", "elsewhere");
    expect(foreign).not.toBeInstanceOf(SyncwatchError);
    expect(asSyncwatchError(foreign)).toBe(foreign);
    const plain = Object.assign(new Error("too big"), { isSyncwatchError: true, code: "PAYLOAD_TOO_LARGE" });
    expect(asSyncwatchError(plain)?.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("refuses everything else: other errors, unknown codes, a brand that is not exactly true, non-objects", () => {
    for (const v of [
      new Error("x"),
      Object.assign(new Error("x"), { isSyncwatchError: true, code: "TEAPOT" }),
      Object.assign(new Error("x"), { isSyncwatchError: "true", code: "NOT_FOUND" }),
      Object.assign(new Error("x"), { isSyncwatchError: true, code: 404 }),
      { code: "NOT_FOUND" },
      null,
      undefined,
      "NOT_FOUND",
      404,
    ])
      expect(asSyncwatchError(v)).toBeNull();
  });
});

describe("STATUS_OF_CODE", () => {
  it("maps every error code, and nothing else, to its own 4xx or 5xx status", () => {
    expect(Object.keys(STATUS_OF_CODE).sort()).toEqual([...ERROR_CODES].sort());
    const statuses = ERROR_CODES.map((c) => STATUS_OF_CODE[c]);
    expect(new Set(statuses).size).toBe(statuses.length);
    for (const s of statuses) expect(s >= 400 && s < 600).toBe(true);
    expect(STATUS_OF_CODE).toMatchObject({
      BAD_REQUEST: 400,
      UNAUTHORISED: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      METHOD_NOT_ALLOWED: 405,
      CONFLICT: 409,
      GONE: 410,
      PAYLOAD_TOO_LARGE: 413,
      UNSUPPORTED_MEDIA_TYPE: 415,
      TOO_MANY_REQUESTS: 429,
      INTERNAL_ERROR: 500,
      SERVICE_UNAVAILABLE: 503,
    });
  });
});

async function answer(e: unknown) {
  const r = toErrorResponse(e, "req-1");
  return { status: r.status, headers: r.headers, body: await r.json() };
}

describe("toErrorResponse", () => {
  it("answers a known error with its status and the JSON error body, never cached", async () => {
    const r = await answer(new NotFoundError("nope", { id: 1 }));
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ code: "NOT_FOUND", message: "nope", details: { id: 1 } });
    expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(r.headers.get("cache-control")).toBe("no-store");
    for (const code of ERROR_CODES)
      expect((await answer(new SyncwatchError(code, "m"))).status, code).toBe(STATUS_OF_CODE[code]);
  });

  it("sends the headers the error implies (Retry-After, Allow)", async () => {
    const busy = await answer(new ServiceUnavailableError("busy", undefined, 2));
    expect(busy.headers.get("retry-after")).toBe("2");
    const slow = await answer(new TooManyRequestsError("slow", 30));
    expect([slow.status, slow.headers.get("retry-after")]).toEqual([429, "30"]);
    const method = await answer(new SyncwatchError("METHOD_NOT_ALLOWED", "no", undefined, { Allow: "GET, POST" }));
    expect([method.status, method.headers.get("allow")]).toEqual([405, "GET, POST"]);
  });

  it("answers an error of another module copy like its own", async () => {
    const foreign = Object.assign(new Error("too big"), { isSyncwatchError: true, code: "PAYLOAD_TOO_LARGE" });
    expect((await answer(foreign)).status).toBe(413);
  });

  it("hides anything unknown behind a 500 with the request id, and logs it", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const r = await answer(new Error("secret internals at /srv/db"));
    expect(r.status).toBe(500);
    expect(r.body.code).toBe("INTERNAL_ERROR");
    expect(r.body.requestId).toBe("req-1");
    expect(JSON.stringify(r.body)).not.toContain("secret internals");
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0][0])).toContain("req-1");
  });

  it("errorResponse leaves details out when there are none", async () => {
    const r = errorResponse("GONE", "purged");
    expect(r.status).toBe(410);
    expect(await r.json()).toEqual({ code: "GONE", message: "purged" });
  });
});

describe("invalidRequest", () => {
  it("lists every zod issue with its path, code and message", () => {
    const parsed = z.strictObject({ a: z.number(), b: z.object({ c: z.string() }) }).safeParse({ a: "x", b: {}, d: 1 });
    expect(parsed.success).toBe(false);
    const e = invalidRequest("body", parsed.error!);
    expect(e).toBeInstanceOf(BadRequestError);
    expect(e.message).toBe("The body is not valid.");
    const details = e.details as { path: string; code: string; message: string }[];
    expect(details.map((d) => d.path).sort()).toEqual(["", "a", "b.c"]);
    expect(details.every((d) => typeof d.code === "string" && d.message.length > 0)).toBe(true);
    expect(invalidRequest("query", parsed.error!).message).toBe("The query is not valid.");
    expect(invalidRequest("path", parsed.error!).message).toBe("A path parameter is not valid.");
  });
});

describe("triggers without an engine", () => {
  it("answer 503 SERVICE_UNAVAILABLE before touching the store", async () => {
    const by = { type: "ApiKey" as const, id: "k", name: "k" };
    for (const p of [triggerRunProfile(1, 1, by), triggerSchedule(1, by)]) {
      const e = await p.catch((x) => x);
      expect(asSyncwatchError(e)?.code).toBe("SERVICE_UNAVAILABLE");
      expect(e.message).toMatch(/SYNCWATCH_ENGINE=off/);
    }
  });
});
