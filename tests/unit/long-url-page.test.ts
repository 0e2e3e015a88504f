import { describe, expect, it } from "vitest";
import { isLongPageAddress, LONG_REQUEST_LINE, longUrlPage, refusedRequestTarget } from "@/lib/server/long-url-page";

describe("a request head the HTTP parser refused", () => {
  it("names the target of an over-long request line, with the line's length", () => {
    const long = `GET /?search=${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n`;
    const r = refusedRequestTarget(Buffer.from(long, "latin1"));
    expect(r?.target.startsWith("/?search=aaa")).toBe(true);
    expect(r!.lineLength).toBeGreaterThan(LONG_REQUEST_LINE);
  });

  it("says the line is endless when the packet ends inside it, and tells API paths apart", () => {
    const api = Buffer.from(`GET /api/v1/activities?search=${"b".repeat(30_000)}`, "latin1");
    expect(refusedRequestTarget(api)).toEqual({
      target: expect.stringMatching(/^\/api\/v1\/activities/),
      lineLength: Infinity,
    });
    expect(isLongPageAddress(api)).toBe(false);
    expect(isLongPageAddress(Buffer.from(`GET /failures?x=${"b".repeat(30_000)}`, "latin1"))).toBe(true);
  });

  it("a short request line (a header was too big instead) and a packet that is not HTTP", () => {
    const r = refusedRequestTarget(Buffer.from(`GET /operations HTTP/1.1\r\nCookie: ${"c".repeat(20_000)}`));
    expect(r?.lineLength).toBeLessThan(LONG_REQUEST_LINE);
    expect(isLongPageAddress(Buffer.from(`GET /operations HTTP/1.1\r\nCookie: ${"c".repeat(20_000)}`))).toBe(false);
    expect(refusedRequestTarget(Buffer.from("\u0000\u0001garbage"))).toBeNull();
    expect(refusedRequestTarget(undefined)).toBeNull();
  });

  it("the page for people is HTML without scripts, with its length and the way back", () => {
    const p = longUrlPage();
    expect(p.status).toBe(414);
    expect(p.headers["Content-Type"]).toContain("text/html");
    expect(p.body).toContain('<a href="/">Back to activities</a>');
    expect(p.body).not.toMatch(/<script/i);
  });
});
