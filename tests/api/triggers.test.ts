import { describe, expect, it } from "vitest";
import { api, expectError, get, pollUntilTerminal, post } from "./helpers";

describe("configuration", () => {
  it("lists connected systems with object types and run profiles", async () => {
    const r = await get("/connected-systems");
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    const cs = r.body.items[0];
    expect(cs).toMatchObject({
      id: expect.any(Number),
      name: expect.any(String),
      kind: expect.stringMatching(/HrSource|Directory|Application/),
      externalIdAttribute: expect.any(String),
    });
    expect(Array.isArray(cs.objectTypes)).toBe(true);
    expect(cs.runProfiles[0]).toMatchObject({
      id: expect.any(Number),
      name: expect.any(String),
      runType: expect.any(String),
    });
  });

  it("lists schedules with their steps", async () => {
    const r = await get("/schedules");
    expect(r.status).toBe(200);
    for (const s of r.body.items) {
      expect(s).toMatchObject({
        id: expect.any(Number),
        name: expect.any(String),
        intervalMinutes: expect.any(Number),
        enabled: expect.any(Boolean),
      });
      for (const st of s.steps)
        expect(st).toMatchObject({
          position: expect.any(Number),
          runProfileId: expect.any(Number),
          connectedSystemName: expect.any(String),
        });
    }
  });
});

describe("triggers", () => {
  it("runs a run profile: 202 with Location, then the activity ends with stats and items", async () => {
    const systems = (await get("/connected-systems")).body.items;
    const cs = systems.find((c: any) => c.runProfiles.length);
    const rp = cs.runProfiles[0];
    const r = await post(`/connected-systems/${cs.id}/run-profiles/${rp.id}/execute`);
    expect(r.status, r.text).toBe(202);
    expect(r.body).toMatchObject({
      activityId: expect.any(String),
      status: expect.any(String),
      location: `/api/v1/activities/${r.body.activityId}`,
    });
    expect(r.headers.get("location")).toBe(r.body.location);
    const a = await pollUntilTerminal(r.body.activityId, 110_000);
    expect(a).toMatchObject({
      targetType: "ConnectedSystemRunProfile",
      connectedSystemId: cs.id,
      runProfileId: rp.id,
      initiatedBy: { type: "ApiKey" },
    });
    const stats = await get(`/activities/${a.id}/stats`);
    expect(stats.status).toBe(200);
    expect(Object.keys(stats.body)).toHaveLength(25); // the 23 counters, errorTypeCounts, objectTypeCounts
    const items = await get(`/activities/${a.id}/items?pageSize=100`);
    expect(items.status).toBe(200);
    expect(items.body.totalCount).toBeGreaterThanOrEqual(items.body.items.length);
  }, 120_000);

  it("runs a schedule: a parent activity with children", async () => {
    const schedules = (await get("/schedules")).body.items;
    if (!schedules.length) return;
    const s = schedules[0];
    const r = await api("POST", `/schedules/${s.id}/execute`, { rawBody: "" });
    expect(r.status, r.text).toBe(202);
    const a = await get(`/activities/${r.body.activityId}`);
    expect(a.body).toMatchObject({ targetType: "Schedule", scheduleId: s.id });
    // cancel it so it does not keep the engine busy for later tests
    await post(`/activities/${r.body.activityId}/cancel`, { reason: "test over" });
  });

  it("404 for unknown configuration ids, 400 for malformed ones, 400 for a body with fields", async () => {
    expectError(await post("/connected-systems/999999/run-profiles/1/execute"), 404, "NOT_FOUND");
    expectError(await post("/schedules/999999/execute"), 404, "NOT_FOUND");
    expectError(await post("/schedules/abc/execute"), 400, "BAD_REQUEST");
    expectError(await post("/connected-systems/0/run-profiles/1/execute"), 400, "BAD_REQUEST");
    expectError(await post("/schedules/1/execute", { now: true }), 400, "BAD_REQUEST");
  });
});
