import { expect, findRunWithItemErrors, signInByApi, test } from "./fixtures";

test("a ReadOnly key sees lists and details, and plain 'needs Administrator' messages instead of stats, items and actions", async ({
  page,
  api,
}) => {
  const res = await api.post("/api/v1/api-keys", { data: { name: "E2E read-only viewer", role: "ReadOnly" } });
  expect(res.status(), await res.text()).toBeLessThan(300);
  const { secret } = await res.json();
  const activity = await findRunWithItemErrors(api);

  await signInByApi(page, secret);
  await page.goto("/");
  await expect(page.getByTestId("role-badge")).toHaveText("Read-only");
  await expect(page.getByTestId("session-key-name")).toHaveText("E2E read-only viewer");
  await expect(page.getByTestId("activity-row").first()).toBeVisible();

  // Operations: what runs and waits, but no Cancel or Run for a read-only key
  await page.goto("/operations");
  await expect(page.getByRole("heading", { level: 1, name: "Operations" })).toBeVisible();
  await expect(page.getByTestId("ops-upcoming-row").first()).toBeVisible();
  await expect(page.getByRole("button", { name: /^(Cancel|Run)/ })).toHaveCount(0);
  await expect(page.getByLabel("Run a run profile")).toHaveCount(0);

  await page.goto(`/activities/${activity.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(activity.name);
  // counters and errors by type come with the activity (read access); the per-object results do not
  await expect(page.getByTestId("counter-cards")).toBeVisible();
  await expect(page.getByText("Execution items need the Administrator role")).toBeVisible();
  await expect(page.getByRole("button", { name: "Run again" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Cancel" })).toHaveCount(0);
  await expect(page.getByTestId("item-grid")).toHaveCount(0);
  // no error banners (Next.js keeps an empty role=alert route announcer on every page)
  await expect(page.locator("[role=alert]:not(#__next-route-announcer__)")).toHaveCount(0);
});
