/** Helpers of the detail-page specs: runs of the demo history with a given shape, found through the API. */
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, getJson } from "../fixtures";
import type { ActivityDetail, ActivityList, TriggerResult } from "../../lib/api/activities";
import type { ConnectedSystem } from "../../lib/api/connected-systems";
import type { ExecutionItemList } from "../../lib/api/items";
import type { Schedule } from "../../lib/api/schedules";

let settled = false;
/**
 * The e2e server answers before its demo history is fully written, and retention purges items
 * when it is: wait until the history stops growing, then run retention, so what the helpers
 * find stays true for the test.
 */
export async function settleDemoHistory(api: APIRequestContext) {
  if (settled) return;
  let last = -1;
  for (let i = 0; i < 120; i++) {
    const { totalCount } = await getJson<ActivityList>(
      api,
      "/api/v1/activities?topLevelOnly=false&pageSize=1&count=exact",
    );
    if (totalCount === last && totalCount >= 300) break;
    last = totalCount ?? -1;
    await new Promise((r) => setTimeout(r, 3000));
  }
  const res = await api.post("/api/v1/retention/run", { data: {} });
  expect(res.ok(), await res.text()).toBeTruthy();
  settled = true;
}

/** The newest finished run whose items are kept with at least `minFailed` failed items. */
export async function findFailedRunWithItems(api: APIRequestContext, minFailed = 3): Promise<ActivityDetail> {
  await settleDemoHistory(api);
  const list = await getJson<ActivityList>(api, RUNS_WITH_ERRORS);
  for (const a of list.items) {
    if (a.status === "InProgress" || !a.itemsRetained || a.totalObjectErrors < minFailed) continue;
    const items = await getJson<ExecutionItemList>(
      api,
      `/api/v1/activities/${a.id}/items?errorType=any&pageSize=1&count=exact`,
    );
    if (items.totalCount! >= minFailed) return getJson<ActivityDetail>(api, `/api/v1/activities/${a.id}`);
  }
  throw new Error(`no finished run with ${minFailed} failed items kept in the demo history`);
}

const RUNS_WITH_ERRORS =
  "/api/v1/activities?targetType=ConnectedSystemRunProfile&hasErrors=true&topLevelOnly=false&pageSize=100&sort=created&order=desc";

/** A finished run whose items were purged by retention but whose errors were counted. */
export async function findPurgedRunWithErrors(api: APIRequestContext): Promise<ActivityDetail> {
  await settleDemoHistory(api);
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
  await settleDemoHistory(api);
  const list = await getJson<ActivityList>(api, RUNS_WITH_ERRORS);
  for (const a of list.items) {
    if (a.status === "InProgress" || !a.itemsRetained) continue;
    const items = await getJson<ExecutionItemList>(api, `/api/v1/activities/${a.id}/items?pageSize=1`);
    const recurring = items.facets.recurrence.Recurring ?? 0;
    if (recurring > 0) return { activity: await getJson<ActivityDetail>(api, `/api/v1/activities/${a.id}`), recurring };
  }
  throw new Error("no run with recurring failures in the demo history");
}

/** Three triggers in one connected system's lane, the slowest first: the third waits 2nd in line. */
export async function triggerQueuedRun(
  api: APIRequestContext,
): Promise<{ ids: string[]; queued: TriggerResult; behindName: string }> {
  const { items } = await getJson<{ items: ConnectedSystem[] }>(api, "/api/v1/connected-systems");
  const cs = [...items].sort((x, y) => y.runProfiles.length - x.runProfiles.length)[0];
  const slow = ["FullSynchronisation", "FullImport", "DeltaSynchronisation", "DeltaImport", "Export"];
  const profiles = [...cs.runProfiles].sort((x, y) => slow.indexOf(x.runType) - slow.indexOf(y.runType));
  expect(profiles.length, "a connected system with 3 run profiles").toBeGreaterThanOrEqual(3);
  const results: TriggerResult[] = [];
  for (const rp of profiles.slice(0, 3)) {
    const res = await api.post(`/api/v1/connected-systems/${cs.id}/run-profiles/${rp.id}/execute`, { data: {} });
    expect([200, 202], await res.text()).toContain(res.status());
    results.push((await res.json()) as TriggerResult);
  }
  const behind = await getJson<ActivityDetail>(api, `/api/v1/activities/${results[1].activityId}`);
  return { ids: results.map((r) => r.activityId), queued: results[2], behindName: behind.name };
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

/** Runs the schedule with the most steps (the longest), so a test sees steps still pending. */
export async function triggerLongestSchedule(api: APIRequestContext): Promise<string> {
  const { items } = await getJson<{ items: Schedule[] }>(api, "/api/v1/schedules");
  const schedule = [...items].sort((a, b) => b.steps.length - a.steps.length)[0];
  expect(schedule, "a schedule is configured").toBeTruthy();
  const res = await api.post(`/api/v1/schedules/${schedule.id}/execute`, { data: {} });
  expect([200, 202], await res.text()).toContain(res.status());
  return ((await res.json()) as TriggerResult).activityId;
}
