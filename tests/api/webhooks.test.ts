/**
 * Webhooks of saved views over real HTTP, with a receiver of our own in the test: a run matching
 * a view that fails is POSTed once, signed (the test checks the HMAC itself, as a receiver would),
 * retried with backoff after 500 and 503 until 200, logged, never duplicated, redelivered on
 * request, given up after the attempts allowed; the secret is shown once and never again; only
 * administrators configure webhooks; matching is the list's own filter.
 * The API test server runs with SYNCWATCH_WEBHOOK_RETRY_SECONDS=1 and SYNCWATCH_WEBHOOK_MAX_ATTEMPTS=4.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, config, expectError, get, post, unique } from "./helpers";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
  answered: number;
}

/** A receiver whose answers are scripted per path: a list of statuses, then 200. */
const received: Received[] = [];
const scripts = new Map<string, number[]>();
let receiver: http.Server;
let receiverUrl = "";

const TAG = unique("hook");
let cs: any;
let rp: any;

async function view(name: string, query: string, scope = "Activities") {
  const r = await post("/saved-views", { scope, name: `${TAG}-${name}`, query });
  expect(r.status, r.text).toBe(201);
  return r.body.id as string;
}

async function failedRun(name: string, status?: "FailedWithError") {
  const r = await post("/activities", {
    name: `${TAG}-${name}`,
    targetType: "ConnectedSystemRunProfile",
    connectedSystemId: cs.id,
    runProfileId: rp.id,
    initiatedBy: { type: "User", id: null, name: TAG },
  });
  expect(r.status, r.text).toBe(201);
  const done = await post(`/activities/${r.body.id}/complete`, {
    ...(status ? { status, errorMessage: "Connector stopped answering" } : {}),
    counters: { totalObjectsProcessed: 10, totalObjectErrors: 2 },
    objectsProcessed: 10,
  });
  expect(done.status, done.text).toBe(200);
  return r.body.id as string;
}

const at = (path: string) => received.filter((r) => r.path === path);

async function until<T>(what: string, fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The receiver's side of the signature, written from the documentation (not from the server's code). */
function verify(secret: string, body: string, header: string | undefined): boolean {
  const parts = Object.fromEntries((header ?? "").split(",").map((p) => p.split("=") as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

beforeAll(async () => {
  ({ cs, rp } = await config());
  receiver = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const path = req.url ?? "/";
      const script = scripts.get(path) ?? [];
      const status = script.length ? script.shift()! : 200;
      received.push({ path, headers: req.headers, body, at: Date.now(), answered: status });
      res.writeHead(status, { "Content-Type": "text/plain" }).end(status === 200 ? "ok" : "not now");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => receiver.close(r));
});

describe("webhooks of saved views", () => {
  let viewId = "";
  let statusViewId = "";
  let secret = "";
  let runId = "";
  let earlierRunId = "";

  it("creates a webhook on a saved view: the secret is shown once, then never again", async () => {
    viewId = await view("mine", `initiatorName=${encodeURIComponent(TAG)}&sort=name`);
    statusViewId = await view("failed-only", `status=FailedWithError&initiatorName=${encodeURIComponent(TAG)}`);
    // a run that failed before the webhook existed is not reported
    earlierRunId = await failedRun("before-the-webhook");
    scripts.set("/a", [500, 503]);
    const created = await post(`/saved-views/${viewId}/webhook`, { url: `${receiverUrl}/a` });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get("cache-control")).toContain("no-store");
    secret = created.body.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    expect(created.body).toMatchObject({ savedViewId: viewId, url: `${receiverUrl}/a`, enabled: true });
    expect(secret.startsWith(created.body.secretPrefix)).toBe(true);

    const again = await get(`/saved-views/${viewId}/webhook`);
    expect(again.status).toBe(200);
    expect(again.body).not.toHaveProperty("secret");
    expect(again.text).not.toContain(secret);
    const views = await get("/saved-views?scope=Activities");
    expect(views.text).not.toContain(secret);
    expect(views.body.items.find((v: any) => v.id === viewId).webhook).toEqual({
      url: `${receiverUrl}/a`,
      enabled: true,
    });
    const patched = await api("PATCH", `/saved-views/${viewId}/webhook`, { body: { enabled: true } });
    expect(patched.status).toBe(200);
    expect(patched.text).not.toContain(secret);
    // one webhook per view
    expectError(await post(`/saved-views/${viewId}/webhook`, { url: `${receiverUrl}/x` }), 409, "CONFLICT");
    expect((await post(`/saved-views/${statusViewId}/webhook`, { url: `${receiverUrl}/b` })).status).toBe(201);
  });

  it("delivers a failed run once, signed, retrying 500 and 503 with growing delays until 200", async () => {
    runId = await failedRun("complete-with-error");
    const attempts = await until(
      "three attempts at /a",
      () => at("/a"),
      (a) => a.length >= 3,
    );
    expect(attempts.map((a) => a.answered)).toEqual([500, 503, 200]);
    // the same delivery, byte for byte, each attempt signed anew with the secret
    const ids = new Set(attempts.map((a) => a.headers["syncwatch-delivery"]));
    expect(ids.size).toBe(1);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    for (const a of attempts) {
      expect(a.headers["content-type"]).toContain("application/json");
      expect(a.headers["syncwatch-event"]).toBe("run.failed");
      expect(verify(secret, a.body, a.headers["syncwatch-signature"] as string)).toBe(true);
      expect(verify("whsec_wrong", a.body, a.headers["syncwatch-signature"] as string)).toBe(false);
      expect(verify(secret, a.body + " ", a.headers["syncwatch-signature"] as string)).toBe(false);
    }
    // exponential backoff: 1 s, then 2 s, each ±20 % and then picked up by the worker's next tick.
    // Each wait is at least its lower bound; the second's lower bound (1.6 s) is above the first's
    // upper bound without the tick (1.2 s), so the waits grew.
    const gap1 = attempts[1].at - attempts[0].at;
    const gap2 = attempts[2].at - attempts[1].at;
    expect(gap1).toBeGreaterThanOrEqual(800 - 50);
    expect(gap2).toBeGreaterThanOrEqual(1600 - 50);

    const payload = JSON.parse(attempts[0].body);
    expect(payload).toMatchObject({
      event: "run.failed",
      deliveryId: attempts[0].headers["syncwatch-delivery"],
      savedView: { id: viewId, name: `${TAG}-mine` },
      activity: { id: runId, status: "CompleteWithError", totalObjectErrors: 2, initiatedBy: { name: TAG } },
    });
    expect(payload.link).toMatch(new RegExp(`/activities/${runId}$`));
    expect(typeof payload.errorsByType).toBe("object");
  });

  it("logs the delivery: state, attempts, last answer; and never sends it twice", async () => {
    const log = await until(
      "the delivery logged as Delivered",
      async () => (await get(`/saved-views/${viewId}/webhook/deliveries`)).body,
      (b) => b.items?.[0]?.state === "Delivered",
    );
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      activityId: runId,
      activityStatus: "CompleteWithError",
      state: "Delivered",
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    // the earlier run (ended before the webhook existed) and the other view's filter are not delivered here
    expect(log.items.some((d: any) => d.activityId === earlierRunId)).toBe(false);
    await new Promise((r) => setTimeout(r, 4000));
    expect(at("/a")).toHaveLength(3);
    // a CompleteWithError run does not match the view that lists FailedWithError only
    expect(at("/b").filter((r) => JSON.parse(r.body).activity.id === runId)).toHaveLength(0);
  });

  it("reports a FailedWithError run to both views it matches, once each", async () => {
    const failed = await failedRun("failed-with-error", "FailedWithError");
    await until(
      "the failed run at /a and /b",
      () => [at("/a"), at("/b")],
      ([a, b]) =>
        a.some((r) => JSON.parse(r.body).activity.id === failed) &&
        b.some((r) => JSON.parse(r.body).activity.id === failed),
    );
    await new Promise((r) => setTimeout(r, 3000));
    expect(at("/a").filter((r) => JSON.parse(r.body).activity.id === failed)).toHaveLength(1);
    expect(at("/b").filter((r) => JSON.parse(r.body).activity.id === failed)).toHaveLength(1);
    const b = JSON.parse(at("/b")[0].body);
    expect(b.activity).toMatchObject({ status: "FailedWithError", errorMessage: "Connector stopped answering" });
  });

  it("redelivers on request: the same delivery id and body, a fresh retry budget", async () => {
    const log = (await get(`/saved-views/${viewId}/webhook/deliveries`)).body;
    const delivery = log.items.find((d: any) => d.activityId === runId);
    const before = at("/a").filter((r) => r.headers["syncwatch-delivery"] === delivery.id);
    const r = await post(`/saved-views/${viewId}/webhook/deliveries/${delivery.id}/redeliver`, {});
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ id: delivery.id, state: "Pending", attempts: 0 });
    const after = await until(
      "the redelivery",
      () => at("/a").filter((x) => x.headers["syncwatch-delivery"] === delivery.id),
      (x) => x.length === before.length + 1,
    );
    expect(after.at(-1)!.body).toBe(before[0].body);
    const logged = await until(
      "the redelivery logged",
      async () =>
        (await get(`/saved-views/${viewId}/webhook/deliveries`)).body.items.find((d: any) => d.id === delivery.id),
      (d) => d.state === "Delivered",
    );
    expect(logged.attempts).toBe(1);
    expectError(
      await post(`/saved-views/${viewId}/webhook/deliveries/00000000-0000-7000-8000-000000000000/redeliver`, {}),
      404,
      "NOT_FOUND",
    );
  });

  it("gives up after the attempts allowed, and says why", async () => {
    scripts.set("/a", [500, 500, 500, 500, 500]);
    const id = await failedRun("never-answered");
    const d = await until(
      "the delivery Failed",
      async () =>
        (await get(`/saved-views/${viewId}/webhook/deliveries`)).body.items.find((x: any) => x.activityId === id),
      (x) => x?.state === "Failed",
      40_000,
    );
    expect(d).toMatchObject({ attempts: 4, lastStatusCode: 500, nextAttemptAt: null });
    expect(d.lastError).toContain("HTTP 500");
    scripts.delete("/a");
  });

  it("rotates the secret: shown once, and signs what is sent from then on", async () => {
    const rotated = await post(`/saved-views/${viewId}/webhook/rotate-secret`, {});
    expect(rotated.status, rotated.text).toBe(200);
    const fresh = rotated.body.secret;
    expect(fresh).not.toBe(secret);
    expect((await get(`/saved-views/${viewId}/webhook`)).text).not.toContain(fresh);
    const id = await failedRun("after-rotation");
    const [hit] = await until(
      "the run after rotation",
      () => at("/a").filter((r) => JSON.parse(r.body).activity.id === id),
      (x) => x.length === 1,
    );
    expect(verify(fresh, hit.body, hit.headers["syncwatch-signature"] as string)).toBe(true);
    expect(verify(secret, hit.body, hit.headers["syncwatch-signature"] as string)).toBe(false);
  });

  it("pauses while disabled, and removing it removes its log", async () => {
    expect((await api("PATCH", `/saved-views/${viewId}/webhook`, { body: { enabled: false } })).body.enabled).toBe(
      false,
    );
    const id = await failedRun("while-paused");
    await new Promise((r) => setTimeout(r, 3000));
    expect(at("/a").some((r) => JSON.parse(r.body).activity.id === id)).toBe(false);
    expect((await api("DELETE", `/saved-views/${viewId}/webhook`)).status).toBe(204);
    expectError(await get(`/saved-views/${viewId}/webhook`), 404, "NOT_FOUND");
    expectError(await get(`/saved-views/${viewId}/webhook/deliveries`), 404, "NOT_FOUND");
  });

  it("only administrators configure webhooks, on their own activity-list views with valid filters", async () => {
    const reader = await post("/api-keys", { name: unique("reader"), role: "ReadOnly" });
    const key = reader.body.secret;
    const theirs = await api("POST", "/saved-views", {
      key,
      body: { scope: "Activities", name: "reader's view", query: "status=FailedWithError" },
    });
    expect(theirs.status).toBe(201);
    expectError(
      await api("POST", `/saved-views/${theirs.body.id}/webhook`, { key, body: { url: receiverUrl } }),
      403,
      "FORBIDDEN",
    );
    expectError(await api("GET", `/saved-views/${statusViewId}/webhook`, { key }), 403, "FORBIDDEN");
    // an administrator cannot hook another key's view
    expectError(await post(`/saved-views/${theirs.body.id}/webhook`, { url: receiverUrl }), 404, "NOT_FOUND");
    const failuresView = await view("failures", "state=Open", "Failures");
    expectError(await post(`/saved-views/${failuresView}/webhook`, { url: receiverUrl }), 400, "BAD_REQUEST");
    const broken = await view("broken", "status=Exploded");
    expectError(await post(`/saved-views/${broken}/webhook`, { url: receiverUrl }), 400, "BAD_REQUEST");
    expectError(await post(`/saved-views/${broken}/webhook`, { url: "ftp://example.com/x" }), 400, "BAD_REQUEST");
  });
});
