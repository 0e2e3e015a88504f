/**
 * The one error family (lib/domain/errors.ts), the code → status table (lib/api/status-codes.ts)
 * and how thrown values become JSON answers: the one writer (lib/http/errors.ts) and the layers
 * that send what it writes (route(), the edge in proxy.ts, the raw HTTP guard).
 */
import http from "node:http";
import net from "node:net";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ERROR_ANSWERS, STATUS_OF_CODE } from "@/lib/api/status-codes";
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
import { errorAnswer, errorResponse, invalidRequest, toErrorResponse } from "@/lib/http/errors";
import { guardHttpServers } from "@/lib/server/http-guard";
import { triggerRunProfile, triggerSchedule } from "@/lib/services/triggers";
import { proxy } from "@/proxy";

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

  it("says what each code means (the OpenAPI description of the answer)", () => {
    for (const code of ERROR_CODES) expect(ERROR_ANSWERS[code].meaning.length, code).toBeGreaterThan(10);
  });
});

describe("errorAnswer (the one writer of error bodies)", () => {
  it("writes the code's status, the JSON body and the headers every error answer has", () => {
    expect(errorAnswer("NOT_FOUND", "nope")).toEqual({
      status: 404,
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
      body: '{"code":"NOT_FOUND","message":"nope"}',
    });
  });

  it("adds details and the request id in that order, and the headers the error implies", () => {
    const a = errorAnswer("INTERNAL_ERROR", "boom", {
      details: { x: 1 },
      requestId: "r-1",
      headers: { "Retry-After": "2" },
    });
    expect(a.status).toBe(500);
    expect(a.body).toBe('{"code":"INTERNAL_ERROR","message":"boom","details":{"x":1},"requestId":"r-1"}');
    expect(a.headers).toEqual({
      "Retry-After": "2",
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-store",
    });
  });

  it("keeps details that are falsy but present, and leaves out an empty request id", () => {
    expect(JSON.parse(errorAnswer("BAD_REQUEST", "m", { details: 0, requestId: "" }).body)).toEqual({
      code: "BAD_REQUEST",
      message: "m",
      details: 0,
    });
  });

  it("never lets an implied header change the content type or caching", () => {
    const a = errorAnswer("CONFLICT", "m", {
      headers: { "Content-Type": "text/plain", "Cache-Control": "max-age=60" },
    });
    expect(a.headers["Content-Type"]).toBe("application/json; charset=utf-8");
    expect(a.headers["Cache-Control"]).toBe("no-store");
  });

  it("errorResponse sends exactly what errorAnswer writes", async () => {
    const r = errorResponse("METHOD_NOT_ALLOWED", "no", { headers: { Allow: "GET" } });
    const a = errorAnswer("METHOD_NOT_ALLOWED", "no", { headers: { Allow: "GET" } });
    expect(r.status).toBe(a.status);
    expect(await r.text()).toBe(a.body);
    expect(Object.fromEntries(r.headers)).toEqual(
      Object.fromEntries(Object.entries(a.headers).map(([k, v]) => [k.toLowerCase(), v])),
    );
  });
});

describe("the edge (proxy.ts) answers unknown paths and methods through the writer", () => {
  const edge = async (method: string, path: string) => {
    const r = proxy(new NextRequest(`http://localhost${path}`, { method }));
    return { status: r.status, headers: r.headers, text: await r.text() };
  };

  it("404 for a path no endpoint has", async () => {
    const r = await edge("GET", "/api/v1/nothing-here");
    expect(r.status).toBe(404);
    expect(r.text).toBe(
      errorAnswer("NOT_FOUND", "No API endpoint at /api/v1/nothing-here. See /api/v1/openapi.json.").body,
    );
    expect(r.headers.get("cache-control")).toBe("no-store");
  });

  it("405 with Allow for a method the path does not take", async () => {
    const r = await edge("DELETE", "/api/v1/activities");
    expect(r.status).toBe(405);
    expect(JSON.parse(r.text).code).toBe("METHOD_NOT_ALLOWED");
    expect(r.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
  });

  it("400 for malformed %-encoding in an API path", async () => {
    const r = await edge("GET", "/api/v1/activities/%E0%A4%A");
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toEqual({
      code: "BAD_REQUEST",
      message: "The path is not valid: it contains malformed %-encoding.",
    });
  });
});

describe("the raw HTTP guard (lib/server/http-guard.ts) answers through the writer", () => {
  /** Sends raw bytes to a guarded server and returns the raw answer. */
  async function raw(text: string): Promise<string> {
    const server = http.createServer((_req, res) => res.end("reached the handler"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      expect(guardHttpServers()).toBeGreaterThanOrEqual(1);
      const { port } = server.address() as net.AddressInfo;
      return await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, "127.0.0.1", () => socket.end(text));
        let out = "";
        socket.on("data", (d) => (out += d.toString()));
        socket.on("end", () => resolve(out));
        socket.on("error", reject);
      });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }
  const split = (answer: string) => {
    const [head, body] = answer.split("\r\n\r\n");
    const [statusLine, ...lines] = head.split("\r\n");
    return {
      statusLine,
      headers: Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 2)]),
      ),
      body,
    };
  };

  it("405 JSON with Allow for TRACE", async () => {
    const a = split(await raw("TRACE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    const expected = errorAnswer("METHOD_NOT_ALLOWED", "TRACE is not allowed.");
    expect(a.statusLine).toBe("HTTP/1.1 405 Method Not Allowed");
    expect(a.body).toBe(expected.body);
    expect(a.headers).toMatchObject({
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "content-length": String(expected.body.length),
      allow: "GET, HEAD, POST, PATCH, DELETE, OPTIONS",
    });
  });

  it("400 JSON for a request Node's parser refuses", async () => {
    const a = split(await raw("FOO / HTTP/1.1\r\nHost: x\r\n\r\n"));
    const expected = errorAnswer("BAD_REQUEST", "The request could not be parsed (unknown method or malformed HTTP).");
    expect(a.statusLine).toBe("HTTP/1.1 400 Bad Request");
    expect(a.body).toBe(expected.body);
    expect(a.headers).toMatchObject({
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "content-length": String(expected.body.length),
      connection: "close",
    });
  });

  it("lets every other request through to Next's handler", async () => {
    expect(await raw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).toContain("reached the handler");
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
