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
import type { ActivityList } from "../lib/api/schemas";

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
      await check(page, "activity-list");
    });

    test("run-profile activity detail", async ({ page, api }) => {
      // a run of this session, so the charts have a full set of progress samples
      const fresh = await waitForTerminal(api, await triggerRunProfile(api));
      const activity = fresh.totalObjectErrors > 0 ? fresh : await findRunWithItemErrors(api);
      await signInByApi(page, ADMIN_KEY);
      await page.goto(`/activities/${activity.id}`);
      await expect(page.getByTestId("counter-cards")).toBeVisible();
      await expect(page.getByTestId("item-row").first()).toBeVisible();
      await expect(page.getByTestId("throughput-chart").locator("svg").first()).toBeVisible();
      await check(page, "activity-detail");
    });

    test("schedule execution with its step tree", async ({ page, api }) => {
      const list = await getJson<ActivityList>(api, "/api/v1/activities?targetType=Schedule&pageSize=5");
      const schedule = list.items.find((a) => a.childCount > 0) ?? list.items[0];
      expect(schedule, "a schedule execution exists").toBeTruthy();
      await signInByApi(page, ADMIN_KEY);
      await page.goto(`/activities/${schedule.id}`);
      await expect(page.getByTestId("schedule-tree")).toBeVisible();
      await page.getByTestId("schedule-tree").getByRole("button", { name: "Expand all" }).click();
      await check(page, "schedule-tree");
    });

    test("execution-item grid with the drawer open", async ({ page, api }) => {
      const activity = await findRunWithItemErrors(api);
      await signInByApi(page, ADMIN_KEY);
      await page.goto(`/activities/${activity.id}?itemErrorType=any#items`);
      await page.getByTestId("item-row").first().getByRole("button").first().click();
      await expect(page.getByRole("dialog")).toBeVisible();
      await expect(page.getByTestId("drawer-external-id")).toBeVisible();
      await check(page, "item-drawer", false);
    });
  });
}
