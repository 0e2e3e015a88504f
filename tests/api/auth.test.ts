import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, BASE_URL, api, createPlain, createRun, expectError, get, post, unique } from "./helpers";

let readOnlyKey = "";
let readOnlyId = "";

beforeAll(async () => {
  const r = await post("/api-keys", { name: unique("reader"), role: "ReadOnly" });
  expect(r.status).toBe(201);
  readOnlyKey = r.body.secret;
  readOnlyId = r.body.id;
});

describe("authentication", () => {
  it("401 without credentials on every protected route", async () => {
    const id = "01234567-89ab-7def-8123-456789abcdef";
    for (const [method, path] of [
      ["GET", "/activities"],
      ["GET", `/activities/${id}`],
      ["GET", `/activities/${id}/stats`],
      ["GET", `/activities/${id}/items`],
      ["GET", `/activities/${id}/items.csv`],
      ["GET", `/activities/${id}/children`],
      ["GET", `/activities/${id}/tree`],
      ["GET", `/activities/${id}/progress`],
      ["POST", "/activities"],
      ["POST", `/activities/${id}/complete`],
      ["GET", "/connected-systems"],
      ["GET", "/schedules"],
      ["POST", "/schedules/1/execute"],
      ["GET", "/api-keys"],
      ["GET", "/auth/session"],
    ]) {
      const r = await api(method, path, { key: null });
      expectError(r, 401, "UNAUTHORISED");
    }
  });

  it("401 with a wrong key", async () => {
    expectError(await get("/activities", "sw_not_a_real_key_at_all_000000000"), 401, "UNAUTHORISED");
  });

  it("ReadOnly may read activities and configuration", async () => {
    const a = await createPlain();
    expect((await get("/activities", readOnlyKey)).status).toBe(200);
    expect((await get(`/activities/${a.id}`, readOnlyKey)).status).toBe(200);
    expect((await get(`/activities/${a.id}/children`, readOnlyKey)).status).toBe(200);
    expect((await get(`/activities/${a.id}/tree`, readOnlyKey)).status).toBe(200);
    expect((await get(`/activities/${a.id}/progress`, readOnlyKey)).status).toBe(200);
    expect((await get("/connected-systems", readOnlyKey)).status).toBe(200);
    expect((await get("/schedules", readOnlyKey)).status).toBe(200);
    // failures are activity data (issue 14.2)
    expect((await get("/failures", readOnlyKey)).status).toBe(200);
    const objects = await get("/failures/objects?state=Open,Recovered", readOnlyKey);
    expect(objects.status).toBe(200);
    if (objects.body.items[0])
      expect((await get(`/failures/objects/${objects.body.items[0].id}`, readOnlyKey)).status).toBe(200);
    expect((await get("/failures.csv", readOnlyKey)).status).toBe(200);
    const me = await get("/auth/session", readOnlyKey);
    expect(me.body).toMatchObject({ role: "ReadOnly", via: "header", keyId: readOnlyId });
  });

  it("403 for ReadOnly on stats, items, export, writes, triggers and key management", async () => {
    const run = await createRun();
    const item = await post(`/activities/${run.id}/items`, { items: [{ sequence: 0, objectChangeType: "Add" }] });
    expect(item.status).toBe(200);
    const itemId = (await get(`/activities/${run.id}/items`)).body.items[0].id;
    const cases: [string, string, unknown?][] = [
      ["GET", `/activities/${run.id}/stats`],
      ["GET", `/activities/${run.id}/items`],
      ["GET", `/activities/${run.id}/items/${itemId}`],
      ["GET", `/activities/${run.id}/items.csv`],
      ["POST", "/activities", { name: "x", targetType: "DataGeneration" }],
      ["POST", `/activities/${run.id}/progress`, { objectsProcessed: 1 }],
      ["POST", `/activities/${run.id}/items`, { items: [{ sequence: 1, objectChangeType: "Add" }] }],
      ["POST", `/activities/${run.id}/complete`, {}],
      ["POST", `/activities/${run.id}/cancel`, {}],
      ["POST", "/schedules/1/execute", {}],
      ["POST", "/connected-systems/1/run-profiles/1/execute", {}],
      ["GET", "/api-keys"],
      ["POST", "/api-keys", { name: "x", role: "Administrator" }],
      ["DELETE", `/api-keys/${readOnlyId}`],
    ];
    for (const [method, path, body] of cases)
      expectError(await api(method, path, { key: readOnlyKey, body }), 403, "FORBIDDEN");
    // and the refused writes changed nothing
    const after = await get(`/activities/${run.id}`);
    expect(after.body.status).toBe("InProgress");
    expect(after.body.progress.objectsProcessed).toBe(0);
    expect((await get(`/activities/${run.id}/items`)).body.totalCount).toBe(1);
  });
});

describe("cookie sessions", () => {
  it("signs in, authenticates by cookie, signs out", async () => {
    const bad = await api("POST", "/auth/session", { key: null, body: { apiKey: "sw_wrongwrongwrong" } });
    expectError(bad, 401, "UNAUTHORISED");
    const r = await api("POST", "/auth/session", { key: null, body: { apiKey: ADMIN_KEY } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ role: "Administrator", via: "session" });
    const setCookie = r.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^syncwatch_session=[A-Za-z0-9_-]{20,};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/); // plain http here
    const cookie = setCookie.split(";")[0];
    const me = await api("GET", "/auth/session", { key: null, headers: { Cookie: cookie } });
    expect(me.status).toBe(200);
    expect(me.body.via).toBe("session");
    expect((await api("GET", "/activities", { key: null, headers: { Cookie: cookie } })).status).toBe(200);
    const out = await api("DELETE", "/auth/session", { key: null, headers: { Cookie: cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/syncwatch_session=;.*Max-Age=0/);
    expectError(await api("GET", "/auth/session", { key: null, headers: { Cookie: cookie } }), 401, "UNAUTHORISED");
  });

  it("refuses a malformed sign-in body", async () => {
    expectError(
      await api("POST", "/auth/session", { key: null, body: { apiKey: ADMIN_KEY, extra: 1 } }),
      400,
      "BAD_REQUEST",
    );
    expectError(
      await api("POST", "/auth/session", {
        key: null,
        rawBody: "apiKey=x",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
  });
});

describe("API keys", () => {
  it("creates (secret shown once), lists without secrets, revokes", async () => {
    const c = await post("/api-keys", { name: unique("automation"), role: "Administrator" });
    expect(c.status).toBe(201);
    expect(c.body.secret).toMatch(/^sw_[A-Za-z0-9_-]{43}$/);
    expect(c.body.prefix).toBe(c.body.secret.slice(0, 10));
    expect(c.headers.get("location")).toBe(`/api/v1/api-keys/${c.body.id}`);
    const list = await get("/api-keys");
    expect(list.status).toBe(200);
    const row = list.body.items.find((k: any) => k.id === c.body.id);
    expect(row).toMatchObject({ name: c.body.name, role: "Administrator", revoked: null });
    expect(JSON.stringify(list.body)).not.toContain(c.body.secret);
    expect((await get("/activities", c.body.secret)).status).toBe(200);
    // a session made with the key dies with it
    const s = await api("POST", "/auth/session", { key: null, body: { apiKey: c.body.secret } });
    const cookie = s.headers.get("set-cookie")!.split(";")[0];
    const del = await api("DELETE", `/api-keys/${c.body.id}`);
    expect(del.status).toBe(200);
    expect(del.body.revoked).not.toBeNull();
    expectError(await get("/activities", c.body.secret), 401, "UNAUTHORISED");
    expectError(await api("GET", "/activities", { key: null, headers: { Cookie: cookie } }), 401, "UNAUTHORISED");
    expect((await api("DELETE", `/api-keys/${c.body.id}`)).status).toBe(200); // idempotent
  });

  it("validates key bodies and ids", async () => {
    expectError(await post("/api-keys", { name: "x", role: "Superuser" }), 400, "BAD_REQUEST");
    expectError(await post("/api-keys", { name: "", role: "ReadOnly" }), 400, "BAD_REQUEST");
    expectError(await api("DELETE", "/api-keys/not-a-uuid"), 400, "BAD_REQUEST");
    expectError(await api("DELETE", "/api-keys/01234567-89ab-7def-8123-456789abcdef"), 404, "NOT_FOUND");
  });
});

describe("OpenAPI document", () => {
  it("is served without auth as OpenAPI 3.1 with every route", async () => {
    const res = await fetch(`${BASE_URL}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const paths = Object.keys(doc.paths);
    for (const p of [
      "/activities",
      "/activities/{id}",
      "/activities/{id}/stats",
      "/activities/{id}/items",
      "/activities/{id}/items.csv",
      "/activities/{id}/items/{itemId}",
      "/activities/{id}/children",
      "/activities/{id}/tree",
      "/activities/{id}/progress",
      "/activities/{id}/progress/samples",
      "/activities/{id}/snapshot",
      "/activities/{id}/comparison",
      "/activities/{id}/complete",
      "/activities/{id}/cancel",
      "/connected-systems",
      "/connected-systems/{id}/run-profiles/{runProfileId}/execute",
      "/schedules",
      "/schedules/{id}/execute",
      "/schedule-executions",
      "/schedule-executions/active",
      "/schedule-executions/{id}",
      "/schedule-executions/{id}/cancel",
      "/operations",
      "/failures",
      "/failures/objects",
      "/failures/objects/{id}",
      "/failures.csv",
      "/saved-views",
      "/saved-views/{id}",
      "/health",
      "/health/live",
      "/auth/session",
      "/api-keys",
      "/api-keys/{id}",
      "/openapi.json",
    ])
      expect(paths).toContain(p);
    expect(doc.components.securitySchemes.ApiKeyAuth).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "X-Api-Key",
    });
    expect(doc.components.securitySchemes.SessionCookie.in).toBe("cookie");
    // every $ref resolves
    const text = JSON.stringify(doc);
    for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
      expect(doc.components.schemas[m[1]], m[1]).toBeDefined();
    const stats = doc.components.schemas.ExecutionStats;
    expect(Object.keys(stats.properties)).toHaveLength(23);
    const items = doc.paths["/activities/{id}/items"].get;
    expect(items.parameters.map((p: any) => p.name)).toEqual(
      expect.arrayContaining(["id", "page", "pageSize", "cursor", "errorType", "sort"]),
    );
    expect(Object.keys(items.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "403", "404"]));
    expect(doc.paths["/activities"].post.requestBody.content["application/json"].schema.$ref).toBe(
      "#/components/schemas/CreateActivityBody",
    );
  });

  it("answers unknown API paths with a JSON 404", async () => {
    expectError(await get("/no-such-thing"), 404, "NOT_FOUND");
  });
});
