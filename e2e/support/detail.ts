/** Helpers of the detail-page specs: runs of the demo history with a given shape, found through the API. */
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, getJson, pickRunProfile } from "../fixtures";
import type {
  ActivityDetail,
  ActivityList,
  ConnectedSystem,
  ExecutionItemList,
  TriggerResult,
} from "../../lib/api/schemas";

const RUNS_WITH_ERRORS =
  "/api/v1/activities?targetType=ConnectedSystemRunProfile&hasErrors=true&topLevelOnly=false&pageSize=100&sort=created&order=desc";

/** A finished run whose items were purged by retention but whose errors were counted. */
export async function findPurgedRunWithErrors(api: APIRequestContext): Promise<ActivityDetail> {
  for (let page = 1; page <= 5; page++) {
    const list = await getJson<ActivityList>(api, `${RUNS_WITH_ERRORS}&page=${page}`);
    const hit = list.items.find((a) => !a.itemsRetained && a.status !== "InProgress" && a.totalObjectErrors > 0);
    if (hit) return getJson<ActivityDetail>(api, `/api/v1/activities/${hit.id}`);
    if (!list.hasNextPage) break;
  }
  throw new Error("no purged run with errors in the demo history");
}

/** A finished run with kept items of which some failed objects are Recurring. */
export async function findRunWithRecurring(
  api: APIRequestContext,
): Promise<{ activity: ActivityDetail; recurring: number }> {
  const list = await getJson<ActivityList>(api, RUNS_WITH_ERRORS);
  for (const a of list.items) {
    if (a.status === "InProgress" || !a.itemsRetained) continue;
    const items = await getJson<ExecutionItemList>(api, `/api/v1/activities/${a.id}/items?pageSize=1`);
    const recurring = items.facets.recurrence.Recurring ?? 0;
    if (recurring > 0) return { activity: await getJson<ActivityDetail>(api, `/api/v1/activities/${a.id}`), recurring };
  }
  throw new Error("no run with recurring failures in the demo history");
}

/** Two triggers in one connected system's lane: the second waits behind the first. */
export async function triggerQueuedRun(api: APIRequestContext): Promise<{ running: string; queued: TriggerResult }> {
  const { items } = await getJson<{ items: ConnectedSystem[] }>(api, "/api/v1/connected-systems");
  const cs = items.find((c) => c.runProfiles.length >= 2) ?? (await pickRunProfile(api)).cs;
  const [first, second] = cs.runProfiles;
  const a = await api.post(`/api/v1/connected-systems/${cs.id}/run-profiles/${first.id}/execute`, { data: {} });
  expect(a.status(), await a.text()).toBe(202);
  const b = await api.post(`/api/v1/connected-systems/${cs.id}/run-profiles/${second.id}/execute`, { data: {} });
  expect([200, 202]).toContain(b.status());
  const queued = (await b.json()) as TriggerResult;
  return { running: ((await a.json()) as TriggerResult).activityId, queued };
}

/** Cancels whatever the test left running (best effort). */
export async function cancelQuietly(api: APIRequestContext, ...ids: string[]) {
  for (const id of ids) await api.post(`/api/v1/activities/${id}/cancel`, { data: {} }).catch(() => undefined);
}

/** True when the element's box lies entirely inside the viewport (nothing to scroll to see it). */
export async function inFirstScreen(page: Page, selector: ReturnType<Page["locator"]>): Promise<boolean> {
  const box = await selector.boundingBox();
  const vp = page.viewportSize();
  if (!box || !vp) return false;
  return box.y >= 0 && box.y + box.height <= vp.height;
}
