/**
 * Limits of failed authentication (lib/http/rate-limit.ts) and the client address they count
 * against (lib/http/client-address.ts): the socket's peer, X-Forwarded-For only from trusted
 * proxies, never a valid key refused, the IETF draft's RateLimit fields.
 */
import type { IncomingMessage } from "node:http";
import { beforeEach, describe, expect, it } from "vitest";
import {
  clientAddress,
  clientBucket,
  normaliseAddress,
  parseRange,
  peerAddress,
  reachedOverHttps,
  stampPeer,
  type AddressRange,
} from "@/lib/http/client-address";
import { FAILURES_PER_CLIENT, FAILURES_PER_KEY_PREFIX, failedAttempt, resetAttempts } from "@/lib/http/rate-limit";

/** A request as the stamping HTTP server hands it on: from `peer`, with the headers the client sent. */
function from(peer: string, headers: Record<string, string> = {}): Request {
  const incoming = { headers: { ...headers }, socket: { remoteAddress: peer } } as unknown as IncomingMessage;
  stampPeer(incoming);
  return new Request("http://localhost/api/v1/activities", { headers: incoming.headers as Record<string, string> });
}
const ranges = (...r: string[]) => r.map((x) => parseRange(x)!) as AddressRange[];

describe("client address", () => {
  it("is the socket's peer; a client's own X-Forwarded-For is ignored without trusted proxies", () => {
    expect(clientAddress(from("203.0.113.7"), [])).toBe("203.0.113.7");
    expect(clientAddress(from("203.0.113.7", { "x-forwarded-for": "198.51.100.1" }), [])).toBe("203.0.113.7");
    expect(clientAddress(from("::ffff:203.0.113.7"), [])).toBe("203.0.113.7");
  });

  it("cannot be forged with the stamp header itself, nor without the stamping server", () => {
    const forged = new Request("http://localhost/", { headers: { "x-syncwatch-peer": "anything 198.51.100.1" } });
    expect(peerAddress(forged)).toBeNull();
    expect(clientAddress(forged, [])).toBe("unknown");
    // The server overwrites whatever the client sent under that name.
    expect(clientAddress(from("203.0.113.7", { "x-syncwatch-peer": "x 198.51.100.1" }), [])).toBe("203.0.113.7");
  });

  it("behind trusted proxies: the right-most hop that is not a trusted proxy", () => {
    const proxies = ranges("10.0.0.0/8", "127.0.0.1");
    const r = (xff: string) => clientAddress(from("10.1.2.3", { "x-forwarded-for": xff }), proxies);
    expect(r("198.51.100.1")).toBe("198.51.100.1");
    // A client prepending addresses cannot choose its own: the proxy appended the real one.
    expect(r("1.2.3.4, 198.51.100.1")).toBe("198.51.100.1");
    expect(r("1.2.3.4, 198.51.100.1, 10.9.9.9")).toBe("198.51.100.1");
    expect(r("garbage, 198.51.100.1")).toBe("198.51.100.1");
    expect(r("10.0.0.5, 10.0.0.6")).toBe("10.0.0.5");
    expect(clientAddress(from("10.1.2.3"), proxies)).toBe("10.1.2.3");
    // An untrusted peer's header is not read at all.
    expect(clientAddress(from("192.0.2.9", { "x-forwarded-for": "198.51.100.1" }), proxies)).toBe("192.0.2.9");
  });

  it("parses addresses and ranges, IPv4 and IPv6, and counts IPv6 clients per /64", () => {
    expect(normaliseAddress("::1")).toBe("0000:0000:0000:0000:0000:0000:0000:0001");
    expect(normaliseAddress("[2001:DB8::1]:443")).toBe("2001:0db8:0000:0000:0000:0000:0000:0001");
    expect(normaliseAddress("203.0.113.7:5123")).toBe("203.0.113.7");
    expect(normaliseAddress("not an address")).toBeNull();
    expect(clientAddress(from("2001:db8::5", { "x-forwarded-for": "2001:db8:1:2::77" }), ranges("2001:db8::/64"))).toBe(
      "2001:0db8:0001:0002:0000:0000:0000:0077",
    );
    expect(clientBucket("2001:0db8:0001:0002:0000:0000:0000:0077")).toBe("2001:0db8:0001:0002::/64");
    expect(clientBucket("203.0.113.7")).toBe("203.0.113.7");
    for (const bad of ["10.0.0.0/33", "::/129", "10.0.0.0/8/1", "example.com", "10.0.0.0/x"])
      expect(parseRange(bad), bad).toBeNull();
  });

  it("the session cookie is Secure by an https public URL or a trusted proxy's X-Forwarded-Proto, not the client's", () => {
    const https = { "x-forwarded-proto": "https" };
    expect(reachedOverHttps(from("203.0.113.7", https), null, [])).toBe(false);
    expect(reachedOverHttps(from("203.0.113.7"), "https://dash.example.com", [])).toBe(true);
    expect(reachedOverHttps(from("203.0.113.7", https), "http://dash.example.com", [])).toBe(false);
    expect(reachedOverHttps(from("10.0.0.1", https), null, ranges("10.0.0.0/8"))).toBe(true);
    expect(reachedOverHttps(from("10.0.0.1"), null, ranges("10.0.0.0/8"))).toBe(false);
  });
});

describe("failed authentication", () => {
  beforeEach(() => resetAttempts());
  const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
  const unauthorised = { message: "Authentication required." };
  const fail = (client: string, prefix: string | null, at = T0) => failedAttempt({ client, prefix }, unauthorised, at);

  it("answers 401 with the remaining quota, then 429 with Retry-After and the RateLimit fields", () => {
    for (let i = 1; i <= FAILURES_PER_CLIENT; i++) {
      const e = fail("10.0.0.1", null, T0 + i);
      expect(e.code).toBe("UNAUTHORISED");
      expect(e.headers?.RateLimit).toBe(`"failed-auth-client";r=${FAILURES_PER_CLIENT - i};t=60`);
      expect(e.headers?.["RateLimit-Policy"]).toBe(
        `"failed-auth-client";q=${FAILURES_PER_CLIENT};w=60, "failed-auth-key";q=${FAILURES_PER_KEY_PREFIX};w=60`,
      );
    }
    const e = fail("10.0.0.1", null, T0 + 15_500);
    expect(e.code).toBe("TOO_MANY_REQUESTS");
    expect(e.headers?.["Retry-After"]).toBe("45");
    expect(e.headers?.RateLimit).toBe(`"failed-auth-client";r=0;t=45`);
    expect(e.details).toEqual({ retryAfterSeconds: 45 });
    expect(e.message).toMatch(/from this client.*valid key is accepted/);
    // Another client is not affected; a new window starts after a minute.
    expect(fail("10.0.0.2", null, T0 + 15_500).code).toBe("UNAUTHORISED");
    expect(fail("10.0.0.1", null, T0 + 60_001).code).toBe("UNAUTHORISED");
  });

  it("counts one key prefix guessed from many clients", () => {
    for (let c = 0; c < FAILURES_PER_KEY_PREFIX; c++)
      expect(fail(`10.0.${c}.1`, "sw_AbCdEfG").code).toBe("UNAUTHORISED");
    const e = fail("10.0.99.1", "sw_AbCdEfG");
    expect(e.code).toBe("TOO_MANY_REQUESTS");
    expect(e.message).toMatch(/with this key prefix/);
    expect(fail("10.0.99.1", "sw_Other00").code).toBe("UNAUTHORISED");
  });

  it("keeps no total: many clients each under their quota never make a stranger's attempt a 429", () => {
    for (let c = 0; c < 500; c++) for (let i = 0; i < 5; i++) fail(`10.1.${c % 250}.${c}`, `sw_${c}`);
    expect(fail("192.168.1.1", "sw_fresh00").code).toBe("UNAUTHORISED");
  });

  it("stays bounded in memory when addresses are rotated", () => {
    for (let c = 0; c < 25_000; c++) fail(`10.${c >> 16}.${(c >> 8) & 255}.${c & 255}`, null);
    expect(fail("10.0.0.0", null).code).toBe("UNAUTHORISED"); // evicted long ago: counts from one again
  });
});
