/**
 * The pure parts of webhooks: the retry schedule (exponential, capped, jittered, giving up), what
 * counts as delivered, the signature (Stripe/GitHub style, checked with a timestamp tolerance), and
 * a saved view's query read as the activity list's filter.
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_MS, isDelivered, nextAttemptAt, retryDelayMs } from "@/lib/domain/webhooks";
import {
  SECRET_PREFIX,
  generateWebhookSecret,
  secretPrefixOf,
  signatureHeader,
  verifySignature,
} from "@/lib/services/webhook-signature";
import { activityFilterOfView } from "@/lib/services/view-filter";

describe("retry schedule", () => {
  it("doubles from the first delay, capped at an hour, with ±20 % jitter", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20, 30_000)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(1, 30_000, 0)).toBe(24_000);
    expect(retryDelayMs(1, 30_000, 0.999999)).toBeCloseTo(36_000, -1);
  });

  it("gives up after the attempts allowed", () => {
    const opts = { now: 0, firstDelayMs: 1000, maxAttempts: 4 };
    expect(nextAttemptAt(1, opts)?.getTime()).toBe(1000);
    expect(nextAttemptAt(3, opts)?.getTime()).toBe(4000);
    expect(nextAttemptAt(4, opts)).toBeNull();
  });

  it("counts only 2xx as delivered (a redirect is not followed)", () => {
    expect([200, 201, 204, 299].every(isDelivered)).toBe(true);
    expect([null, 199, 301, 302, 400, 410, 500, 503].some(isDelivered)).toBe(false);
  });
});

describe("signature", () => {
  const secret = generateWebhookSecret();
  const body = JSON.stringify({ event: "run.failed", n: 1 });
  const t = 1_800_000_000;

  it("is t=<seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>, as a receiver recomputes it", () => {
    const header = signatureHeader(secret, body, t);
    const mac = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    expect(header).toBe(`t=${t},v1=${mac}`);
    expect(verifySignature(secret, body, header, t)).toBe(true);
  });

  it("refuses another secret, a changed body, a stale or future timestamp, and garbage", () => {
    const header = signatureHeader(secret, body, t);
    expect(verifySignature(generateWebhookSecret(), body, header, t)).toBe(false);
    expect(verifySignature(secret, body.replace("1", "2"), header, t)).toBe(false);
    expect(verifySignature(secret, body, header, t + 301)).toBe(false);
    expect(verifySignature(secret, body, header, t - 301)).toBe(false);
    expect(verifySignature(secret, body, header, t + 299)).toBe(true);
    for (const bad of [null, "", "v1=abc", `t=${t}`, `t=x,v1=${"0".repeat(64)}`, `t=${t},v1=zz`])
      expect(verifySignature(secret, body, bad, t)).toBe(false);
  });

  it("accepts any of several v1 signatures (while a receiver rolls secrets)", () => {
    const other = signatureHeader(generateWebhookSecret(), body, t).split(",")[1];
    expect(verifySignature(secret, body, `${signatureHeader(secret, body, t)},${other}`, t)).toBe(true);
  });

  it("generates long random secrets, recognised by a short prefix", () => {
    const a = generateWebhookSecret();
    expect(a.startsWith(SECRET_PREFIX)).toBe(true);
    expect(a.length).toBeGreaterThanOrEqual(SECRET_PREFIX.length + 40);
    expect(a).not.toBe(generateWebhookSecret());
    expect(secretPrefixOf(a)).toHaveLength(SECRET_PREFIX.length + 6);
  });
});

describe("a saved view's query as the list's filter", () => {
  const now = Date.parse("2026-12-06T12:00:00Z");

  it("reads the list's URL: comma lists, booleans, ids; ignores order and paging", () => {
    const f = activityFilterOfView(
      "status=FailedWithError,CompleteWithError&connectedSystemId=3&topLevelOnly=false&hasErrors=true&sort=name&page=4",
      now,
    );
    expect(f).toEqual({
      filter: {
        status: ["FailedWithError", "CompleteWithError"],
        connectedSystemId: 3,
        topLevelOnly: false,
        hasErrors: true,
      },
    });
  });

  it("resolves a relative range against the moment of matching, and keeps a custom one", () => {
    expect(activityFilterOfView("range=24h&from=2020-01-01T00:00:00Z", now)).toEqual({
      filter: { from: "2026-12-05T12:00:00.000Z", topLevelOnly: true },
    });
    expect(activityFilterOfView("range=custom&from=2026-12-01T00:00:00.000Z", now)).toEqual({
      filter: { from: "2026-12-01T00:00:00.000Z", topLevelOnly: true },
    });
  });

  it("includes steps as the list does when the view does not say (and follows it when it does)", () => {
    expect(activityFilterOfView("runProfileId=4", now)).toEqual({ filter: { runProfileId: 4, topLevelOnly: false } });
    expect(activityFilterOfView("status=FailedWithError", now)).toEqual({
      filter: { status: ["FailedWithError"], topLevelOnly: false },
    });
    expect(activityFilterOfView("runProfileId=4&topLevelOnly=true", now)).toEqual({
      filter: { runProfileId: 4, topLevelOnly: true },
    });
    expect(activityFilterOfView("search=HR", now)).toEqual({ filter: { search: "HR", topLevelOnly: true } });
  });

  it("says what is wrong with a query the list would refuse", () => {
    const f = activityFilterOfView("status=Exploded", now);
    expect(f).toHaveProperty("problem");
    expect((f as { problem: string }).problem).toContain("status");
  });
});
