import fs from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { expect, getJson, pickRunProfile, test } from "./fixtures";
import { parseCsv } from "./support/csv";
import { findFailedRunWithItems, findRunWithRecurring } from "./support/detail";
import type { ExecutionItemList } from "../lib/api/items";

const fmt = (n: number) => new Intl.NumberFormat("en-US").format(n);

test("filter the grid by an error-type chip, open an item, export the filtered CSV", async ({
  adminPage: page,
  api,
}) => {
  const activity = await findFailedRunWithItems(api, 1);
  const all = await getJson<ExecutionItemList>(api, `/api/v1/activities/${activity.id}/items?pageSize=1`);
  const [errorType, count] = Object.entries(all.facets.errorTypes)
    .filter(([k, v]) => k !== "none" && v > 0)
    .sort((a, b) => b[1] - a[1])[0];

  await page.goto(`/activities/${activity.id}`);
  await expect(page.getByTestId("item-grid")).toBeVisible();
  const chip = page.getByTestId(`chip-${errorType}`);
  await expect(chip).toContainText(`(${fmt(count)})`);
  await expect(chip).not.toContainText(errorType); // plain words, not the enum name
  await chip.click();
  await expect(chip).toBeChecked();
  await expect(page).toHaveURL(new RegExp(`i\\.errorType=${errorType}`));
  const rows = page.getByTestId("item-row");
  await expect(rows.first()).toBeVisible();
  await expect
    .poll(async () =>
      (await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-error-type")))).every(
        (t) => t === errorType,
      ),
    )
    .toBe(true);
  expect(await rows.count()).toBe(Math.min(count, 25));

  // the drawer: a dialog with the details, Esc closes it and focus returns to the row's button
  const opener = rows.first().getByTestId("item-open");
  await opener.click();
  const drawer = page.getByRole("dialog");
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole("heading", { name: "Attribute changes" })).toBeVisible();
  await expect(drawer).toContainText("What it means:");
  await page.keyboard.press("Tab");
  expect(await drawer.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await expect(opener).toBeFocused();

  // the CSV export carries the same filter
  const link = page.getByTestId("export-csv");
  expect(await link.getAttribute("href")).toContain(`errorType=${errorType}`);
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const csv = parseCsv(fs.readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, ""));
  const header = csv[0];
  const dataRows = csv.slice(1);
  expect(dataRows.length).toBe(count);
  const col = header.findIndex((h) => /error ?type/i.test(h));
  expect(col, `error type column in ${header.join(",")}`).toBeGreaterThanOrEqual(0);
  expect(dataRows.every((r) => r[col] === errorType)).toBe(true);
});

test("Errors by type opens the grid filtered to that error type", async ({ adminPage: page, api }) => {
  const activity = await findFailedRunWithItems(api, 1);
  const all = await getJson<ExecutionItemList>(api, `/api/v1/activities/${activity.id}/items?pageSize=1`);
  const errorType = Object.entries(all.facets.errorTypes).find(([k, v]) => k !== "none" && v > 0)![0];
  await page.goto(`/activities/${activity.id}`);
  await page.getByTestId(`error-type-link-${errorType}`).click();
  await expect(page).toHaveURL(new RegExp(`i\\.errorType=${errorType}`));
  await expect(page.getByTestId(`chip-${errorType}`)).toBeChecked();
  await expect
    .poll(async () =>
      (
        await page.getByTestId("item-row").evaluateAll((els) => els.map((e) => e.getAttribute("data-error-type")))
      ).every((t) => t === errorType),
    )
    .toBe(true);
});

test("recurring failures are marked Recurring and the Recurring chip keeps only them", async ({
  adminPage: page,
  api,
}) => {
  const { activity, recurring } = await findRunWithRecurring(api);
  await page.goto(`/activities/${activity.id}`);
  const chip = page.getByTestId("chip-recurrence-Recurring");
  await expect(chip).toContainText(`(${fmt(recurring)})`);
  await chip.click();
  await expect(chip).toBeChecked();
  await expect(page).toHaveURL(/i\.recurrence=Recurring/);
  const rows = page.getByTestId("item-row");
  await expect(rows.first()).toBeVisible();
  await expect
    .poll(async () =>
      (await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-recurrence")))).every(
        (r) => r === "Recurring",
      ),
    )
    .toBe(true);
  await expect(rows.first().getByTestId("recurrence-badge")).toHaveText("Recurring");
  expect(await rows.count()).toBe(Math.min(recurring, 25));
});

/** A finished run recorded through the API with `count` items (the demo's runs may have fewer than 3 pages). */
async function runWithItems(api: APIRequestContext, count: number): Promise<string> {
  const { cs, rpId } = await pickRunProfile(api);
  const created = await api.post("/api/v1/activities", {
    data: {
      name: `E2E paging ${Date.now()}`,
      targetType: "ConnectedSystemRunProfile",
      connectedSystemId: cs.id,
      runProfileId: rpId,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const items = Array.from({ length: count }, (_, i) => ({
    sequence: i,
    externalIdValue: `e2e-paging-${i}`,
    displayName: `Paging person ${i}`,
    connectedSystemObjectType: "person",
    objectChangeType: "Update",
  }));
  const appended = await api.post(`/api/v1/activities/${id}/items`, { data: { items } });
  expect(appended.ok(), await appended.text()).toBe(true);
  const completed = await api.post(`/api/v1/activities/${id}/complete`, { data: {} });
  expect(completed.ok(), await completed.text()).toBe(true);
  return id;
}

test("paging: first, last and jump; the grid scrolls back to its top", async ({ adminPage: page, api }) => {
  const activity = { id: await runWithItems(api, 80) };
  const all = await getJson<ExecutionItemList>(api, `/api/v1/activities/${activity.id}/items?pageSize=25`);
  expect(all.totalPages).toBe(4);
  await page.goto(`/activities/${activity.id}?i.page=1`);
  await page.getByTestId("chip-all").click();
  const nav = page.getByRole("navigation", { name: "Execution item pages" });
  await nav.scrollIntoViewIfNeeded();
  await nav.getByRole("button", { name: "Last page" }).click();
  await expect(page).toHaveURL(new RegExp(`i\\.page=${all.totalPages}`));
  const grid = page.getByTestId("item-grid");
  // The pager sits below 25 rows, out of sight of the grid's top; the new page brings the top back
  // into view (the last page is short, so the window may not scroll it to the very top).
  await expect.poll(async () => (await grid.boundingBox())!.y).toBeGreaterThanOrEqual(0);
  expect((await grid.boundingBox())!.y).toBeLessThan(page.viewportSize()!.height / 2);
  await nav.getByLabel("Page", { exact: true }).fill("2");
  await nav.getByLabel("Page", { exact: true }).press("Enter");
  await expect(page).toHaveURL(/i\.page=2/);
  // From the pager below page 2's 25 rows (the grid's top out of sight) to page 3: the top comes back.
  await nav.scrollIntoViewIfNeeded();
  await expect.poll(async () => (await grid.boundingBox())!.y).toBeLessThan(0);
  await nav.getByRole("button", { name: "Next", exact: true }).click();
  await expect(page).toHaveURL(/i\.page=3/);
  await expect.poll(async () => (await grid.boundingBox())!.y).toBeGreaterThanOrEqual(0);
  expect((await grid.boundingBox())!.y).toBeLessThan(200);
  await nav.getByRole("button", { name: "First page" }).click();
  await expect(page).not.toHaveURL(/i\.page=/);
});
