import { expect, test } from "./fixtures";
import { findPurgedRunWithErrors } from "./support/detail";

const fmt = (n: number) => new Intl.NumberFormat("en-US").format(n);

test("a purged run says its items were purged, and still shows its errors by type", async ({
  adminPage: page,
  api,
}) => {
  const run = await findPurgedRunWithErrors(api);
  const res = await api.get(`/api/v1/activities/${run.id}/items?pageSize=1`);
  expect(res.status()).toBe(410);
  const gone = (await res.json()) as { details?: { keepItemRuns?: number } };

  await page.goto(`/activities/${run.id}`);
  const notice = page.getByTestId("purge-notice");
  await expect(notice).toContainText("Items of this run were purged on");
  await expect(notice).toContainText(`kept for the last ${gone.details?.keepItemRuns} runs of each run profile`);
  await expect(page.getByTestId("errors-count")).toHaveText(
    run.totalObjectErrors === 1 ? "1 error" : `${fmt(run.totalObjectErrors)} errors`,
  );
  for (const [type, n] of Object.entries(run.errorTypeCounts).filter(([, v]) => v > 0)) {
    await expect(page.getByTestId(`error-type-${type}`)).toContainText(fmt(n));
  }
  await expect(page.getByText(/no object errors/i)).toHaveCount(0);
  await expect(page.getByTestId("item-row")).toHaveCount(0);
});
