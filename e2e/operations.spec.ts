import { expect, getJson, test } from "./fixtures";
import type { ActivityDetail, OperationsView } from "../lib/api/schemas";
import { cancelAll, triggerTwice } from "./support/list";

test("a queued run shows as queued with its place, in the list and in Operations; cancel removes it", async ({
  adminPage: page,
  api,
}) => {
  const { cs, rpId, running, queued } = await triggerTwice(api);
  try {
    const first = await getJson<ActivityDetail>(api, `/api/v1/activities/${running.activityId}`);

    // the list: "Queued · 1st behind <the running run>", not a ticking "In progress"
    await page.goto(`/?connectedSystemId=${cs.id}&runProfileId=${rpId}`);
    const row = page.locator(`[data-testid=activity-row][data-activity-id="${queued.activityId}"]`);
    await expect(row.getByTestId("status-badge")).toHaveAttribute("data-status", "Queued");
    await expect(row.getByTestId("status-badge")).toHaveText("Queued");
    expect(queued.queuePosition).toBe(1);
    await expect(row.getByTestId("queue-place")).toHaveText(`1st behind ${first.name}`);
    await expect(row).toContainText("waiting");

    // Operations: the same run in its lane, with its place and what it waits behind
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Operations" }).click();
    await expect(page).toHaveURL(/\/operations$/);
    await expect(page.getByRole("heading", { level: 1, name: "Operations" })).toBeVisible();
    const running_ = page.locator(`[data-testid=ops-running-row][data-activity-id="${running.activityId}"]`);
    await expect(running_).toBeVisible();
    await expect(running_.getByRole("progressbar")).toBeVisible();
    const waiting = page.locator(`[data-testid=ops-queued-row][data-activity-id="${queued.activityId}"]`);
    await expect(waiting.getByTestId("queue-place")).toHaveText(`1st in line · behind ${first.name}`);
    await expect(page.getByTestId("ops-upcoming-row").first()).toBeVisible();

    // cancel the queued run: a confirmation first; "keep" keeps it
    await waiting.getByRole("button", { name: /Cancel/ }).click();
    const dialog = page.getByRole("dialog", { name: "Cancel this queued run?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Keep it queued" }).click();
    await expect(dialog).toBeHidden();
    await expect(waiting).toBeVisible();
    await waiting.getByRole("button", { name: /Cancel/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel queued run" }).click();
    await expect(waiting).toHaveCount(0);
    const after = await getJson<ActivityDetail>(api, `/api/v1/activities/${queued.activityId}`);
    expect(after.status).toBe("Cancelled");
    expect(after.started, "a cancelled queued run never started").toBeNull();
    const ops = await getJson<OperationsView>(api, "/api/v1/operations");
    expect(ops.queued.map((a) => a.id)).not.toContain(queued.activityId);
  } finally {
    await cancelAll(api, [queued.activityId, running.activityId]);
  }
});

test("running a run profile from Operations warns when its system is busy", async ({ adminPage: page, api }) => {
  const { cs, rpId, running, queued } = await triggerTwice(api);
  try {
    await page.goto("/operations");
    await page.getByLabel("Run a run profile").selectOption(`${cs.id}:${rpId}`);
    await page.getByRole("button", { name: "Run…" }).click();
    const dialog = page.getByTestId("trigger-dialog");
    await expect(dialog).toContainText(`${cs.name} is busy`);
    await expect(dialog).toContainText("running");
    await dialog.getByRole("button", { name: "Queue it anyway" }).click();
    // the queued run of the same profile is reused, not doubled
    await expect(page.getByRole("status").filter({ hasText: /already queued/ })).toBeVisible();
    const ops = await getJson<OperationsView>(api, "/api/v1/operations");
    expect(ops.queued.filter((a) => a.runProfileId === rpId)).toHaveLength(1);
  } finally {
    await cancelAll(api, [queued.activityId, running.activityId]);
  }
});
