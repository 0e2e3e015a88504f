import { expect, saveScreenshot, test } from "./fixtures";

test.use({ viewport: { width: 768, height: 1000 } });

const noSidewaysScroll = (page: import("@playwright/test").Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

test("at 768 px the list has no sideways scrolling and cards keep status, name, target, errors and time", async ({
  adminPage: page,
}) => {
  await page.goto("/?topLevelOnly=false&hasErrors=true");
  const card = page.getByTestId("activity-row").first();
  await expect(card).toBeVisible();
  expect(await noSidewaysScroll(page)).toBe(true);
  await expect(card.getByTestId("status-badge")).toBeVisible();
  await expect(card.getByTestId("activity-link")).toBeVisible();
  await expect(card.getByTestId("relative-time")).toBeVisible();
  await expect(card).toContainText("Errors");
  await expect(page.getByRole("table")).toHaveCount(0);
  await saveScreenshot(page, "activity-list-768-light", false);
});

test("at 768 px Operations has no sideways scrolling", async ({ adminPage: page }) => {
  await page.goto("/operations");
  await expect(page.getByRole("heading", { level: 1, name: "Operations" })).toBeVisible();
  await expect(page.getByTestId("ops-upcoming-row").first()).toBeVisible();
  expect(await noSidewaysScroll(page)).toBe(true);
});
