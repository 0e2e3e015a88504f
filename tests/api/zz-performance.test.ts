/** Throughput and latency figures, printed as log lines (and loosely asserted). */
import { describe, expect, it } from "vitest";
import { STORE, createPlain, createRun, get, makeItems, post } from "./helpers";

describe("performance", () => {
  it("POST /items sustains a useful rate in 1000-item batches", async () => {
    const run = await createRun();
    const batches = Number(process.env.PERF_ITEM_BATCHES ?? 20);
    const bodies = Array.from({ length: batches }, (_, b) => JSON.stringify({ items: makeItems(b * 1000, 1000) }));
    const { BASE_URL, ADMIN_KEY } = await import("./helpers");
    const t0 = performance.now();
    let serverMs = 0;
    for (const body of bodies) {
      const r = await fetch(`${BASE_URL}/api/v1/activities/${run.id}/items`, { method: "POST", headers: { "X-Api-Key": ADMIN_KEY, "Content-Type": "application/json" }, body });
      expect(r.status).toBe(200);
      serverMs += Number(/dur=([\d.]+)/.exec(r.headers.get("server-timing") ?? "")?.[1] ?? 0);
      await r.arrayBuffer();
    }
    const seconds = (performance.now() - t0) / 1000;
    const rate = Math.round((batches * 1000) / seconds);
    console.log(`[perf:${STORE}] POST /items: ${batches * 1000} items in ${seconds.toFixed(2)} s = ${rate} items/s (1000-item batches, sequential; handler ${(serverMs / batches).toFixed(1)} ms per batch)`);
    expect((await get(`/activities/${run.id}/items?pageSize=1`)).body.totalCount).toBe(batches * 1000);
    expect(rate).toBeGreaterThan(1000);
    // the same with 4 batches in flight (an engine writing several runs, or pipelining one)
    const run2 = await createRun();
    const bodies2 = Array.from({ length: batches }, (_, b) => JSON.stringify({ items: makeItems(b * 1000, 1000) }));
    const t1 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < bodies2.length) {
          const body = bodies2[next++];
          const r = await fetch(`${BASE_URL}/api/v1/activities/${run2.id}/items`, { method: "POST", headers: { "X-Api-Key": ADMIN_KEY, "Content-Type": "application/json" }, body });
          expect(r.status).toBe(200);
          await r.arrayBuffer();
        }
      }),
    );
    const s2 = (performance.now() - t1) / 1000;
    console.log(`[perf:${STORE}] POST /items: ${batches * 1000} items in ${s2.toFixed(2)} s = ${Math.round((batches * 1000) / s2)} items/s (1000-item batches, 4 in flight)`);
    expect((await get(`/activities/${run2.id}/items?pageSize=1`)).body.totalCount).toBe(batches * 1000);
  }, 300_000);

  it("list and items p50 latency with a few hundred activities", async () => {
    const n = Number(process.env.PERF_ACTIVITIES ?? 300);
    const existing = (await get("/activities?pageSize=1&topLevelOnly=false")).body.totalCount;
    for (let i = existing; i < n; i++) await createPlain(`perf ${i}`);
    const run = await createRun();
    await post(`/activities/${run.id}/items`, { items: makeItems(0, 1000) });
    const time = async (path: string, times = 40) => {
      const ms: number[] = [];
      for (let i = 0; i < times; i++) {
        const t = performance.now();
        const r = await get(path);
        ms.push(performance.now() - t);
        expect(r.status).toBe(200);
      }
      ms.sort((a, b) => a - b);
      return { p50: ms[Math.floor(ms.length / 2)], p95: ms[Math.floor(ms.length * 0.95)] };
    };
    const list = await time("/activities?pageSize=25");
    const filtered = await time("/activities?pageSize=25&status=InProgress&search=perf&sort=name");
    const items = await time(`/activities/${run.id}/items?pageSize=50&errorType=any`);
    const total = (await get("/activities?pageSize=1&topLevelOnly=false")).body.totalCount;
    console.log(`[perf:${STORE}] ${total} activities: GET /activities p50 ${list.p50.toFixed(1)} ms (p95 ${list.p95.toFixed(1)}); filtered+sorted p50 ${filtered.p50.toFixed(1)} ms; GET /items (1000 items, facets) p50 ${items.p50.toFixed(1)} ms (p95 ${items.p95.toFixed(1)})`);
    expect(list.p50).toBeLessThan(1000);
  }, 300_000);
});
