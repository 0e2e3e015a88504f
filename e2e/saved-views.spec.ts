import { expect, test } from "./fixtures";
import { deleteSavedViews } from "./support/list";

test.afterEach(async ({ api }) => deleteSavedViews(api));

test("save the current filters, restore the view from its link, make it the default, delete it", async ({
  adminPage: page,
  context,
  api,
}) => {
  await deleteSavedViews(api);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/?status=FailedWithError&topLevelOnly=false&sort=errors");
  await expect(page.getByTestId("activity-row").first()).toBeVisible();

  await page.getByTestId("saved-views-toggle").click();
  const panel = page.getByRole("region", { name: "Saved views" });
  await panel.getByLabel("Save the current filters as").fill("Failed steps");
  await panel.getByRole("button", { name: "Save", exact: true }).click();
  await expect(panel.getByRole("status")).toHaveText("Saved “Failed steps”.");
  const view = panel.getByTestId("saved-view").filter({ hasText: "Failed steps" });
  await expect(view).toBeVisible();
  await expect(view.getByRole("button", { name: "Failed steps", exact: true })).toHaveAttribute("aria-current", "true");

  // a shareable link restores the view in a fresh page
  await view.getByRole("button", { name: /Copy link/ }).click();
  await expect(panel.getByRole("status")).toContainText("copied");
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain("status=FailedWithError");
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByRole("checkbox", { name: "Failed with error" })).toBeChecked();
  await expect(other.getByRole("checkbox", { name: "Include schedule steps" })).toBeChecked();
  await expect(other.getByRole("columnheader", { name: /Errors/ })).toHaveAttribute("aria-sort", "descending");
  await other.close();

  // opening a saved view from the menu makes the URL the source of truth
  await page.goto("/");
  await page.getByTestId("saved-views-toggle").click();
  await page
    .getByRole("region", { name: "Saved views" })
    .getByRole("button", { name: "Failed steps", exact: true })
    .click();
  await expect(page).toHaveURL(/status=FailedWithError/);
  await expect(page).toHaveURL(/topLevelOnly=false/);
  await expect(page.getByRole("checkbox", { name: "Failed with error" })).toBeChecked();

  // the default view opens when the page is opened without a query
  await page.getByTestId("saved-views-toggle").click();
  await page.getByRole("button", { name: /Make default/ }).click();
  await expect(page.getByRole("region", { name: "Saved views" }).getByText("Default", { exact: true })).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/status=FailedWithError/);
  await expect(page.getByRole("checkbox", { name: "Failed with error" })).toBeChecked();

  // unset the default, delete the view
  await page.getByTestId("saved-views-toggle").click();
  const panel2 = page.getByRole("region", { name: "Saved views" });
  await panel2.getByRole("button", { name: /Unset default/ }).click();
  await expect(panel2.getByText("Default", { exact: true })).toHaveCount(0);
  await panel2.getByRole("button", { name: /Delete/ }).click();
  await expect(panel2.getByTestId("saved-view")).toHaveCount(0);
  await expect(panel2.getByText("No saved views yet.")).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/$/);
});

test("a second view with the same name is refused inline", async ({ adminPage: page }) => {
  await page.goto("/?hasErrors=true");
  await page.getByTestId("saved-views-toggle").click();
  const panel = page.getByRole("region", { name: "Saved views" });
  const save = async () => {
    await panel.getByLabel("Save the current filters as").fill("With errors");
    await panel.getByRole("button", { name: "Save", exact: true }).click();
  };
  await save();
  // the first save clears the field when it lands: fill it again only after that
  await expect(panel.getByRole("status")).toHaveText("Saved “With errors”.");
  await save();
  await expect(panel.getByRole("alert")).toContainText("exists already");
  await expect(panel.getByTestId("saved-view")).toHaveCount(1);
});
