import { expect, test } from "./fixtures";
import { findPurgedRunWithErrors } from "./support/detail";
import type { ExecutionItemList } from "../lib/api/items";

const fmt = (n: number) => new Intl.NumberFormat("en-US").format(n);

test("a purged run keeps its failed objects: the page says what went, lists what stayed, and its errors by type", async ({
  adminPage: page,
  api,
}) => {
  const run = await findPurgedRunWithErrors(api);
  const res = await api.get(`/api/v1/activities/${run.id}/items?pageSize=1&errorType=any`);
  expect(res.status()).toBe(200);
  const kept = ((await res.json()) as ExecutionItemList).retention;
  expect(kept).toMatchObject({ itemsKept: "Failed" });
  expect(kept.keptItems).toBeGreaterThan(0);

  await page.goto(`/activities/${run.id}`);
  const notice = page.getByTestId("purge-notice");
  await expect(notice).toContainText("Items without an error were purged on");
  await expect(notice).toContainText(`kept for the last ${kept.keepItemRuns} runs of each run profile`);
  await expect(notice).toContainText(`The ${fmt(kept.keptItems)} failed item`);
  await expect(page.getByTestId("errors-count")).toHaveText(
    run.totalObjectErrors === 1 ? "1 error" : `${fmt(run.totalObjectErrors)} errors`,
  );
  for (const [type, n] of Object.entries(run.errorTypeCounts).filter(([, v]) => v > 0)) {
    await expect(page.getByTestId(`error-type-${type}`)).toContainText(fmt(n));
  }
  await expect(page.getByText(/no object errors/i)).toHaveCount(0);
  // the failed objects are still there to triage, and only they
  await expect(page.getByTestId("item-row").first()).toBeVisible();
  for (const row of await page.getByTestId("item-row").all())
    await expect(row).not.toHaveAttribute("data-error-type", "none");
});
