import type { Page } from "@playwright/test";
import { expect, getJson, reportRun, test, triggerRunProfile, waitForTerminal } from "./fixtures";
import { cancelQuietly, triggerQueuedRun } from "./support/detail";
import { describeRemaining } from "../lib/domain/progress";
import type { ProgressSnapshot } from "../lib/api/progress";

const num = (s: string | null) => Number((s ?? "").replace(/[^\d]/g, ""));

test("a running run's counters move live from one snapshot poll, which stops when the run ends", async ({
  adminPage: page,
  api,
}) => {
  const id = await triggerRunProfile(api);
  const snapshotCalls: number[] = [];
  const other: string[] = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (!path.startsWith(`/api/v1/activities/${id}`)) return;
    if (path.endsWith("/snapshot")) snapshotCalls.push(Date.now());
    else other.push(path);
  });
  await page.goto(`/activities/${id}`);
  await expect(page.getByTestId("live-indicator")).toBeVisible();
  const processed = page.getByTestId("processed-count");
  await expect(page.getByTestId("progress-panel")).toBeVisible({ timeout: 60_000 });
  const first = num(await processed.textContent());
  await expect.poll(async () => num(await processed.textContent()), { timeout: 60_000 }).toBeGreaterThan(first);
  // the time left is said while it runs (the run may already have ended on a busy machine)
  if (await page.getByTestId("live-indicator").isVisible()) {
    await expect(page.getByTestId("eta").or(page.getByTestId("final-indicator"))).toHaveText(/left|estimating…|Final/);
  }

  // at most 30 snapshot requests a minute while visible (one every 2 s at the most)
  const t0 = Date.now();
  const before = snapshotCalls.length;
  await page.waitForTimeout(10_000);
  const inTen = snapshotCalls.filter((t) => t >= t0).length;
  expect(inTen, `snapshot requests in 10 s (had ${before} before)`).toBeLessThanOrEqual(6);

  // it finishes on its own: final numbers, and no more requests for this activity
  await expect(page.getByTestId("final-indicator")).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId("status-badge").first()).not.toHaveAttribute("data-status", "InProgress");
  const final = await api.get(`/api/v1/activities/${id}`).then((r) => r.json());
  await expect(processed).toHaveText(new Intl.NumberFormat("en-US").format(final.totalObjectsProcessed));
  // a screen reader hears the end once, politely, with the outcome
  const announcement = page.getByRole("status").filter({ hasText: "ended:" });
  await expect(announcement).toHaveAttribute("aria-live", "polite");
  await expect(announcement).toContainText(`${final.name} ended: `);
  await page.waitForTimeout(1500);
  const settled = snapshotCalls.length + other.length;
  await page.waitForTimeout(6000);
  expect(snapshotCalls.length + other.length - settled, "requests in 6 s after it ended").toBe(0);
});

test("the time left is a range while the estimate is unsure and one figure once it is sure; the live region says milestones, not counters", async ({
  adminPage: page,
  api,
}) => {
  const { id, name } = await reportRun(api, `ETA ${Date.now().toString(36)}`);
  const report = async (data: object) => {
    const res = await api.post(`/api/v1/activities/${id}/progress`, { data });
    expect(res.status(), await res.text()).toBe(200);
  };
  /** What the page should say: the API's range in words. */
  const expected = async () => {
    const p = await getJson<ProgressSnapshot>(api, `/api/v1/activities/${id}/progress`);
    expect(p.estimateRange, "an estimate").not.toBeNull();
    const { lowSeconds: low, highSeconds: high } = p.estimateRange!;
    return { low, high, text: `${describeRemaining({ low, high })} left` };
  };
  try {
    await report({ objectsToProcess: 1000, objectsProcessed: 10 });
    await page.goto(`/activities/${id}`);
    // every change a polite or assertive region would read out, from now on
    await page.evaluate(() => {
      const w = window as unknown as { spoken: string[] };
      w.spoken = [];
      new MutationObserver((changes) => {
        for (const c of changes) {
          const region = (c.target instanceof Element ? c.target : c.target.parentElement)?.closest("[aria-live]");
          if (region) w.spoken.push(region.textContent ?? "");
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.waitForTimeout(3000);
    const started = Date.now();
    await report({ objectsProcessed: 40 });
    // 3 s of rate at 4 %: unsure
    const early = await expected();
    expect(early.low).toBeLessThan(early.high);
    const eta = page.getByTestId("eta");
    await expect(eta).toHaveText(early.text);
    expect(early.text).toMatch(/^(\d+–\d+ (s|min|h)|under \d+ (s|min|h)) left$/);
    expect(await eta.evaluate((el) => el.closest("[aria-live], [role=status], [role=alert]") === null)).toBe(true);

    // past half-way with a full 20 s of rate: sure, one figure
    await page.waitForTimeout(Math.max(0, started + 21_000 - Date.now()));
    await report({ objectsProcessed: 600 });
    const sure = await expected();
    expect(sure.low).toBe(sure.high);
    await expect(eta).toHaveText(sure.text);
    expect(sure.text).toMatch(/^(about \d+(\.5)? (s|min|h)|a few seconds) left$/);
    // while it runs, only the quarter it passed (4 % → 60 %: half, said once), never the counters
    await expect(page.getByTestId("run-end-announcement")).toHaveText(`${name}: 50 % done.`);
    const whileRunning = await page.evaluate(() => (window as unknown as { spoken: string[] }).spoken);
    expect([...new Set(whileRunning.filter((t) => t !== ""))], "only the milestone while it runs").toEqual([
      `${name}: 50 % done.`,
    ]);

    // the end is announced once
    const done = await api.post(`/api/v1/activities/${id}/complete`, { data: { objectsProcessed: 1000 } });
    expect(done.status(), await done.text()).toBe(200);
    await expect(page.getByTestId("run-end-announcement")).toHaveText(`${name} ended: Complete.`);
    await page.waitForTimeout(1500);
    const spoken = await page.evaluate(() => (window as unknown as { spoken: string[] }).spoken);
    // the milestone, then the end once (a change may reach the observer as more than one record)
    expect([...new Set(spoken.filter((t) => t !== ""))]).toEqual([`${name}: 50 % done.`, `${name} ended: Complete.`]);
  } finally {
    await cancelQuietly(api, id);
  }
});

test("every pushed snapshot reaches each part of the page that shows it: progress, header, counters, chart, Live", async ({
  adminPage: page,
  api,
}) => {
  // The page draws a part again only when its own data changed (memo, a deferred chart, the
  // connection's status read by the Live indicator alone): each change must still reach every part.
  const { id } = await reportRun(api, `Pushed ${Date.now().toString(36)}`);
  const fmt = (n: number) => new Intl.NumberFormat("en-US").format(n);
  const report = async (n: number) => {
    const res = await api.post(`/api/v1/activities/${id}/progress`, {
      data: {
        objectsToProcess: 1000,
        objectsProcessed: 100 * n,
        message: `pushed change ${n}`,
        counters: { totalCsoUpdates: 7 * n },
      },
    });
    expect(res.status(), await res.text()).toBe(200);
  };
  try {
    await report(1);
    await report(2);
    await page.goto(`/activities/${id}`);
    await expect(page.getByTestId("progress-panel")).toContainText("pushed change 2", { timeout: 30_000 });
    await expect(page.getByTestId("cumulative-chart")).toBeVisible({ timeout: 30_000 });
    for (const n of [3, 4, 5]) {
      await report(n);
      await expect(page.getByTestId("progress-panel")).toContainText(`pushed change ${n}`);
      await expect(page.getByTestId("progress-text")).toHaveText(`${fmt(100 * n)} of 1,000 objects (${10 * n} %)`);
      await expect(page.getByTestId("processed-count")).toHaveText(fmt(100 * n));
      await expect(page.getByTestId("counter-totalCsoUpdates")).toContainText(fmt(7 * n));
      // the chart (drawn after the rest, and only when its points change) shows the new point too
      await expect(page.getByTestId("cumulative-chart")).toContainText(`Processed ${fmt(100 * n)}`);
      await expect(page.getByTestId("live-indicator")).toContainText(/Live · checked /);
    }
  } finally {
    await cancelQuietly(api, id);
  }
});

test("two tabs share one stream, and both show a run's end within 1 s of the API's answer", async ({
  adminPage: page,
  api,
}) => {
  // The tab holding the Web Lock holds the one connection and relays its events to the other tab
  // over a BroadcastChannel (lib/client/live-hub.ts).
  const { id, name } = await reportRun(api, `Two tabs ${Date.now().toString(36)}`);
  const report = async (objectsProcessed: number) => {
    const res = await api.post(`/api/v1/activities/${id}/progress`, {
      data: { objectsToProcess: 100, objectsProcessed },
    });
    expect(res.status(), await res.text()).toBe(200);
  };
  const liveRequests = new Map<Page, number>();
  const open = async () => {
    const tab = liveRequests.size ? await page.context().newPage() : page;
    liveRequests.set(tab, 0);
    tab.on("request", (r) => {
      if (new URL(r.url()).pathname.startsWith("/api/v1/live")) liveRequests.set(tab, liveRequests.get(tab)! + 1);
    });
    // When the page first shows the run as ended, on the clock the test reads (Date.now()).
    await tab.addInitScript(() => {
      const w = window as unknown as { endShownAt?: number };
      new MutationObserver(() => {
        if (w.endShownAt === undefined && document.querySelector('[data-testid="final-indicator"]'))
          w.endShownAt = performance.timeOrigin + performance.now();
      }).observe(document, { subtree: true, childList: true });
    });
    await tab.goto(`/activities/${id}`);
    await expect(tab.getByTestId("live-indicator")).toBeVisible({ timeout: 30_000 });
    return tab;
  };
  try {
    await report(10);
    const first = await open();
    const second = await open();
    await report(50);
    for (const tab of [first, second]) await expect(tab.getByTestId("processed-count")).toHaveText("50");
    expect(liveRequests.get(first), "the first tab holds the connection").toBeGreaterThan(0);
    expect(liveRequests.get(second), "the second tab opens none of its own").toBe(0);

    const done = await api.post(`/api/v1/activities/${id}/complete`, { data: { objectsProcessed: 100 } });
    const answeredAt = Date.now();
    expect(done.status(), await done.text()).toBe(200);
    for (const tab of [first, second]) {
      await expect(tab.getByTestId("final-indicator")).toBeVisible();
      const shownAt = await tab.evaluate(() => (window as unknown as { endShownAt?: number }).endShownAt);
      expect(shownAt! - answeredAt, "ms from the API's answer to the page showing the end").toBeLessThan(1000);
      await expect(tab.getByTestId("run-end-announcement")).toHaveText(`${name} ended: Complete.`);
    }
    expect(liveRequests.get(second), "the second tab still opened none").toBe(0);
    await second.close();
  } finally {
    await cancelQuietly(api, id);
  }
});

test("Cancel asks for confirmation and takes a queued run out of the queue", async ({ adminPage: page, api }) => {
  const { ids, queued } = await triggerQueuedRun(api);
  try {
    await page.goto(`/activities/${queued.activityId}`);
    const cancel = page.getByRole("button", { name: "Cancel", exact: true });
    await expect(cancel).toBeVisible();
    await cancel.click();
    const dialog = page.getByRole("dialog", { name: /remove this run from the queue/i });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: /^Keep/ }).click();
    await expect(dialog).toBeHidden();
    await expect(cancel).toBeFocused();
    await cancel.click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel activity" }).click();
    await expect(page.getByTestId("status-badge").first()).toHaveAttribute("data-status", "Cancelled", {
      timeout: 30_000,
    });
    await expect(page.getByTestId("final-indicator")).toBeVisible();
  } finally {
    await cancelQuietly(api, ...ids.reverse());
  }
});

test("Run again asks first, warns while the run profile is running, then opens the new run", async ({
  adminPage: page,
  api,
}) => {
  const id = await triggerRunProfile(api);
  const done = await waitForTerminal(api, id);
  // the same profile runs, and a second run of it waits: the dialog says so
  const busy = await triggerRunProfile(api);
  const waiting = await triggerRunProfile(api);
  await page.goto(`/activities/${id}`);
  await page.getByRole("button", { name: "Run again" }).click();
  const dialog = page.getByRole("dialog", { name: /again\?/ });
  await expect(dialog.getByTestId("run-again-warning")).toContainText(/already (running|queued)/);
  await dialog.getByRole("button", { name: "Not now" }).click();
  await expect(dialog).toBeHidden();
  await cancelQuietly(api, waiting, busy);
  await waitForTerminal(api, busy);
  await waitForTerminal(api, waiting);

  await page.getByRole("button", { name: "Run again" }).click();
  await expect(page.getByRole("dialog").getByTestId("run-again-clear")).toBeVisible();
  await page.getByRole("dialog").getByRole("button", { name: "Run again" }).click();
  await expect(page).not.toHaveURL(new RegExp(id));
  await expect(page).toHaveURL(/\/activities\/[0-9a-f-]{36}$/);
  const newId = page.url().split("/").pop()!;
  const fresh = await api.get(`/api/v1/activities/${newId}`).then((r) => r.json());
  expect(fresh.runProfileId).toBe(done.runProfileId);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(done.name);
  await waitForTerminal(api, newId);
});
