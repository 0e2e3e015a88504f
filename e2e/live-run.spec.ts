import { expect, test, triggerRunProfile, waitForTerminal } from "./fixtures";

const num = (s: string | null) => Number((s ?? "").replace(/[^\d]/g, ""));

test("a triggered run's counters move live, then polling stops when it finishes", async ({ adminPage: page, api }) => {
  const id = await triggerRunProfile(api);
  let requests = 0;
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith(`/api/v1/activities/${id}`)) requests++;
  });
  await page.goto(`/activities/${id}`);
  await expect(page.getByTestId("status-badge").first()).toHaveAttribute("data-status", "InProgress");
  await expect(page.getByTestId("live-toggle")).toHaveText(/Live/);
  const processed = page.getByTestId("processed-count");
  const first = num(await processed.textContent());
  await expect.poll(async () => num(await processed.textContent()), { timeout: 60_000 }).toBeGreaterThan(first);

  // it finishes on its own: final numbers, and no more requests for this activity
  await expect(page.getByTestId("final-indicator")).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId("status-badge").first()).not.toHaveAttribute("data-status", "InProgress");
  const final = await api.get(`/api/v1/activities/${id}`).then((r) => r.json());
  await expect(processed).toHaveText(new Intl.NumberFormat("en-US").format(final.totalObjectsProcessed));
  await page.waitForTimeout(1500); // let the last round of dependent fetches settle
  const before = requests;
  await page.waitForTimeout(6000);
  expect(requests - before, "requests for the activity in 6 s after it ended").toBeLessThanOrEqual(1);
});

test("Live / Paused toggle stops and resumes polling", async ({ adminPage: page, api }) => {
  const id = await triggerRunProfile(api);
  await page.goto(`/activities/${id}`);
  const toggle = page.getByTestId("live-toggle");
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(toggle).toContainText("Paused");
  await page.waitForTimeout(1000);
  let requests = 0;
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === `/api/v1/activities/${id}`) requests++;
  });
  await page.waitForTimeout(5000);
  expect(requests, "no polling while paused").toBe(0);
  await toggle.click();
  await expect.poll(() => requests, { timeout: 10_000 }).toBeGreaterThan(0);
  await api.post(`/api/v1/activities/${id}/cancel`, { data: {} });
});

test("Cancel asks for confirmation and cancels the running activity", async ({ adminPage: page, api }) => {
  const id = await triggerRunProfile(api);
  await page.goto(`/activities/${id}`);
  const cancel = page.getByRole("button", { name: "Cancel", exact: true });
  await expect(cancel).toBeVisible();
  await cancel.click();
  const dialog = page.getByRole("dialog", { name: /cancel this activity/i });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Keep running" }).click();
  await expect(dialog).toBeHidden();
  await expect(cancel).toBeFocused();
  await cancel.click();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel activity" }).click();
  await expect(page.getByTestId("status-badge").first()).toHaveAttribute("data-status", "Cancelled", {
    timeout: 30_000,
  });
});

test("Run again starts the same run profile and opens the new activity", async ({ adminPage: page, api }) => {
  const id = await triggerRunProfile(api);
  const done = await waitForTerminal(api, id);
  await page.goto(`/activities/${id}`);
  await page.getByRole("button", { name: "Run again" }).click();
  await expect(page).not.toHaveURL(new RegExp(id));
  await expect(page).toHaveURL(/\/activities\/[0-9a-f-]{36}$/);
  const newId = page.url().split("/").pop()!;
  const fresh = await api.get(`/api/v1/activities/${newId}`).then((r) => r.json());
  expect(fresh.runProfileId).toBe(done.runProfileId);
  expect(fresh.connectedSystemId).toBe(done.connectedSystemId);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(done.name);
  await waitForTerminal(api, newId);
});
