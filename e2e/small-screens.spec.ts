import type { APIRequestContext, Page } from "@playwright/test";
import { ADMIN_KEY, expect, getJson, saveScreenshot, setTheme, signInByApi, test } from "./fixtures";
import type { ActivityList } from "../lib/api/activities";
import { cancelQuietly, findFailedRunWithItems, findPurgedRunWithErrors, triggerQueuedRun } from "./support/detail";
import { HOSTILE, hostileData, type HostileData } from "./support/hostile";

/**
 * Every page at 390, 768 and 1280 px, light and dark, with names of 200 characters without a space
 * present: nothing is wider than the viewport (no sideways scrolling), and at 390 px each page is
 * photographed for docs/screenshots/ (`<page>-390-<theme>.png`).
 */

interface Places {
  hostile: HostileData;
  failedRunId: string;
  scheduleId: string;
  purgedRunId: string;
}

interface Shot {
  name: string;
  /** Signed out (the sign-in page). */
  anonymous?: boolean;
  open: (page: Page, at: Places) => Promise<void>;
}

const SHOTS: Shot[] = [
  {
    name: "sign-in",
    anonymous: true,
    open: async (page) => {
      await page.goto("/sign-in");
      await expect(page.getByLabel("API key")).toBeVisible();
    },
  },
  {
    name: "activity-list",
    open: async (page) => {
      await page.goto("/");
      await expect(page.getByTestId("activity-row").first()).toBeVisible();
      await expect(page.getByTestId("activity-link").filter({ hasText: HOSTILE.run.slice(0, 20) })).toHaveCount(1);
    },
  },
  {
    name: "activity-list-steps",
    open: async (page) => {
      await page.goto("/?topLevelOnly=false");
      await expect(page.getByTestId("parent-schedule-link").first()).toBeVisible();
    },
  },
  {
    name: "activity-detail-long-names",
    open: async (page, at) => {
      await page.goto(`/activities/${at.hostile.run.id}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(HOSTILE.run);
      await expect(page.getByTestId("item-row").first()).toBeVisible();
    },
  },
  {
    name: "activity-detail-run",
    open: async (page, at) => {
      await page.goto(`/activities/${at.failedRunId}`);
      await expect(page.getByTestId("item-row").first()).toBeVisible();
    },
  },
  {
    name: "item-drawer",
    open: async (page, at) => {
      await page.goto(`/activities/${at.hostile.run.id}`);
      await page.getByTestId("item-row").first().getByTestId("item-open").click();
      await expect(page.getByTestId("item-detail")).toBeVisible();
    },
  },
  {
    name: "schedule-execution",
    open: async (page, at) => {
      await page.goto(`/activities/${at.scheduleId}`);
      await expect(page.getByTestId("schedule-step").first()).toBeVisible();
    },
  },
  {
    name: "activity-detail-purged",
    open: async (page, at) => {
      await page.goto(`/activities/${at.purgedRunId}`);
      await expect(page.getByTestId("purge-notice")).toBeVisible();
    },
  },
  {
    name: "failures",
    open: async (page) => {
      await page.goto("/failures");
      await expect(page.getByTestId("group-row").first()).toBeVisible();
      await expect(page.getByTestId("object-row").first()).toBeVisible();
    },
  },
  {
    name: "failures-objects-long-names",
    open: async (page) => {
      await page.goto(`/failures?search=${HOSTILE.object.slice(0, 40)}`);
      await expect(page.getByTestId("object-row").first()).toBeVisible();
    },
  },
  {
    name: "failure-object-history",
    open: async (page, at) => {
      await page.goto(`/failures/objects/${at.hostile.objectId}`);
      await expect(page.getByTestId("history-entry").first()).toBeVisible();
    },
  },
  {
    name: "operations",
    open: async (page) => {
      await page.goto("/operations");
      await expect(page.getByRole("heading", { level: 1, name: "Operations" })).toBeVisible();
      await expect(
        page.getByText("Schedules by next fire time").or(page.getByTestId("ops-upcoming-card").first()),
      ).toBeAttached();
    },
  },
  {
    name: "not-found",
    open: async (page) => {
      await page.goto("/no-such-page");
      await expect(page.getByTestId("not-found")).toBeVisible();
    },
  },
  {
    name: "address-too-long",
    open: async (page) => {
      await page.goto(`/?search=${"a".repeat(60_000)}`);
      await expect(page.getByRole("heading", { level: 1, name: "This address is too long" })).toBeVisible();
    },
  },
];

async function places(api: APIRequestContext): Promise<Places> {
  const hostile = await hostileData(api);
  const failed = await findFailedRunWithItems(api, 1);
  const schedules = await getJson<ActivityList>(api, "/api/v1/activities?targetType=Schedule&pageSize=5");
  const schedule = schedules.items.find((a) => a.childCount > 0 && a.status !== "InProgress") ?? schedules.items[0];
  const purged = await findPurgedRunWithErrors(api);
  return { hostile, failedRunId: failed.id, scheduleId: schedule.id, purgedRunId: purged.id };
}

const pageWidth = (page: Page) =>
  page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));

for (const theme of ["light", "dark"] as const)
  for (const width of [390, 768, 1280])
    test(`${width} px, ${theme}: no page is wider than the viewport, long names included`, async ({ page, api }) => {
      test.setTimeout(600_000);
      const at = await places(api);
      await page.setViewportSize({ width, height: 900 });
      await setTheme(page, theme);
      const wide: string[] = [];
      for (const shot of SHOTS) {
        await page.context().clearCookies();
        if (!shot.anonymous) await signInByApi(page, ADMIN_KEY);
        await shot.open(page, at);
        await page.waitForTimeout(300); // late fonts and the last paint
        const w = await pageWidth(page);
        if (w.scrollWidth > w.clientWidth) wide.push(`${shot.name}: ${w.scrollWidth} px wide at ${w.clientWidth}`);
        if (width === 390) await saveScreenshot(page, `${shot.name}-390-${theme}`);
      }
      expect(wide, "pages wider than the viewport").toEqual([]);
    });

test("390 px: a queued run's page and Operations with the queue fit, and are photographed", async ({ page, api }) => {
  test.setTimeout(300_000);
  await hostileData(api);
  const { ids, queued } = await triggerQueuedRun(api);
  try {
    await page.setViewportSize({ width: 390, height: 900 });
    await signInByApi(page, ADMIN_KEY);
    await page.goto(`/activities/${queued.activityId}`);
    await expect(page.getByTestId("queue-line")).toBeVisible();
    expect((await pageWidth(page)).scrollWidth).toBeLessThanOrEqual(390);
    await saveScreenshot(page, "activity-detail-queued-390-light");
    await page.goto("/operations");
    await expect(page.getByTestId("ops-queued-row").first()).toBeVisible();
    expect((await pageWidth(page)).scrollWidth).toBeLessThanOrEqual(390);
    await saveScreenshot(page, "operations-queued-390-light");
  } finally {
    await cancelQuietly(api, ...ids.reverse());
  }
});

for (const width of [390, 768, 1280])
  test(`the header shows the whole key name at ${width} px, and the page still fits`, async ({ page, api }) => {
    const { keyName } = await getJson<{ keyName: string }>(api, "/api/v1/auth/session");
    await page.setViewportSize({ width, height: 900 });
    await signInByApi(page, ADMIN_KEY);
    await page.goto("/operations");
    const name = page.getByTestId("session-key-name");
    await expect(name).toHaveText(keyName);
    await expect(name).toBeInViewport({ ratio: 1 });
    // nothing around it cuts it (an ellipsis or a clipped box)
    const clipped = await name.evaluate((el) => {
      for (let e: Element | null = el; e && e !== document.body; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.textOverflow === "ellipsis" || (s.overflow !== "visible" && e.scrollWidth > e.clientWidth)) return true;
      }
      return false;
    });
    expect(clipped, "the key name is cut").toBe(false);
    expect((await pageWidth(page)).scrollWidth).toBeLessThanOrEqual(width);
  });
