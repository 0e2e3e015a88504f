/**
 * An object's story (issue 14.4): the runs in which it failed and those in which it succeeded in
 * between, its streak and first occurrence, and its state as of the run being viewed — the item's
 * New/Recurring badge and its story never disagree.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { get, post, unique } from "./helpers";

interface System {
  id: number;
  name: string;
  runProfiles: { id: number; name: string; runType: string }[];
}
let hr: System;
const OBJECT = unique("story-object");

beforeAll(async () => {
  hr = ((await get("/connected-systems")).body.items as System[]).find((s) => s.name === "Workday HR")!;
});

/** A finished run of the HR profile in which OBJECT failed (with `message`) or succeeded. */
async function run(runType: string, outcome: "fail" | "ok", message = "Reference attribute 'manager' points to 'E1'") {
  const rp = hr.runProfiles.find((p) => p.runType === runType)!;
  const created = await post("/activities", {
    name: unique(`story-${runType}`),
    targetType: "ConnectedSystemRunProfile",
    connectedSystemId: hr.id,
    runProfileId: rp.id,
  });
  const id = created.body.id as string;
  const items = [
    {
      sequence: 0,
      externalIdValue: OBJECT,
      displayName: "Story Person",
      connectedSystemObjectType: "person",
      objectChangeType: "Update",
      ...(outcome === "fail"
        ? { errorType: "UnresolvedReference", errorMessage: message }
        : { outcomes: [{ type: "Updated", count: 1 }] }),
    },
  ];
  expect((await post(`/activities/${id}/items`, { items })).status).toBe(200);
  expect((await post(`/activities/${id}/complete`, {})).status).toBe(200);
  const item = (await get(`/activities/${id}/items`)).body.items[0];
  return { id, itemId: item.id as string, recurrence: item.recurrence as string | null };
}

describe("an object's story", () => {
  const runs: Record<string, Awaited<ReturnType<typeof run>>> = {};
  let failureId = "";

  beforeAll(async () => {
    runs.n1 = await run("FullImport", "fail");
    runs.d1 = await run("DeltaImport", "ok");
    runs.d2 = await run("DeltaImport", "ok");
    runs.n2 = await run("FullImport", "fail", "Reference attribute 'manager' points to 'E2'");
    runs.n3 = await run("FullImport", "ok");
    runs.n4 = await run("FullImport", "fail");
    const found = await get(`/failures/objects?search=${encodeURIComponent(OBJECT)}&state=Open,Recovered`);
    failureId = found.body.items[0].id;
  });

  it("New where the streak began, Recurring while it was already failing, whatever ran in between", () => {
    expect([runs.n1, runs.n2, runs.n4].map((r) => r.recurrence)).toEqual(["New", "Recurring", "New"]);
  });

  it("the failure object tells the runs it failed in and those it succeeded in between, newest first", async () => {
    const f = (await get(`/failures/objects/${failureId}`)).body;
    expect(
      f.runs.map((r: { activityId: string; outcome: string; recovered: boolean; streak: number | null }) => [
        r.activityId,
        r.outcome,
        r.recovered,
        r.streak,
      ]),
    ).toEqual([
      [runs.n4.id, "Failed", false, 1],
      [runs.n3.id, "Succeeded", true, null],
      [runs.n2.id, "Failed", false, 2],
      [runs.d2.id, "Succeeded", false, null],
      [runs.d1.id, "Succeeded", false, null],
      [runs.n1.id, "Failed", false, 1],
    ]);
    expect(f.runs[2]).toMatchObject({ errorType: "UnresolvedReference", itemId: runs.n2.itemId, activityExists: true });
    expect(f.asOf).toBeNull();
    const asOf = (await get(`/failures/objects/${failureId}?asOf=${runs.n2.id}`)).body.asOf;
    expect(asOf).toMatchObject({ activityId: runs.n2.id, outcome: "Failed", new: false, streak: 2, laterFailures: 1 });
    expect(asOf.firstOccurred).toBe(f.runs[5].firstOccurred);
    expect(asOf.laterRecoveredAt).toBe(f.runs[1].at);
  });

  it("an item's story is the object as of that run, and agrees with its badge", async () => {
    for (const key of ["n1", "n2", "n4"]) {
      const item = (await get(`/activities/${runs[key].id}/items/${runs[key].itemId}`)).body;
      expect(item.story.activityId).toBe(runs[key].id);
      expect(item.story.new).toBe(item.recurrence === "New");
      expect(item.story.outcome).toBe("Failed");
    }
    const first = (await get(`/activities/${runs.n1.id}/items/${runs.n1.itemId}`)).body;
    // as of the nightly that began it: New, one failure so far; it failed again later and recovered
    expect(first.story).toMatchObject({ new: true, streak: 1, laterFailures: 2, laterRecoveredAt: expect.any(String) });
    // the object now: failing again since the fourth run
    expect(first.failure).toMatchObject({ state: "Open" });
    const between = (await get(`/activities/${runs.d1.id}/items/${runs.d1.itemId}`)).body;
    expect(between.story).toMatchObject({ outcome: "Succeeded", recovered: false, streak: 1, new: false });
    const recovered = (await get(`/activities/${runs.n3.id}/items/${runs.n3.itemId}`)).body;
    expect(recovered.story).toMatchObject({ outcome: "Succeeded", recovered: true, streak: 0, firstOccurred: null });
  });
});
