/**
 * Nothing partial is written and nobody gets in where they don't belong: refused writes leave no
 * trace, concurrent absolute reports all land, conflicting item batches are refused whole, the
 * terminal status agrees with counters and steps, cookie-authenticated writes must come from the
 * dashboard's origin, failed sign-ins are rate-limited, pages carry their security headers.
 */
import { describe, expect, it } from "vitest";
import { ADMIN_KEY, BASE_URL, api, createPlain, createRun, expectError, get, makeItems, post, unique } from "./helpers";

async function sampleCount(id: string): Promise<number> {
  return (await get(`/activities/${id}/progress/samples?limit=5000`)).body.totalSamples;
}

describe("refused writes leave nothing behind", () => {
  it("a progress report refused with 409 stores no sample and changes nothing", async () => {
    const a = await createRun(unique("refuse"), { objectsToProcess: 10 });
    await post(`/activities/${a.id}/progress`, { objectsProcessed: 5 });
    const before = (await get(`/activities/${a.id}`)).body;
    const samples = await sampleCount(a.id);
    const r = await post(`/activities/${a.id}/progress`, { objectsProcessed: 11 });
    expectError(r, 409, "CONFLICT");
    expect(r.body.message).toMatch(/more than objectsToProcess/);
    expectError(
      await post(`/activities/${a.id}/progress`, { objectsProcessed: 12, objectsToProcess: 11 }),
      400,
      "BAD_REQUEST",
    );
    expect(await sampleCount(a.id)).toBe(samples);
    expect((await get(`/activities/${a.id}`)).body.version).toBe(before.version);
    await post(`/activities/${a.id}/complete`, {});
    const ended = await sampleCount(a.id); // the completion's own sample
    expectError(await post(`/activities/${a.id}/progress`, { objectsProcessed: 6 }), 409, "CONFLICT");
    expect(await sampleCount(a.id)).toBe(ended);
  });

  it("concurrent absolute reports are all accepted (last writer wins), one sample each", async () => {
    const a = await createRun(unique("lww"), { objectsToProcess: 1000 });
    const values = Array.from({ length: 50 }, (_, i) => i * 10);
    const answers = await Promise.all(
      values.map((v) => post(`/activities/${a.id}/progress`, { objectsProcessed: v, counters: { totalCsoAdds: v } })),
    );
    expect(answers.map((r) => r.status)).toEqual(values.map(() => 200));
    const now = (await get(`/activities/${a.id}`)).body;
    expect(values).toContain(now.progress.objectsProcessed);
    expect(now.counters.totalCsoAdds).toBe(now.progress.objectsProcessed);
    expect(await sampleCount(a.id)).toBe(50);
  });

  it("an item batch repeating a sequence with other content is refused whole (409 naming it)", async () => {
    const a = await createRun();
    await post(`/activities/${a.id}/items`, { items: makeItems(0, 5) });
    const changed = makeItems(3, 4).map((i) => (i.sequence === 4 ? { ...i, displayName: "Someone else" } : i));
    const r = await post(`/activities/${a.id}/items`, { items: changed });
    expectError(r, 409, "CONFLICT");
    expect(r.body.details).toEqual({ sequences: [4] });
    expect(r.body.message).toMatch(/sequence 4/);
    // Sequences 5 and 6 were new in that batch: nothing of it was stored.
    expect((await get(`/activities/${a.id}/items`)).body.totalCount).toBe(5);
    // The same content again is a harmless repeat.
    const again = await post(`/activities/${a.id}/items`, { items: makeItems(3, 4) });
    expect(again.body).toEqual({ received: 4, inserted: 2, duplicates: 2 });
    expectError(
      await post(`/activities/${a.id}/items`, { items: [...makeItems(9, 1), ...makeItems(9, 1)] }),
      400,
      "BAD_REQUEST",
    );
  });

  it("POST /activities with an Idempotency-Key creates once", async () => {
    const key = unique("create");
    const body = { name: unique("idem-create"), targetType: "DataGeneration" };
    const r1 = await api("POST", "/activities", { body, headers: { "Idempotency-Key": key } });
    const r2 = await api("POST", "/activities", { body, headers: { "Idempotency-Key": key } });
    expect(r1.status).toBe(201);
    expect(r2.status).toBe(201);
    expect(r2.body.id).toBe(r1.body.id);
    expect(r2.headers.get("idempotent-replayed")).toBe("true");
    expect((await get(`/activities?search=${encodeURIComponent(body.name)}`)).body.totalCount).toBe(1);
  });
});

describe("the terminal status agrees with the counters and the steps", () => {
  it("refuses a status less severe than the counters say; a more severe one is accepted", async () => {
    const a = await createRun();
    await post(`/activities/${a.id}/progress`, { counters: { totalObjectErrors: 3 } });
    const r = await post(`/activities/${a.id}/complete`, { status: "Complete" });
    expectError(r, 409, "CONFLICT");
    expect(r.body.message).toMatch(/3 object errors/);
    expect(r.body.details).toEqual({ derived: "CompleteWithError", objectErrors: 3, failedItems: 0 });
    expect((await get(`/activities/${a.id}`)).body.status).toBe("InProgress");
    expect(
      (await post(`/activities/${a.id}/complete`, { status: "FailedWithError", errorMessage: "gave up" })).body.status,
    ).toBe("FailedWithError");
    const b = await createRun(unique("b"), { objectsToProcess: 5 });
    expectError(await post(`/activities/${b.id}/complete`, { objectsProcessed: 6 }), 409, "CONFLICT");
  });

  it("a schedule execution cannot end while a step runs, and its status summarises the steps", async () => {
    const schedules = (await get("/schedules")).body.items;
    const parent = await post("/activities", {
      name: unique("sched"),
      targetType: "Schedule",
      scheduleId: schedules[0].id,
    });
    expect(parent.status, parent.text).toBe(201);
    const step = await createRun(unique("step"), { parentActivityId: parent.body.id, stepIndex: 1 });
    expect(step.scheduleExecutionId).toBe(parent.body.id);
    const early = await post(`/activities/${parent.body.id}/complete`, {});
    expectError(early, 409, "CONFLICT");
    expect(early.body.message).toMatch(/running step/);
    await post(`/activities/${step.id}/complete`, { status: "FailedWithError", errorMessage: "down" });
    expectError(await post(`/activities/${parent.body.id}/complete`, { status: "Complete" }), 409, "CONFLICT");
    expect((await post(`/activities/${parent.body.id}/complete`, {})).body.status).toBe("FailedWithError");
  });
});

describe("cross-site request forgery", () => {
  async function session(): Promise<string> {
    const r = await fetch(`${BASE_URL}/api/v1/auth/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ apiKey: ADMIN_KEY }),
    });
    expect(r.status).toBe(200);
    return r.headers.get("set-cookie")!.split(";")[0];
  }

  it("a write with the session cookie must come from the dashboard's origin, as JSON", async () => {
    const cookie = await session();
    const own = new URL(BASE_URL);
    const cancel = async (headers: Record<string, string>) => {
      const a = await createPlain();
      const r = await api("POST", `/activities/${a.id}/cancel`, {
        key: null,
        rawBody: "{}",
        headers: { Cookie: cookie, ...headers },
      });
      return { r, status: (await get(`/activities/${a.id}`)).body.status };
    };
    const foreign = await cancel({ "Content-Type": "application/json", Origin: "https://evil.example" });
    expectError(foreign.r, 403, "FORBIDDEN");
    expect(foreign.status).toBe("InProgress");
    const otherPort = `${own.protocol}//${own.hostname}:${Number(own.port) + 1}`;
    expectError((await cancel({ "Content-Type": "application/json", Origin: otherPort })).r, 403, "FORBIDDEN");
    expectError(
      (await cancel({ "Content-Type": "application/json", "Sec-Fetch-Site": "same-site", Origin: otherPort })).r,
      403,
      "FORBIDDEN",
    );
    expectError((await cancel({ "Content-Type": "application/json" })).r, 403, "FORBIDDEN");
    expectError((await cancel({ "Content-Type": "text/plain", Origin: own.origin })).r, 415, "UNSUPPORTED_MEDIA_TYPE");
    const ok = await cancel({
      "Content-Type": "application/json",
      Origin: own.origin,
      "Sec-Fetch-Site": "same-origin",
    });
    expect(ok.r.status).toBe(200);
    expect(ok.status).toBe("Cancelled");
    // An API key is not a browser credential: its requests are unaffected.
    const a = await createPlain();
    const withKey = await api("POST", `/activities/${a.id}/cancel`, {
      body: {},
      headers: { Origin: "https://evil.example" },
    });
    expect(withKey.status).toBe(200);
    // Reads with the cookie need no origin.
    expect((await api("GET", "/activities", { key: null, headers: { Cookie: cookie } })).status).toBe(200);
  });

  it("sign-in from another site is refused", async () => {
    const r = await api("POST", "/auth/session", {
      key: null,
      body: { apiKey: ADMIN_KEY },
      headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    });
    expectError(r, 403, "FORBIDDEN");
    expect(r.headers.get("set-cookie")).toBeNull();
  });
});

describe("guessing keys", () => {
  // The server trusts the tests' address as its proxy (global-setup.ts): X-Forwarded-For names the client.
  const signIn = (client: string, apiKey = "sw_wrong_key_0000000000000000000") =>
    api("POST", "/auth/session", { key: null, body: { apiKey }, headers: { "X-Forwarded-For": client } });
  const read = (client: string, key: string) =>
    api("GET", "/activities?pageSize=1", { key, headers: { "X-Forwarded-For": client } });

  it("20 bad keys, then the good key from the same client: 200 (401 until the quota is spent, then 429)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await read("203.0.113.7", `sw_guess_${i}_000000000000000000`)).status);
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(10).fill(429)]);
    const blocked = await read("203.0.113.7", "sw_guess_x_000000000000000000");
    expectError(blocked, 429, "TOO_MANY_REQUESTS");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(blocked.headers.get("ratelimit")).toMatch(/^"failed-auth-client";r=0;t=\d+$/);
    expect(blocked.headers.get("ratelimit-policy")).toContain('"failed-auth-client";q=10;w=60');
    // The valid key is never refused: not through X-Api-Key, not by signing in.
    expect((await read("203.0.113.7", ADMIN_KEY)).status).toBe(200);
    expect((await signIn("203.0.113.7", ADMIN_KEY)).status).toBe(200);
    // Failed sign-ins count the same way.
    for (let i = 0; i < 10; i++) expectError(await signIn("203.0.113.8"), 401, "UNAUTHORISED");
    expectError(await signIn("203.0.113.8"), 429, "TOO_MANY_REQUESTS");
    expect((await signIn("203.0.113.8", ADMIN_KEY)).status).toBe(200);
  });

  it("a misconfigured client behind the shared proxy locks out nobody else", async () => {
    for (let i = 0; i < 15; i++) await read("203.0.113.9", `sw_stale_${i}_000000000000000000`);
    expectError(await read("203.0.113.9", "sw_stale_x_000000000000000000"), 429, "TOO_MANY_REQUESTS");
    const neighbour = await read("203.0.113.10", "sw_typo_0000000000000000000000");
    expectError(neighbour, 401, "UNAUTHORISED");
    expect(neighbour.headers.get("ratelimit")).toMatch(/^"failed-auth-client";r=9;t=\d+$/);
    expect((await read("203.0.113.10", ADMIN_KEY)).status).toBe(200);
  });

  it("the key of SYNCWATCH_ADMIN_API_KEY cannot be revoked through the API (the environment manages it)", async () => {
    const keys = (await get("/api-keys")).body.items;
    const env = keys.find((k: { source: string }) => k.source === "Environment");
    expect(env).toBeTruthy();
    const r = await api("DELETE", `/api-keys/${env.id}`);
    expectError(r, 409, "CONFLICT");
    expect(r.body.message).toMatch(/SYNCWATCH_ADMIN_API_KEY/);
  });
});

describe("pages", () => {
  it("carry a nonce CSP that forbids framing, and the other security headers", async () => {
    const r = await fetch(`${BASE_URL}/sign-in`);
    expect(r.status).toBe(200);
    const csp = r.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("x-frame-options")).toBe("DENY");
    expect(r.headers.get("referrer-policy")).toBe("same-origin");
    expect(r.headers.get("permissions-policy")).toContain("camera=()");
    const html = await r.text();
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    // Every inline script carries the nonce.
    for (const tag of html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`);
  });

  it("an address too long for the server gets a page for people; the API keeps its JSON error", async () => {
    const long = "a".repeat(60_000);
    const page = await fetch(`${BASE_URL}/?search=${long}`);
    expect(page.status).toBe(414);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    const html = await page.text();
    expect(html).toContain("This address is too long");
    expect(html).toContain('href="/"');
    expect(html).not.toContain("<script");
    const fromApi = await fetch(`${BASE_URL}/api/v1/activities?search=${long}`, {
      headers: { "X-Api-Key": ADMIN_KEY },
    });
    expect(fromApi.headers.get("content-type")).toContain("application/json");
    expect(((await fromApi.json()) as { code: string }).code).toBe("BAD_REQUEST");
  });

  it("old list links are rewritten once into the API's query names", async () => {
    const r = await fetch(`${BASE_URL}/?cs=3&q=import&errors=1&topLevel=0&status=Complete`, { redirect: "manual" });
    expect(r.status).toBe(308);
    const to = new URL(r.headers.get("location")!, BASE_URL);
    expect(Object.fromEntries(to.searchParams)).toEqual({
      connectedSystemId: "3",
      search: "import",
      hasErrors: "true",
      topLevelOnly: "false",
      status: "Complete",
    });
  });
});
