import type { APIRequestContext, Page } from "@playwright/test";
import { expect, getJson } from "../fixtures";
import type { ActivityList, TriggerResult } from "../../lib/api/activities";
import type { ConnectedSystem } from "../../lib/api/connected-systems";

/** The ids of the activity rows (or cards) shown, in order. */
export const shownIds = (page: Page) =>
  page.getByTestId("activity-row").evaluateAll((els) => els.map((e) => e.getAttribute("data-activity-id")));

/**
 * A status whose top-level filter leaves matching schedule steps out (stepMatches.count > 0). Only
 * statuses that do not imply the steps on the page (a filter for failures includes them at once).
 */
export async function statusWithHiddenSteps(api: APIRequestContext) {
  for (const status of ["Complete", "CompleteWithWarning", "Cancelled"]) {
    const list = await getJson<ActivityList>(api, `/api/v1/activities?status=${status}&pageSize=1`);
    if (list.stepMatches && list.stepMatches.count > 0) return { status, stepMatches: list.stepMatches };
  }
  throw new Error("the demo history has no status whose filter matches schedule steps");
}

/** A connected system with at least two run profiles: P (a synchronisation or import) and Q (another one). */
export async function pickBusyLane(api: APIRequestContext) {
  const { items } = await getJson<{ items: ConnectedSystem[] }>(api, "/api/v1/connected-systems");
  const cs = [...items].sort((a, b) => b.runProfiles.length - a.runProfiles.length)[0];
  expect(cs.runProfiles.length, "a connected system with two run profiles").toBeGreaterThan(1);
  const rank = ["FullSynchronisation", "FullImport", "Export", "DeltaSynchronisation", "DeltaImport"];
  const byLength = [...cs.runProfiles].sort((a, b) => rank.indexOf(a.runType) - rank.indexOf(b.runType));
  return { cs, p: byLength[0], q: byLength[1] };
}

/**
 * Fills one lane so that it stays busy for a while on a slow machine: P starts, every other run
 * profile of the system waits behind it, and P triggered a second time waits last, behind the one
 * triggered just before it (a second trigger of P while P only runs is not deduplicated: only a
 * queued run of P would be).
 */
export async function queueBehind(api: APIRequestContext) {
  const { cs, p, q } = await pickBusyLane(api);
  const trigger = async (rpId: number) => {
    const res = await api.post(`/api/v1/connected-systems/${cs.id}/run-profiles/${rpId}/execute`, { data: {} });
    expect(res.status(), await res.text()).toBe(202);
    return (await res.json()) as TriggerResult;
  };
  const running = await trigger(p.id);
  const others: TriggerResult[] = [];
  for (const rp of cs.runProfiles.filter((r) => r.id !== p.id)) others.push(await trigger(rp.id));
  const queued = await trigger(p.id);
  const ahead = others[others.length - 1];
  expect(ahead.queued, "the other run profiles wait for P").toBe(true);
  expect(queued.queued, "the second trigger of P waits").toBe(true);
  expect(queued.queuePosition).toBe(others.length + 1);
  const ids = [queued.activityId, ...others.map((o) => o.activityId).reverse(), running.activityId];
  return { cs, p, q, running, ahead, queued, ids };
}

/** Cancels whatever these tests left queued or running. */
export async function cancelAll(api: APIRequestContext, ids: string[]) {
  for (const id of ids) await api.post(`/api/v1/activities/${id}/cancel`, { data: {} });
}

/** Deletes every saved view of the administrator key (a default view would redirect other tests). */
export async function deleteSavedViews(api: APIRequestContext) {
  const { items } = await getJson<{ items: { id: string }[] }>(api, "/api/v1/saved-views");
  for (const v of items) await api.delete(`/api/v1/saved-views/${v.id}`);
}
