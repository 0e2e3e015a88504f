/**
 * Failed authentication cannot be turned against others (issues 18.1 and 17.7), on both stores.
 * The server trusts 127.0.0.1 as its reverse proxy (SYNCWATCH_TRUSTED_PROXIES): requests sent
 * from 127.0.0.1 with X-Forwarded-For are clients behind a shared proxy; requests sent from
 * 127.0.0.2 and 127.0.0.3 are clients that reach the server directly, whose own X-Forwarded-For
 * is ignored.
 */
import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, startServer, stop, storeEnv, type Server } from "./server";

const PROXY = "127.0.0.1";
const DIRECT = "127.0.0.2";
const FLOODER = "127.0.0.3";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request from `from` (the local address the connection is made from). */
function request(
  s: Server,
  from: string,
  opts: {
    method?: string;
    path?: string;
    key?: string;
    xff?: string;
    body?: unknown;
    headers?: Record<string, string>;
  },
): Promise<Answer> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: s.port,
        localAddress: from,
        method: opts.method ?? "GET",
        path: `/api/v1${opts.path ?? "/activities?pageSize=1"}`,
        agent: false,
        headers: {
          ...(opts.key ? { "X-Api-Key": opts.key } : {}),
          ...(opts.xff ? { "X-Forwarded-For": opts.xff } : {}),
          ...(body ? { "Content-Type": "application/json" } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const wrongKey = (i: number) => `sw_Wr0ng${String(i).padStart(4, "0")}_guess_0000000000000000`;
const randomAddress = () => `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

const servers: Server[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const s of servers.splice(0)) await stop(s, "SIGKILL", 5000);
  for (const c of cleanups.splice(0)) await c();
});

describe.each(["embedded", "postgres"] as const)("failed authentication on the %s store", (store) => {
  let s: Server;

  it("starts a server that trusts 127.0.0.1 as its proxy", async () => {
    s = await startServer({
      SYNCWATCH_TRUSTED_PROXIES: PROXY,
      SYNCWATCH_ENGINE: "off",
      ...(await storeEnv(store, "auth", cleanups)),
    });
    servers.push(s);
  });

  it("20 bad keys, then the good key from the same client: 200 (401s, then 429 with RateLimit and Retry-After)", async () => {
    const statuses: number[] = [];
    let last: Answer | null = null;
    for (let i = 0; i < 20; i++) {
      last = await request(s, DIRECT, { key: wrongKey(i) });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(10).fill(429));
    expect(Number(last!.headers["retry-after"])).toBeGreaterThan(0);
    expect(last!.headers["ratelimit"]).toMatch(/^"failed-auth-client";r=0;t=\d+$/);
    expect(last!.headers["ratelimit-policy"]).toMatch(/"failed-auth-client";q=10;w=60/);
    expect(JSON.parse(last!.body).code).toBe("TOO_MANY_REQUESTS");
    expect((await request(s, DIRECT, { key: ADMIN_KEY })).status).toBe(200);
    // Signing in with the good key works from that client too; a bad one is refused with 429.
    const signIn = (apiKey: string) => request(s, DIRECT, { method: "POST", path: "/auth/session", body: { apiKey } });
    expect((await signIn(wrongKey(99))).status).toBe(429);
    const good = await signIn(ADMIN_KEY);
    expect(good.status).toBe(200);
    expect(String(good.headers["set-cookie"])).toMatch(/syncwatch_session=/);
  });

  it("a spoofed X-Forwarded-For flood from a direct client is one client: 429 after ten, the valid key still 200", async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => request(s, FLOODER, { key: wrongKey(100 + i), xff: randomAddress() })),
    );
    expect(answers.filter((a) => a.status === 401).length).toBe(10);
    expect(answers.filter((a) => a.status === 429).length).toBe(50);
    for (let i = 0; i < 3; i++)
      expect((await request(s, FLOODER, { key: ADMIN_KEY, xff: randomAddress() })).status).toBe(200);
  });

  it("behind a shared proxy, one misconfigured integration locks out nobody else", async () => {
    const broken = "203.0.113.10";
    const neighbour = "203.0.113.11";
    for (let i = 0; i < 25; i++) await request(s, PROXY, { key: wrongKey(200 + i), xff: broken });
    expect((await request(s, PROXY, { key: wrongKey(300), xff: broken })).status).toBe(429);
    // The client cannot move itself by prepending addresses: the proxy's own hop counts.
    expect((await request(s, PROXY, { key: wrongKey(301), xff: `10.9.9.9, ${broken}` })).status).toBe(429);
    // Its neighbour behind the same proxy: its own mistakes are 401s, its key works.
    expect((await request(s, PROXY, { key: wrongKey(302), xff: neighbour })).status).toBe(401);
    expect((await request(s, PROXY, { key: ADMIN_KEY, xff: neighbour })).status).toBe(200);
    // And the broken integration's own valid key is not refused either.
    expect((await request(s, PROXY, { key: ADMIN_KEY, xff: broken })).status).toBe(200);
  });

  it("one key prefix guessed from many addresses is limited; the key itself still works", async () => {
    const prefix = ADMIN_KEY.slice(0, 10);
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++)
      statuses.push(
        (await request(s, PROXY, { key: `${prefix}_guess_${i}_000000000000`, xff: `192.0.2.${i}` })).status,
      );
    expect(statuses.slice(0, 30).every((x) => x === 401)).toBe(true);
    const limited = await request(s, PROXY, { key: `${prefix}_guess_x_000000000000`, xff: "192.0.2.200" });
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body).message).toMatch(/with this key prefix/);
    expect((await request(s, PROXY, { key: ADMIN_KEY, xff: "192.0.2.201" })).status).toBe(200);
  });

  it("the session cookie is Secure only when a trusted proxy says https, not when a client does", async () => {
    const signIn = (from: string, xff?: string) =>
      request(s, from, {
        method: "POST",
        path: "/auth/session",
        body: { apiKey: ADMIN_KEY },
        xff,
        headers: { "X-Forwarded-Proto": "https" },
      });
    expect(String((await signIn(DIRECT)).headers["set-cookie"])).not.toMatch(/;\s*Secure/i);
    expect(String((await signIn(PROXY, "203.0.113.20")).headers["set-cookie"])).toMatch(/;\s*Secure/i);
  });
});
