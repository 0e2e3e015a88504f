import { expect, test, triggerSchedule, waitForTerminal } from "./fixtures";

test("a schedule execution shows its steps as a live tree that expands", async ({ adminPage: page, api }) => {
  const id = await triggerSchedule(api);
  await page.goto(`/activities/${id}`);
  const tree = page.getByTestId("schedule-tree");
  await expect(tree).toBeVisible();
  await expect(page.getByTestId("tree-rollup")).toBeVisible();
  // steps appear as the schedule runs
  const steps = tree.locator("li li[data-testid=tree-node]");
  await expect.poll(() => steps.count(), { timeout: 60_000 }).toBeGreaterThan(0);
  // collapse and expand the root
  const rootToggle = tree.getByTestId("tree-toggle").first();
  await expect(rootToggle).toHaveAttribute("aria-expanded", "true");
  await rootToggle.click();
  await expect(steps.first()).toBeHidden();
  await rootToggle.click();
  await expect(steps.first()).toBeVisible();
  // expand a step to see its counters
  const stepToggle = steps.first().getByTestId("tree-toggle");
  await stepToggle.click();
  await expect(stepToggle).toHaveAttribute("aria-expanded", "true");
  await expect(steps.first().locator(`[id^=tree-panel-]`).first()).toBeVisible();
  // each node links to its activity
  const href = await steps.first().getByRole("link").first().getAttribute("href");
  expect(href).toMatch(/^\/activities\/[0-9a-f-]{36}$/);

  const final = await waitForTerminal(api, id, 180_000);
  await expect(page.getByTestId("final-indicator")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("status-badge").first()).toHaveAttribute("data-status", final.status);
  const tree2 = await api.get(`/api/v1/activities/${id}/tree`).then((r) => r.json());
  await expect(steps).toHaveCount(tree2.root.children.length);
  await expect(page.getByTestId("tree-rollup")).toContainText(
    new Intl.NumberFormat("en-US").format(tree2.rollup.totalObjectsProcessed),
  );
});
