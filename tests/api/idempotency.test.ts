/**
 * Idempotency-Key under concurrency and item ids that collide: one key creates one activity
 * however many requests race with it, a different body under the key is refused (never answered
 * with another request's answer), and an item id that exists anywhere is a 409 naming it.
 */
import { describe, expect, it } from "vitest";
import { api, createRun, expectError, get, makeItems, post, unique, type ApiResponse } from "./helpers";

const PARALLEL = 30;

/** The embedded store's admission control may turn a request away (503 + Retry-After): it created nothing. */
const turnedAway = (r: ApiResponse) => r.status === 503 && r.headers.get("retry-after") !== null;

async function countNamed(prefix: string): Promise<number> {
  const r = await get(`/activities?search=${encodeURIComponent(prefix)}&topLevelOnly=false`);
  return r.body.items.filter((a: { name: string }) => a.name.startsWith(prefix)).length;
}

describe("Idempotency-Key under concurrency", () => {
  it(`${PARALLEL} parallel creates with one key and one body make one activity; all answer with it`, async () => {
    const key = unique("race-same");
    const body = { name: unique("race-same"), targetType: "DataGeneration" };
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () => api("POST", "/activities", { body, headers: { "Idempotency-Key": key } })),
    );
    const created = answers.filter((r) => r.status === 201);
    expect(answers.filter((r) => r.status !== 201 && !turnedAway(r)).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(new Set(created.map((r) => r.headers.get("location"))).size).toBe(1);
    expect(created.filter((r) => r.headers.get("idempotent-replayed") !== "true").length).toBe(1);
    expect(await countNamed(body.name)).toBe(1);
  });

  it(`${PARALLEL} parallel creates with one key and different bodies: one is created, the others get 409`, async () => {
    const key = unique("race-diff");
    const prefix = unique("race-diff");
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        api("POST", "/activities", {
          body: { name: `${prefix} ${i}`, targetType: "DataGeneration" },
          headers: { "Idempotency-Key": key },
        }),
      ),
    );
    const created = answers.filter((r) => r.status === 201);
    expect(created.length).toBe(1);
    for (const r of answers.filter((x) => x.status !== 201 && !turnedAway(x))) expectError(r, 409, "CONFLICT");
    // The winner's own body, never another request's answer.
    const winner = answers.indexOf(created[0]);
    expect(created[0].body.name).toBe(`${prefix} ${winner}`);
    expect(await countNamed(prefix)).toBe(1);
    // Afterwards the key answers its own request by replay, and any other with 409.
    const again = await api("POST", "/activities", {
      body: { name: `${prefix} ${winner}`, targetType: "DataGeneration" },
      headers: { "Idempotency-Key": key },
    });
    expect([again.status, again.body.id, again.headers.get("idempotent-replayed")]).toEqual([
      201,
      created[0].body.id,
      "true",
    ]);
  });

  it("a refused create frees its key: the corrected request then runs", async () => {
    const key = unique("refused");
    const bad = await api("POST", "/activities", {
      body: { name: unique("bad"), targetType: "ConnectedSystemRunProfile", connectedSystemId: 999_999 },
      headers: { "Idempotency-Key": key },
    });
    expectError(bad, 400, "BAD_REQUEST");
    const good = await api("POST", "/activities", {
      body: { name: unique("good"), targetType: "DataGeneration" },
      headers: { "Idempotency-Key": key },
    });
    expect(good.status, good.text).toBe(201);
    expect(good.headers.get("idempotent-replayed")).toBeNull();
  });
});

describe("item ids", () => {
  it("an item id stored in another run is a 409 naming it; nothing of the batch is stored", async () => {
    const first = await createRun();
    const stored = await post(`/activities/${first.id}/items`, { items: makeItems(0, 3) });
    expect(stored.status, stored.text).toBe(200);
    const id = (await get(`/activities/${first.id}/items?pageSize=1`)).body.items[0].id;
    const second = await createRun();
    const r = await post(`/activities/${second.id}/items`, {
      items: [...makeItems(0, 2), { ...makeItems(2, 1)[0], id }],
    });
    expectError(r, 409, "CONFLICT");
    expect(r.body.details).toEqual({ ids: [id] });
    expect(r.body.message).toContain(id);
    expect((await get(`/activities/${second.id}/items`)).body.totalCount).toBe(0);
    // In the same run under another sequence: the same.
    expectError(
      await post(`/activities/${first.id}/items`, { items: [{ ...makeItems(7, 1)[0], id }] }),
      409,
      "CONFLICT",
    );
    // The item re-sent as it was stored is a duplicate.
    const resent = await post(`/activities/${first.id}/items`, { items: [{ ...makeItems(0, 1)[0], id }] });
    expect(resent.body).toEqual({ received: 1, inserted: 0, duplicates: 1 });
  });

  it("two items with one id in a batch are refused; neither is stored", async () => {
    const a = await createRun();
    const id = "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1aa0";
    const [x, y] = makeItems(0, 2);
    const r = await post(`/activities/${a.id}/items`, {
      items: [
        { ...x, id },
        { ...y, id },
      ],
    });
    expect([400, 409]).toContain(r.status);
    expect(r.text).toContain(id);
    expect((await get(`/activities/${a.id}/items`)).body.totalCount).toBe(0);
  });
});
