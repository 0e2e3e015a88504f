/**
 * Hostile data for the layout specs: names of 200 characters without a space, recorded through
 * the API as any reporter could (an activity, its initiator, its failed objects and their errors).
 */
import type { APIRequestContext } from "@playwright/test";
import { expect, getJson } from "../fixtures";
import type { ActivityDetail, ActivityList } from "../../lib/api/activities";
import type { ConnectedSystem } from "../../lib/api/connected-systems";
import type { FailureObjectList } from "../../lib/api/failures";
import type { OperationsView } from "../../lib/api/operations";

/** 200 characters, no space. */
export const unbroken = (letter: string) => letter.repeat(200);

export const HOSTILE = {
  run: unbroken("W"),
  initiator: unbroken("U"),
  object: unbroken("D"),
  externalId: unbroken("E"),
  message: unbroken("M"),
  runError: unbroken("X"),
  /** Two long words (a name is at most 300 characters). */
  other: `${"Q".repeat(140)} ${"R".repeat(140)}`,
};

export interface HostileData {
  /** The run with the long name, its long initiator, failed objects and error. */
  run: ActivityDetail;
  /** The failure record of one of its objects (the object history page). */
  objectId: string;
}

/** Waits until the engine has written its demo history (the lists hold it all then). */
export async function demoHistoryWritten(api: APIRequestContext) {
  await expect
    .poll(async () => (await getJson<OperationsView>(api, "/api/v1/operations")).engine.writingHistory, {
      timeout: 300_000,
      intervals: [2000],
    })
    .toBe(false);
}

let made: HostileData | null = null;

/**
 * Records (once per run of the specs, and again if retention purged its items) a run whose every
 * name is 200 characters without a space, three failed objects likewise, and an activity of
 * another kind with two such words.
 */
export async function hostileData(api: APIRequestContext): Promise<HostileData> {
  if (made) {
    const again = await getJson<ActivityDetail>(api, `/api/v1/activities/${made.run.id}`);
    if (again.itemsRetained) return made;
  }
  await demoHistoryWritten(api);
  // one recorded by an earlier spec file of this run serves while its items are kept
  const earlier = await getJson<ActivityList>(
    api,
    `/api/v1/activities?search=${HOSTILE.run.slice(0, 40)}&topLevelOnly=false&pageSize=5`,
  );
  const kept = earlier.items.find((a) => a.name === HOSTILE.run && a.itemsRetained && a.status !== "InProgress");
  if (kept) return (made = await withObject(api, kept.id));
  // the last run profile of the last system: the one the other specs trigger least
  const { items: systems } = await getJson<{ items: ConnectedSystem[] }>(api, "/api/v1/connected-systems");
  const cs = systems[systems.length - 1];
  const rp = cs.runProfiles[cs.runProfiles.length - 1];
  const created = await api.post("/api/v1/activities", {
    data: {
      name: HOSTILE.run,
      targetType: "ConnectedSystemRunProfile",
      connectedSystemId: cs.id,
      runProfileId: rp.id,
      objectsToProcess: 3,
      initiatedBy: { type: "User", name: HOSTILE.initiator },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const items = [1, 2, 3].map((sequence) => ({
    sequence,
    externalIdValue: `${HOSTILE.externalId}${sequence}`,
    displayName: `${HOSTILE.object}${sequence}`,
    connectedSystemObjectType: "user",
    objectChangeType: "Update",
    errorType: "UnhandledError",
    errorMessage: HOSTILE.message,
    errorDetail: HOSTILE.message,
  }));
  const appended = await api.post(`/api/v1/activities/${id}/items`, { data: { items } });
  expect(appended.status(), await appended.text()).toBe(200);
  const completed = await api.post(`/api/v1/activities/${id}/complete`, {
    data: {
      objectsProcessed: 3,
      counters: { totalObjectsProcessed: 3, totalObjectErrors: 3 },
      errorMessage: HOSTILE.runError,
    },
  });
  expect(completed.status(), await completed.text()).toBe(200);
  const other = await getJson<ActivityList>(api, `/api/v1/activities?search=${HOSTILE.other.slice(0, 40)}&pageSize=1`);
  if (other.totalCount === 0) {
    const r = await api.post("/api/v1/activities", { data: { name: HOSTILE.other, targetType: "DataGeneration" } });
    expect(r.status(), await r.text()).toBe(201);
    const otherId = ((await r.json()) as { id: string }).id;
    await api.post(`/api/v1/activities/${otherId}/complete`, { data: {} });
  }
  return (made = await withObject(api, id));
}

/** The run and the failure record of one of its objects. */
async function withObject(api: APIRequestContext, runId: string): Promise<HostileData> {
  const objects = await getJson<FailureObjectList>(
    api,
    `/api/v1/failures/objects?search=${HOSTILE.object.slice(0, 40)}&pageSize=5`,
  );
  expect(objects.items.length, "the hostile objects are tracked as failures").toBeGreaterThan(0);
  return { run: await getJson<ActivityDetail>(api, `/api/v1/activities/${runId}`), objectId: objects.items[0].id };
}
