import type { Page } from "@playwright/test";
import {
  ADMIN_KEY,
  expect,
  findRunWithItemErrors,
  getJson,
  saveScreenshot,
  seriousViolations,
  setTheme,
  signInByApi,
  test,
  triggerRunProfile,
  waitForTerminal,
} from "./fixtures";
import type { ActivityList } from "../lib/api/activities";
import { cancelAll, queueBehind, statusWithHiddenSteps } from "./support/list";

/** Every page, light and dark: zero serious/critical axe violations, and a screenshot for the docs. */
for (const theme of ["light", "dark"] as const) {
  test.describe(`${theme} mode`, () => {
    test.beforeEach(async ({ page }) => setTheme(page, theme));

    async function check(page: Page, name: string, fullPage = true) {
      await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark).*$/);
      await page.waitForTimeout(400);
      await saveScreenshot(page, `${name}-${theme}`, fullPage);
      const violations = await seriousViolations(page);
      expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    }

    test("sign-in page", async ({ page }) => {
      await page.goto("/sign-in");
      await expect(page.getByLabel("API key")).toBeVisible();
      await check(page, "sign-in", false);
    });

    test("activity list", async ({ page }) => {
      await signInByApi(page, ADMIN_KEY);
      await page.goto("/");
      await expect(page.getByTestId("activity-row").first()).toBeVisible();
      await check(page, "activity-list", false);
    });

    test("activity list with steps surfaced and the saved views open", async ({ page, api }) => {
      const { status } = await statusWithHiddenSteps(api);
      await signInByApi(page, ADMIN_KEY);
      await page.goto(`/?status=${status}`);
      await page.getByTestId("step-matches").getByRole("button").click();
      await expect(page.getByTestId("parent-schedule-link").first()).toBeVisible();
      await check(page, "activity-list-steps", false);
      await page.getByTestId("saved-views-toggle").click();
      await expect(page.getByRole("region", { name: "Saved views" })).toBeVisible();
      const violations = await seriousViolations(page);
      expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    });

    test("operations with a queued run", async ({ page, api }) => {
      await signInByApi(page, ADMIN_KEY);
      await page.goto("/operations");
      await expect(page.getByTestId("ops-upcoming-row").first()).toBeVisible();
      const lane = await queueBehind(api); // arrives by long polling
      try {
        await expect(page.getByTestId("ops-queued-row").first()).toBeVisible();
        await saveScreenshot(page, `operations-queued-${theme}`, false);
        // the confirmation of a run (the queue moves on while axe runs, so not a queued row's dialog)
        await page.getByLabel("Run a run profile").selectOption(`${lane.cs.id}:${lane.q.id}`);
        await page.getByRole("button", { name: "Run…" }).click();
        await expect(page.getByTestId("trigger-dialog")).toBeVisible();
        const violations = await seriousViolations(page);
        expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
        await page.getByTestId("trigger-dialog").getByRole("button", { name: "Not now" }).click();
        await check(page, "operations", false);
      } finally {
        await cancelAll(api, lane.ids);
      }
    });

    test("404 page", async ({ page }) => {
      await signInByApi(page, ADMIN_KEY);
      await page.goto("/no-such-page");
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await check(page, "not-found", false);
    });

    // The detail page: a run profile's, a schedule execution's with its steps, and a failed run's with the drawer open.
    test("run-profile activity detail", async ({ page, api }) => {
      const fresh = await waitForTerminal(api, await triggerRunProfile(api));
      const activity = fresh.totalObjectErrors > 0 ? fresh : await findRunWithItemErrors(api);
      await signInByApi(page, ADMIN_KEY);
      await page.goto(`/activities/${activity.id}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(activity.name);
      await expect(page.getByTestId("status-badge").first()).toBeVisible();
      await check(page, "activity-detail");
    });

    test("schedule execution with its steps", async ({ page, api }) => {
      const list = await getJson<ActivityList>(api, "/api/v1/activities?targetType=Schedule&pageSize=5");
      const schedule = list.items.find((a) => a.childCount > 0) ?? list.items[0];
      expect(schedule, "a schedule execution exists").toBeTruthy();
      await signInByApi(page, ADMIN_KEY);
      await page.goto(`/activities/${schedule.id}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(schedule.name);
      await expect(page.getByTestId("schedule-step").first()).toBeVisible();
      await check(page, "schedule-execution");
    });

    test("activity detail with failed items", async ({ page, api }) => {
      const activity = await findRunWithItemErrors(api);
      await signInByApi(page, ADMIN_KEY);
      await page.goto(`/activities/${activity.id}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(activity.name);
      await expect(page.getByText(activity.totalObjectErrors.toLocaleString("en-US")).first()).toBeVisible();
      await page.getByTestId("item-row").first().getByTestId("item-open").click();
      await expect(page.getByRole("dialog")).toBeVisible();
      await check(page, "item-drawer", false);
    });
  });
}
