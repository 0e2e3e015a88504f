import type { APIRequestContext, Page } from "@playwright/test";
import { expect, saveScreenshot, test } from "./fixtures";

/**
 * The browser's Notification API, recorded: the permission the person gave lasts for the tab
 * (sessionStorage), as a browser remembers it for the site; each notification shown is kept.
 */
async function recordNotifications(page: Page, initial: NotificationPermission) {
  await page.addInitScript((initialPermission) => {
    const shown: { title: string; body?: string; tag?: string }[] = [];
    (window as unknown as { __notifications: typeof shown }).__notifications = shown;
    class RecordedNotification {
      static get permission() {
        return (sessionStorage.getItem("e2e-permission") ?? initialPermission) as NotificationPermission;
      }
      static async requestPermission() {
        sessionStorage.setItem("e2e-permission", "granted");
        return "granted" as const;
      }
      onclick: (() => void) | null = null;
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body, tag: options?.tag });
      }
      close() {}
    }
    Object.defineProperty(window, "Notification", { value: RecordedNotification, configurable: true });
  }, initial);
}

const shown = (page: Page) =>
  page.evaluate(() => (window as unknown as { __notifications: unknown[] }).__notifications);

async function runningActivity(api: APIRequestContext, name: string): Promise<string> {
  const created = await api.post("/api/v1/activities", { data: { name, targetType: "DataGeneration" } });
  expect(created.status(), await created.text()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

test("Notify me when it ends: asks once, outlives a reload, and shows the outcome when the run ends", async ({
  adminPage: page,
  api,
}) => {
  await recordNotifications(page, "default");
  const name = `E2E notify ${Date.now()}`;
  const id = await runningActivity(api, name);
  await page.goto(`/activities/${id}`);
  const notify = page.getByRole("button", { name: "Notify me when it ends" });
  await notify.click();
  const notifying = page.getByRole("button", { name: "Notifying when it ends" });
  await expect(notifying).toHaveAttribute("aria-pressed", "true");
  await page.reload();
  await expect(notifying, "the request outlives a reload").toHaveAttribute("aria-pressed", "true");
  expect(await shown(page)).toEqual([]);
  await saveScreenshot(page, "activity-detail-notify-light", false);
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(notifying).toBeInViewport();
  await saveScreenshot(page, "activity-detail-notify-390-light", false);

  const done = await api.post(`/api/v1/activities/${id}/complete`, { data: { counters: { totalObjectErrors: 3 } } });
  expect(done.ok(), await done.text()).toBe(true);
  await expect
    .poll(() => shown(page), { timeout: 20_000 })
    .toEqual([{ title: `${name} ended`, body: "Complete with error, 3 errors.", tag: `syncwatch-run-${id}` }]);
  await expect(notifying, "nothing to notify about once it ended").toBeHidden();
  await page.reload();
  await expect(page.getByTestId("final-indicator")).toBeVisible();
  expect(await shown(page), "an ended run is not announced again").toEqual([]);
});

test("Notify me when it ends is said blocked when the person refused notifications", async ({
  adminPage: page,
  api,
}) => {
  await recordNotifications(page, "denied");
  const id = await runningActivity(api, `E2E notify blocked ${Date.now()}`);
  try {
    await page.goto(`/activities/${id}`);
    await expect(page.getByRole("button", { name: "Notifications blocked" })).toBeDisabled();
  } finally {
    await api.post(`/api/v1/activities/${id}/cancel`, { data: {} });
  }
});
