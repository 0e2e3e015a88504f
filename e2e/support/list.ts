import type { APIRequestContext, Page } from "@playwright/test";
import { expect, getJson, pickRunProfile } from "../fixtures";
import type { ActivityList, TriggerResult } from "../../lib/api/schemas";

/** The ids of the activity rows (or cards) shown, in order. */
export const shownIds = (page: Page) =>
  page.getByTestId("activity-row").evaluateAll((els) => els.map((e) => e.getAttribute("data-activity-id")));

/** A status whose top-level filter leaves matching schedule steps out (stepMatches.count > 0). */
export async function statusWithHiddenSteps(api: APIRequestContext) {
  for (const status of ["FailedWithError", "CompleteWithError", "Complete"]) {
    const list = await getJson<ActivityList>(api, `/api/v1/activities?status=${status}&pageSize=1`);
    if (list.stepMatches && list.stepMatches.count > 0) return { status, stepMatches: list.stepMatches };
  }
  throw new Error("the demo history has no status whose filter matches schedule steps");
}

/** Triggers the same run profile twice: the first runs, the second waits behind it. */
export async function triggerTwice(api: APIRequestContext) {
  const { cs, rpId } = await pickRunProfile(api);
  const url = `/api/v1/connected-systems/${cs.id}/run-profiles/${rpId}/execute`;
  const first = await api.post(url, { data: {} });
  expect(first.status(), await first.text()).toBe(202);
  const second = await api.post(url, { data: {} });
  expect(second.status(), await second.text()).toBe(202);
  const a = (await first.json()) as TriggerResult;
  const b = (await second.json()) as TriggerResult;
  expect(b.queued, "the second trigger of a busy run profile waits").toBe(true);
  return { cs, rpId, running: a, queued: b };
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
