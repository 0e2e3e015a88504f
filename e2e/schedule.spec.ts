import { expect, getJson, test, waitForTerminal } from "./fixtures";
import { triggerLongestSchedule } from "./support/detail";
import type { ScheduleExecution } from "../lib/api/schedules";
import type { ActivityList } from "../lib/api/activities";

test("a schedule execution shows every planned step, pending ones greyed, and advances live", async ({
  adminPage: page,
  api,
}) => {
  test.setTimeout(480_000);
  const id = await triggerLongestSchedule(api);
  const planned = await getJson<ScheduleExecution>(api, `/api/v1/schedule-executions/${id}`);
  await page.goto(`/activities/${id}`);
  const steps = page.getByTestId("schedule-step");
  // every planned step is listed from the start, pending ones included
  await expect(steps).toHaveCount(planned.stepCount);
  await expect(page.getByTestId("schedule-step-of")).toContainText(new RegExp(`of ${planned.stepCount}\\b`));
  const pendingNow = await steps.evaluateAll((els) => els.filter((e) => e.dataset.status === "Pending").length);
  expect(pendingNow, "steps not started yet show as Pending").toBeGreaterThan(0);
  const pending = steps.filter({ has: page.locator("[data-status=Pending]") }).first();
  await expect(pending).toBeVisible();
  await expect(pending.getByRole("link")).toHaveCount(0); // nothing to open yet

  // it advances live: the pending steps get fewer and the current one is highlighted with "step N of M"
  await expect
    .poll(() => steps.evaluateAll((els) => els.filter((e) => e.dataset.status === "Pending").length), {
      timeout: 120_000,
    })
    .toBeLessThan(pendingNow);
  const current = page.locator("[data-testid=schedule-step][aria-current=step]");
  if (await current.count()) {
    await expect(page.getByTestId("schedule-step-of")).toContainText(new RegExp(`Step \\d+ of ${planned.stepCount}`));
    await expect(current.getByRole("link")).toHaveAttribute("href", /^\/activities\/[0-9a-f-]{36}$/);
  }

  // the header's counts are its steps' so far, not the schedule's own (0 until it ends)
  const stepTotals = async () => {
    const list = await getJson<ActivityList>(api, `/api/v1/activities?scheduleExecutionId=${id}&pageSize=100`);
    const sum = (f: (a: ActivityList["items"][number]) => number) => list.items.reduce((n, a) => n + f(a), 0);
    return { changed: sum((a) => a.totalObjectChangeCount), errors: sum((a) => a.totalObjectErrors) };
  };
  const headerCounts = async () => ({
    changed: Number((await page.getByTestId("changes-count").innerText()).replace(/\D/g, "")),
    errors: Number((await page.getByTestId("errors-count").innerText()).replace(/\D/g, "")),
  });
  await expect
    .poll(async () => (await stepTotals()).changed, { timeout: 120_000, message: "a step changed objects" })
    .toBeGreaterThan(0);
  await expect
    .poll(
      async () => {
        const [header, steps] = [await headerCounts(), await stepTotals()];
        return header.changed === steps.changed && header.errors === steps.errors
          ? "the same"
          : JSON.stringify({ header, steps });
      },
      { timeout: 30_000, message: "the header shows its steps' counts" },
    )
    .toBe("the same");

  const final = await waitForTerminal(api, id, 400_000);
  await expect(page.getByTestId("final-indicator")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("status-badge").first()).toHaveAttribute("data-status", final.status);
  await expect(steps.filter({ has: page.locator("[data-status=Pending]") })).toHaveCount(0);
  await expect.poll(headerCounts).toEqual({ changed: final.totalObjectChangeCount, errors: final.totalObjectErrors });
  expect(await stepTotals(), "the schedule's totals are its steps'").toEqual({
    changed: final.totalObjectChangeCount,
    errors: final.totalObjectErrors,
  });
  const done = await getJson<ScheduleExecution>(api, `/api/v1/schedule-executions/${id}`);
  for (const [i, s] of done.steps.entries()) {
    if (s.activityId)
      await expect(steps.nth(i).getByRole("link")).toHaveAttribute("href", `/activities/${s.activityId}`);
  }
});

test("cancelling a schedule execution asks first, then stops it", async ({ adminPage: page, api }) => {
  const id = await triggerLongestSchedule(api);
  await page.goto(`/activities/${id}`);
  const button = page.getByTestId("cancel-schedule");
  await expect(button).toBeVisible({ timeout: 30_000 });
  await button.click();
  const dialog = page.getByRole("dialog", { name: /cancel this schedule execution/i });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel schedule execution" }).click();
  await expect(page.getByTestId("status-badge").first()).toHaveAttribute("data-status", "Cancelled", {
    timeout: 30_000,
  });
});
