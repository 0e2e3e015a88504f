import type { Page } from "@playwright/test";
import { ADMIN_KEY, expect, signInByApi, test } from "./fixtures";
import { findFailedRunWithItems } from "./support/detail";
import { hostileData } from "./support/hostile";

/**
 * A stable page: the cumulative layout shift (layout-shift entries without recent input, as the
 * browser's PerformanceObserver reports them) stays under 0.1 on the list, a run's page, Failures
 * and Operations, measured until well after everything loaded (the list used to jump ~4 s in).
 * And while a new query loads, the rows of the old answer are visibly stale and cannot be opened.
 */

const OBSERVE_SHIFTS = () => {
  const w = window as unknown as { __shifts: { value: number; at: number; sources: string[] }[] };
  w.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & {
      value: number;
      hadRecentInput: boolean;
      sources?: { node?: Node | null }[];
    })[]) {
      if (e.hadRecentInput) continue;
      w.__shifts.push({
        value: e.value,
        at: Math.round(e.startTime),
        sources: (e.sources ?? []).map((s) => {
          const el = s.node instanceof Element ? s.node : s.node?.parentElement;
          return el
            ? `${el.tagName.toLowerCase()}${el.getAttribute("data-testid") ? `[${el.getAttribute("data-testid")}]` : ""}`
            : "?";
        }),
      });
    }
  }).observe({ type: "layout-shift", buffered: true });
};

async function cumulativeShift(page: Page, url: string, ready: (page: Page) => Promise<void>) {
  await page.goto(url);
  await ready(page);
  await page.waitForTimeout(7000); // past the moment the list used to jump (~4 s), no input meanwhile
  const shifts = await page.evaluate(
    () => (window as unknown as { __shifts: { value: number; at: number; sources: string[] }[] }).__shifts,
  );
  return { cls: shifts.reduce((n, s) => n + s.value, 0), shifts };
}

for (const width of [1280, 390])
  test(`${width} px: layout shift stays under 0.1 on the list, a run, Failures and Operations`, async ({
    page,
    api,
  }) => {
    test.setTimeout(300_000);
    await hostileData(api);
    const run = await findFailedRunWithItems(api, 1);
    await page.setViewportSize({ width, height: 900 });
    await page.addInitScript(OBSERVE_SHIFTS);
    await signInByApi(page, ADMIN_KEY);
    const pages: [string, string, (p: Page) => Promise<void>][] = [
      ["list", "/", (p) => expect(p.getByTestId("activity-row").first()).toBeVisible()],
      ["run", `/activities/${run.id}`, (p) => expect(p.getByTestId("item-row").first()).toBeVisible()],
      ["failures", "/failures", (p) => expect(p.getByTestId("object-row").first()).toBeVisible()],
      [
        "operations",
        "/operations",
        (p) => expect(p.getByRole("heading", { level: 2, name: /Scheduled next/ })).toBeVisible(),
      ],
    ];
    const measured: Record<string, number> = {};
    const detail: string[] = [];
    for (const [name, url, ready] of pages) {
      const { cls, shifts } = await cumulativeShift(page, url, ready);
      measured[name] = Number(cls.toFixed(4));
      for (const s of shifts) detail.push(`${name} @${s.at} ms: ${s.value.toFixed(4)} ${s.sources.join(", ")}`);
    }
    test.info().annotations.push({ type: `CLS at ${width} px`, description: JSON.stringify(measured) });
    console.log(`CLS at ${width} px: ${JSON.stringify(measured)}`);
    for (const [name, cls] of Object.entries(measured))
      expect(cls, `CLS of ${name}: ${detail.filter((d) => d.startsWith(name)).join(" | ")}`).toBeLessThan(0.1);
  });

test("while a new filter loads, the old rows are dimmed, busy and cannot be opened", async ({ page }) => {
  await signInByApi(page, ADMIN_KEY);
  await page.goto("/");
  const firstLink = page.getByTestId("activity-link").first();
  await expect(firstLink).toBeVisible();
  const before = page.url();
  // the next list answers wait until released
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/api\/v1\/activities\?/, async (route) => {
    await held;
    await route.continue();
  });
  try {
    await page.getByTestId("quick-failed").click();
    const rows = page.getByRole("region", { name: "Activities" });
    await expect(rows).toHaveAttribute("aria-busy", "true");
    const body = rows.locator("[inert]");
    await expect(body).toHaveCount(1);
    expect(await body.evaluate((el) => Number(getComputedStyle(el).opacity))).toBeLessThan(1);
    // a click on an old row opens nothing
    await firstLink.click({ force: true, timeout: 2000 }).catch(() => undefined);
    await page.waitForTimeout(500);
    expect(new URL(page.url()).pathname).toBe(new URL(before).pathname);
  } finally {
    release();
    await page.unrouteAll({ behavior: "ignoreErrors" });
  }
  await expect(page.getByRole("region", { name: "Activities" }).locator("[inert]")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Activities" })).not.toHaveAttribute("aria-busy", "true");
});
