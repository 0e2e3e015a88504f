/**
 * A stable v1 (issue 16.5): the served OpenAPI document breaks nothing the last released one
 * promised (docs/api/openapi-1.0.0.json, compared by scripts/openapi-diff.ts), and the first
 * release's export address still answers, marked deprecated with its successor.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { breakingChanges } from "../../scripts/openapi-diff";
import { createRun, expectError, get, makeItems, post } from "./helpers";

const RELEASED = path.resolve(__dirname, "../../docs/api/openapi-1.0.0.json");

describe("the v1 contract", () => {
  it("the served document removes and narrows nothing of the released 1.0.0", async () => {
    const released = JSON.parse(fs.readFileSync(RELEASED, "utf8"));
    const served = await get("/openapi.json");
    expect(served.status).toBe(200);
    expect(released.info.version).toBe("1.0.0");
    expect(served.body.info.version).toBe("1.1.0");
    expect(breakingChanges(released, served.body)).toEqual([]);
    const legacy = served.body.paths["/activities/{id}/items/export"].get;
    expect(legacy.deprecated).toBe(true);
    expect(Object.keys(legacy.responses["200"].headers)).toEqual(expect.arrayContaining(["Deprecation", "Sunset"]));
  });

  it("GET /activities/{id}/items/export of the first release answers as items.csv, with Deprecation, Sunset and its successor", async () => {
    const run = await createRun();
    expect((await post(`/activities/${run.id}/items`, { items: makeItems(0, 30) })).status).toBe(200);
    const query = "errorType=any&sort=sequence&order=asc";
    const legacy = await get(`/activities/${run.id}/items/export?${query}`);
    const current = await get(`/activities/${run.id}/items.csv?${query}`);
    expect(legacy.status).toBe(200);
    expect(legacy.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(legacy.text).toBe(current.text);
    expect(legacy.text.trim().split("\n")).toHaveLength(1 + 3); // header and the 3 failed items
    expect(legacy.headers.get("deprecation")).toMatch(/^@\d{10}$/);
    expect(new Date(legacy.headers.get("sunset")!).getTime()).toBeGreaterThan(Date.now());
    expect(legacy.headers.get("link")).toBe(
      `</api/v1/activities/${run.id}/items.csv?${query}>; rel="successor-version"`,
    );
    expect(current.headers.get("deprecation")).toBeNull();
    // Its errors are the successor's, and marked too.
    const bad = await get(`/activities/${run.id}/items/export?errorType=Nonsense`);
    expectError(bad, 400, "BAD_REQUEST");
    expect(bad.headers.get("deprecation")).not.toBeNull();
  });

  it("count accepts exact and nothing else", async () => {
    expect((await get("/activities?count=exact&pageSize=1")).body.countStatus).toBe("exact");
    expectError(await get("/activities?count=fast"), 400, "BAD_REQUEST");
  });
});
