/**
 * Retention by what matters (issue 14.1): beyond the last SYNCWATCH_KEEP_ITEM_RUNS runs of a run
 * profile and run type, the items that did not fail are purged and the failed ones stay as long as
 * the run; the item routes say truthfully what is kept.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { expectError, get, post, unique } from "./helpers";

interface System {
  id: number;
  name: string;
  runProfiles: { id: number; name: string; runType: string }[];
}

let hr: System;
const KEEP = 3;

beforeAll(async () => {
  const systems = (await get("/connected-systems")).body.items as System[];
  hr = systems.find((s) => s.name === "Workday HR")!;
});

const profile = (runType: string) => hr.runProfiles.find((p) => p.runType === runType)!;

/** A finished run of the profile with `ok` items that did not fail and `failed` that did. */
async function finishedRun(runType: string, ok: number, failed: number) {
  const rp = profile(runType);
  const created = await post("/activities", {
    name: unique(`retention-${runType}`),
    targetType: "ConnectedSystemRunProfile",
    connectedSystemId: hr.id,
    runProfileId: rp.id,
  });
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  const items = Array.from({ length: ok + failed }, (_, i) => ({
    sequence: i,
    externalIdValue: `${id}-${i}`,
    displayName: `Worker ${i}`,
    connectedSystemObjectType: "person",
    objectChangeType: "Update",
    ...(i < failed
      ? {
          errorType: i % 2 ? "UnresolvedReference" : "MissingExternalIdAttributeValue",
          errorMessage: `Reference attribute 'manager' points to 'E${100000 + i}', which is not a known worker`,
          errorDetail: `detail of ${i}`,
        }
      : { outcomes: [{ type: "Updated", count: 1 }] }),
  }));
  expect((await post(`/activities/${id}/items`, { items })).status).toBe(200);
  expect((await post(`/activities/${id}/complete`, {})).status).toBe(200);
  return id;
}

describe("retention by what matters", () => {
  let fullRun = "";
  let oldDelta = "";
  let cleanDelta = "";
  let newestDelta = "";
  let okItemOfOldDelta = "";

  beforeAll(async () => {
    fullRun = await finishedRun("FullImport", 4, 2);
    oldDelta = await finishedRun("DeltaImport", 5, 3);
    okItemOfOldDelta = (await get(`/activities/${oldDelta}/items?errorType=none`)).body.items[0].id;
    cleanDelta = await finishedRun("DeltaImport", 4, 0);
    for (let i = 0; i < KEEP; i++) newestDelta = await finishedRun("DeltaImport", 2, 1);
    const r = await post("/retention/run");
    expect(r.status, r.text).toBe(200);
    expect(r.body.runsPurgedOfItems).toBeGreaterThanOrEqual(2);
    expect(r.body.failedItemsKept).toBeGreaterThanOrEqual(3);
  });

  it("keeps a run's failed items past the run count, with their error detail, and drops the rest", async () => {
    const a = (await get(`/activities/${oldDelta}`)).body;
    expect(a).toMatchObject({
      itemsRetained: false,
      itemsKept: "Failed",
      itemsPurgedAt: expect.any(String),
      itemCount: 8,
      failedItemCount: 3,
      totalObjectErrors: 3,
      errorTypeCounts: { MissingExternalIdAttributeValue: 2, UnresolvedReference: 1 },
    });
    const list = (await get(`/activities/${oldDelta}/items?pageSize=100`)).body;
    expect(list.items).toHaveLength(3);
    expect(list.items.every((i: { errorType: string | null }) => i.errorType !== null)).toBe(true);
    expect(list.totalCount).toBe(3);
    expect(list.facets.errorTypes).toEqual({ MissingExternalIdAttributeValue: 2, UnresolvedReference: 1 });
    expect(list.retention).toMatchObject({
      itemsKept: "Failed",
      purgedAt: a.itemsPurgedAt,
      purgedItems: 5,
      keptItems: 3,
      keepItemRuns: KEEP,
    });
    // kept as long as the run: created + SYNCWATCH_RETENTION_DAYS (90 by default)
    const until = Date.parse(list.retention.failedItemsKeptUntil);
    expect(until - Date.parse(a.created)).toBe(90 * 86_400_000);
    const detail = await get(`/activities/${oldDelta}/items/${list.items[0].id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.errorDetail).toMatch(/^detail of /);
    // the filtered list and the CSV answer with the failed items too
    const filtered = (await get(`/activities/${oldDelta}/items?errorType=UnresolvedReference`)).body;
    expect(filtered.items).toHaveLength(1);
    const csv = await get(`/activities/${oldDelta}/items.csv`);
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split("\n")).toHaveLength(1 + 3);
  });

  it("says which items were purged: 410 for a filter only purged items match, and for a purged item", async () => {
    const none = await get(`/activities/${oldDelta}/items?errorType=none`);
    expectError(none, 410, "GONE");
    expect(none.body.message).toContain("its 3 failed items are kept");
    expect(none.body.details).toMatchObject({ itemsKept: "Failed", purgedItems: 5, keptItems: 3, itemCount: 8 });
    // a filter that names failed types too answers with those
    expect((await get(`/activities/${oldDelta}/items?errorType=none,UnresolvedReference`)).body.items).toHaveLength(1);
    // an item that did not fail: listed before the purge, gone now
    const item = await get(`/activities/${oldDelta}/items/${okItemOfOldDelta}`);
    expectError(item, 410, "GONE");
    expect(item.body.message).toMatch(/is not kept: the items of this run without an error were purged on /);
    const noneCsv = await get(`/activities/${oldDelta}/items.csv?errorType=none`);
    expectError(noneCsv, 410, "GONE");
  });

  it("a run with no failed item beyond the count keeps nothing: 410 naming the purge", async () => {
    const a = (await get(`/activities/${cleanDelta}`)).body;
    expect(a).toMatchObject({ itemsRetained: false, itemsKept: "None", failedItemCount: 0, itemCount: 4 });
    const gone = await get(`/activities/${cleanDelta}/items`);
    expectError(gone, 410, "GONE");
    expect(gone.body.message).toMatch(/purged on .* \(it had no failed item\)/);
    expect(gone.body.details).toMatchObject({ itemsKept: "None", purgedItems: 4, keptItems: 0 });
  });

  it("counts per run profile and run type: the delta runs after it do not push a full run's items out", async () => {
    const full = (await get(`/activities/${fullRun}`)).body;
    expect(full).toMatchObject({ itemsRetained: true, itemsKept: "All", itemsPurgedAt: null });
    const list = (await get(`/activities/${fullRun}/items`)).body;
    expect(list.totalCount).toBe(6);
    expect(list.retention).toMatchObject({ itemsKept: "All", purgedAt: null, purgedItems: 0, keptItems: 6 });
    expect((await get(`/activities/${newestDelta}`)).body.itemsKept).toBe("All");
  });

  it("failed items stay through later purges, however many runs follow", async () => {
    for (let i = 0; i < KEEP + 1; i++) await finishedRun("DeltaImport", 1, 0);
    expect((await post("/retention/run")).status).toBe(200);
    const list = (await get(`/activities/${oldDelta}/items`)).body;
    expect(list.items).toHaveLength(3);
    expect((await get(`/activities/${newestDelta}`)).body).toMatchObject({ itemsKept: "Failed", failedItemCount: 1 });
  });
});
