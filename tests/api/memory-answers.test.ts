/**
 * Answers from memory (lib/http/memory-answers.ts): a watchable GET whose answer is in memory is
 * answered before Next's pipeline, with the same status, bytes, ETag and headers the route sends,
 * and everything the route would refuse is still refused by the route. Server-Timing names which
 * answered: `memory` or `app` (the route).
 */
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, BASE_URL, api, createRun, expectError, get, post, unique } from "./helpers";

const SECURITY_HEADERS = [
  "x-content-type-options",
  "referrer-policy",
  "x-frame-options",
  "permissions-policy",
  "cross-origin-opener-policy",
];

function rawGet(path: string, headers: Record<string, string>) {
  return new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(`${BASE_URL}/api/v1${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

const answeredBy = (headers: Headers) => headers.get("server-timing")?.split(";")[0];

let runId: string;
let readOnlyKey: string;

beforeAll(async () => {
  runId = (await createRun(unique("memory"), { objectsToProcess: 100 })).id;
  expect((await post(`/activities/${runId}/progress`, { objectsProcessed: 10 })).status).toBe(200);
  const r = await post("/api-keys", { name: unique("memory-reader"), role: "ReadOnly" });
  expect(r.status).toBe(201);
  readOnlyKey = r.body.secret;
});

describe("answers from memory", () => {
  it("sends a repeated GET the route's bytes, ETag and headers", async () => {
    const path = `/activities/${runId}/snapshot`;
    const first = await get(path);
    const second = await get(path);
    expect(first.status).toBe(200);
    expect(answeredBy(first.headers)).toBe("app");
    expect(second.status).toBe(200);
    expect(answeredBy(second.headers)).toBe("memory");
    expect(second.text).toBe(first.text);
    for (const h of ["etag", "cache-control", "content-type", ...SECURITY_HEADERS])
      expect([h, second.headers.get(h)]).toEqual([h, first.headers.get(h)]);
    expect(second.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
  });

  it("answers If-None-Match with 304, and compresses a large body only for a client that asks", async () => {
    const path = "/activities?pageSize=50&topLevelOnly=false";
    const plain = await get(path);
    const notModified = await get(path, undefined, { "If-None-Match": plain.headers.get("etag")! });
    expect(notModified.status).toBe(304);
    expect(answeredBy(notModified.headers)).toBe("memory");
    expect(notModified.headers.get("etag")).toBe(plain.headers.get("etag"));
    expect(notModified.text).toBe("");

    // node:http, not fetch: the bytes as sent, not decompressed
    const gz = await rawGet(path, { "X-Api-Key": ADMIN_KEY, "Accept-Encoding": "gzip" });
    expect(gz.headers["server-timing"]).toMatch(/^memory;/);
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers.vary).toContain("Accept-Encoding");
    expect(Number(gz.headers["content-length"])).toBe(gz.body.length);
    expect(gunzipSync(gz.body).toString("utf8")).toBe(plain.text);
  });

  it("leaves to the route everything it refuses", async () => {
    const stats = `/activities/${runId}/stats`;
    expect((await get(stats)).status).toBe(200);
    expect(answeredBy((await get(stats)).headers)).toBe("memory");

    // the answer is in memory, yet each of these is refused as the route refuses it
    const noKey = await get(stats, null);
    expectError(noKey, 401, "UNAUTHORISED");
    expect(noKey.headers.get("www-authenticate")).toContain("X-Api-Key");
    expectError(await get(stats, "sw_not_a_key"), 401, "UNAUTHORISED");
    expectError(await get(stats, readOnlyKey), 403, "FORBIDDEN");
    expectError(await get(`/activities/${runId}/snapshot?samplesAfter=soon`), 400, "BAD_REQUEST");
    expectError(await get(`/activities/not-a-uuid/snapshot`), 400, "BAD_REQUEST");

    // a key revoked after it was served from memory is refused at once
    const k = await post("/api-keys", { name: unique("memory-revoked"), role: "Administrator" });
    expect(answeredBy((await get(stats, k.body.secret)).headers)).toBe("memory");
    expect((await api("DELETE", `/api-keys/${k.body.id}`)).status).toBe(200);
    expectError(await get(stats, k.body.secret), 401, "UNAUTHORISED");
  });

  it("holds a long poll in memory and answers it when the activity changes", async () => {
    const path = `/activities/${runId}/snapshot`;
    const before = await get(path);
    const etag = before.headers.get("etag")!;
    const started = Date.now();
    const held = get(`${path}?wait=20`, undefined, { "If-None-Match": etag });
    await new Promise((r) => setTimeout(r, 300));
    expect((await post(`/activities/${runId}/progress`, { objectsProcessed: 20 })).status).toBe(200);
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(answeredBy(answer.headers)).toBe("memory");
    expect(answer.headers.get("etag")).not.toBe(etag);
    expect(answer.body.progress.objectsProcessed).toBe(20);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("answers a long poll 304 when nothing changes within the wait", async () => {
    const path = `/activities/${runId}/progress`;
    const etag = (await get(path)).headers.get("etag")!;
    const started = Date.now();
    const r = await get(`${path}?wait=1`, undefined, { "If-None-Match": etag });
    expect(r.status).toBe(304);
    expect(r.headers.get("etag")).toBe(etag);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
