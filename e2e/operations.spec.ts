import { expect, getJson, test } from "./fixtures";
import type { ActivityDetail } from "../lib/api/activities";
import type { OperationsView } from "../lib/api/operations";
import { cancelAll, pickBusyLane, queueBehind } from "./support/list";

const nth = (n: number) =>
  `${n}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("a queued run shows as queued with its place, in the list and in Operations; cancel removes it", async ({
  adminPage: page,
  api,
}) => {
  const { cs, p } = await pickBusyLane(api);
  // the page is open first: the runs arrive by long polling
  await page.goto(`/?connectedSystemId=${cs.id}&runProfileId=${p.id}`);
  await expect(page.getByTestId("activity-row").first()).toBeVisible();
  const lane = await queueBehind(api);
  try {
    const ahead = await getJson<ActivityDetail>(api, `/api/v1/activities/${lane.ahead.activityId}`);

    // the list: "Queued · 4th behind <run>", not a ticking "In progress"
    const row = page.locator(`[data-testid=activity-row][data-activity-id="${lane.queued.activityId}"]`);
    await expect(row.getByTestId("status-badge")).toHaveAttribute("data-status", "Queued");
    await expect(row.getByTestId("status-badge")).toHaveText("Queued");
    // its place (as the API says it at that moment) and the run it waits behind
    await expect
      .poll(async () => {
        const now = await getJson<ActivityDetail>(api, `/api/v1/activities/${lane.queued.activityId}`);
        const shown = await row.getByTestId("queue-place").textContent();
        return now.queue ? shown === `${nth(now.queue.position)} behind ${ahead.name}` : "started";
      })
      .toBe(true);
    await expect(row).toContainText("waiting");
    const runningRow = page.locator(`[data-testid=activity-row][data-activity-id="${lane.running.activityId}"]`);
    await expect(runningRow.getByTestId("status-badge")).not.toHaveAttribute("data-status", "Queued");

    // Operations: the same run in its lane, with its place and what it waits behind
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Operations" }).click();
    await expect(page).toHaveURL(/\/operations$/);
    await expect(page.getByRole("heading", { level: 1, name: "Operations" })).toBeVisible();
    const waiting = page.locator(`[data-testid=ops-queued-row][data-activity-id="${lane.queued.activityId}"]`);
    await expect(waiting.getByTestId("queue-place")).toHaveText(
      new RegExp(`^\\d+(st|nd|rd|th) in line · behind ${escapeRe(ahead.name)}$`),
    );
    await expect(page.getByTestId("ops-running-row").first().getByRole("progressbar")).toBeVisible();
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
    const after = await getJson<ActivityDetail>(api, `/api/v1/activities/${lane.queued.activityId}`);
    expect(after.status).toBe("Cancelled");
    const ops = await getJson<OperationsView>(api, "/api/v1/operations");
    expect(ops.queued.map((a) => a.id)).not.toContain(lane.queued.activityId);
  } finally {
    await cancelAll(api, lane.ids);
  }
});

test("running a run profile from Operations warns when its system is busy", async ({ adminPage: page, api }) => {
  const { cs, p } = await pickBusyLane(api);
  await page.goto("/operations");
  await expect(page.getByTestId("ops-upcoming-row").first()).toBeVisible();
  const lane = await queueBehind(api);
  try {
    await expect(
      page.locator(`[data-testid=ops-queued-row][data-activity-id="${lane.queued.activityId}"]`),
    ).toBeVisible();
    await page.getByLabel("Run a run profile").selectOption(`${cs.id}:${p.id}`);
    await page.getByRole("button", { name: "Run…" }).click();
    const dialog = page.getByTestId("trigger-dialog");
    await expect(dialog).toContainText(`${cs.name} is busy`);
    await expect(dialog).toContainText("queued");
    await dialog.getByRole("button", { name: "Queue it anyway" }).click();
    // the queued run of the same profile is reused, not doubled
    await expect(page.getByRole("status").filter({ hasText: /already queued/ })).toBeVisible();
    const ops = await getJson<OperationsView>(api, "/api/v1/operations");
    expect(ops.queued.filter((a) => a.runProfileId === p.id)).toHaveLength(1);
  } finally {
    await cancelAll(api, lane.ids);
  }
});
