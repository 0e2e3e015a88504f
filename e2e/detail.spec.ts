import { expect, getJson, seriousViolations, setTheme, test } from "./fixtures";
import { cancelQuietly, findFailedRunWithItems, inFirstScreen, triggerQueuedRun } from "./support/detail";
import type { RunHistory } from "../lib/api/activities";
import type { ExecutionItemList } from "../lib/api/items";

const fmt = (n: number) => new Intl.NumberFormat("en-US").format(n);

test("a failed run shows its failures first: errors by type and the first failed object without scrolling", async ({
  adminPage: page,
  api,
}) => {
  const run = await findFailedRunWithItems(api);
  await page.goto(`/activities/${run.id}`);
  const errors = page.locator("#errors");
  await expect(errors.getByRole("heading", { name: /Errors by type/ })).toBeVisible();
  // the header counts in words with the right plural
  await expect(page.getByTestId("errors-count")).toHaveText(
    run.totalObjectErrors === 1 ? "1 error" : `${fmt(run.totalObjectErrors)} errors`,
  );
  // every error type of the run, in plain words with its count, a meaning and a fix
  for (const [type, n] of Object.entries(run.errorTypeCounts).filter(([, v]) => v > 0)) {
    const row = page.getByTestId(`error-type-${type}`);
    await expect(row).toContainText(fmt(n));
    await expect(row).toContainText("Usual fix:");
    await expect(row).not.toContainText(type); // the enum name stays out of sight
  }
  // the grid opens on the failed objects
  const firstRow = page.getByTestId("item-row").first();
  await expect(firstRow).toBeVisible();
  await expect(page.getByTestId("chip-any")).toHaveAttribute("aria-pressed", "true");
  await expect(firstRow).not.toHaveAttribute("data-error-type", "none");
  expect(await inFirstScreen(page, page.getByTestId(`error-type-${Object.keys(run.errorTypeCounts)[0]}`))).toBe(true);
  expect(await inFirstScreen(page, firstRow), "first failed row inside 1280×900 without scrolling").toBe(true);

  // counters at 0 are folded away; charts of a failed run start collapsed
  const toggle = page.getByTestId("show-all-counters");
  await expect(toggle).toContainText("Show all 23 counters");
  const shown = await page.locator("[data-testid^=counter-total]").count();
  await toggle.click();
  await expect(page.locator("[data-testid^=counter-total]")).toHaveCount(23);
  expect(shown).toBeLessThan(23);
  await expect(page.getByTestId("charts-toggle")).toHaveAttribute("aria-expanded", "false");
  await page.getByTestId("charts-toggle").click();
  await expect(page.getByTestId("charts-toggle")).toHaveAttribute("aria-expanded", "true");
});

test("the run's history shows the previous run's deltas and links to that run", async ({ adminPage: page, api }) => {
  const run = await findFailedRunWithItems(api);
  const history = await getJson<RunHistory>(api, `/api/v1/activities/${run.id}/history`);
  await page.goto(`/activities/${run.id}`);
  const strip = page.getByTestId("run-history");
  if (!history.previousRunId) {
    await expect(strip).toContainText("first run of its run profile");
    return;
  }
  await expect(strip.getByTestId("previous-run-link")).toHaveAttribute("href", `/activities/${history.previousRunId}`);
  const errors = history.metrics.find((m) => m.metric === "errors")!;
  // the previous run's column comes before the usual run's
  await expect(strip.getByTestId("delta-errors").first()).toContainText(fmt(Math.abs(errors.previous.delta!)));
  await expect(strip.getByTestId("history-run")).toHaveCount(history.runs.length);
});

test("the drawer steps through the failed objects with J and K and the buttons", async ({ adminPage: page, api }) => {
  const run = await findFailedRunWithItems(api);
  const list = await getJson<ExecutionItemList>(api, `/api/v1/activities/${run.id}/items?errorType=any&pageSize=25`);
  await page.goto(`/activities/${run.id}`);
  const rows = page.getByTestId("item-row");
  await expect(rows.first()).toBeVisible();
  await rows.first().getByTestId("item-open").click();
  const drawer = page.getByTestId("item-drawer");
  const detail = drawer.getByTestId("item-detail");
  await expect(detail).toHaveAttribute("data-item-id", list.items[0].id);
  await expect(drawer).toContainText("Usual fix:");
  await expect(drawer.getByRole("heading", { name: "Attribute changes" })).toBeVisible();
  await page.keyboard.press("j");
  await expect(detail).toHaveAttribute("data-item-id", list.items[1].id);
  await page.keyboard.press("j");
  await expect(detail).toHaveAttribute("data-item-id", list.items[2].id);
  await page.keyboard.press("k");
  await expect(detail).toHaveAttribute("data-item-id", list.items[1].id);
  await drawer.getByTestId("drawer-previous").click();
  await expect(detail).toHaveAttribute("data-item-id", list.items[0].id);
  await expect(drawer.getByTestId("drawer-previous")).toBeDisabled();
  await drawer.getByTestId("drawer-next").click();
  await expect(detail).toHaveAttribute("data-item-id", list.items[1].id);
  await expect(page).toHaveURL(new RegExp(`i\\.item=${list.items[1].id}`));
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
});

test("a queued run says Queued with its place in line and the run it waits behind", async ({
  adminPage: page,
  api,
}) => {
  const { ids, queued, behindName } = await triggerQueuedRun(api);
  try {
    expect(queued.queued, "the third run of the lane waits").toBe(true);
    expect(queued.queuePosition).toBe(2);
    await page.goto(`/activities/${queued.activityId}`);
    await expect(page.getByTestId("status-badge").first()).toHaveAttribute("data-status", "Queued");
    const line = page.getByTestId("queue-line");
    // 2nd behind the second run; 1st behind it once the first run ended (a busy machine is slow to load the page)
    await expect(line).toContainText(
      new RegExp(`Queued · (2nd|1st) in line behind ${behindName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
    );
    await expect(line.getByRole("link", { name: behindName })).toHaveAttribute("href", `/activities/${ids[1]}`);
    await expect(page.getByTestId("duration")).toHaveText("Not started");
  } finally {
    await cancelQuietly(api, ...ids.reverse());
  }
});

for (const theme of ["light", "dark"] as const) {
  test(`the detail page of a failed run is axe clean in ${theme} mode`, async ({ adminPage: page, api }) => {
    const run = await findFailedRunWithItems(api);
    await setTheme(page, theme);
    await page.goto(`/activities/${run.id}`);
    await expect(page.getByTestId("item-row").first()).toBeVisible();
    await expect(
      page.getByTestId("run-history-strip").or(page.getByText("first run of its run profile")),
    ).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId("item-row").first().getByTestId("item-open").click();
    await expect(page.getByTestId("item-detail")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
}
