/**
 * Requests per minute of the real detail page: the page of the running run open in headless
 * Chromium, signed in through POST /api/v1/auth/session from the page itself, while the run
 * changes every 2 s (as a running run does). Every /api/v1 request the page sends is counted,
 * first with the page visible, then hidden (document.visibilityState overridden to "hidden" and
 * visibilitychange dispatched, as when the tab is in the background).
 */
import { chromium, type Page } from "@playwright/test";
import { sleep } from "../clients";
import type { PhaseContext, PostgresTarget } from "./context";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface PageResult {
  seconds: number;
  visible: { requests: number; perMinute: number; paths: Record<string, number> };
  hidden: { requests: number; perMinute: number; paths: Record<string, number> };
  changes: number;
}

async function setHidden(page: Page, hidden: boolean): Promise<void> {
  // A string, not a function: tsx would wrap a function in helpers the page does not have.
  await page.evaluate(`(() => {
    const h = ${hidden};
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (h ? "hidden" : "visible") });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => h });
    document.dispatchEvent(new Event("visibilitychange"));
    window.dispatchEvent(new Event(h ? "blur" : "focus"));
  })()`);
}

/** Changes the running activity every 2 s until `stop` resolves; returns how many changes. */
async function changeEvery2s(pg: PostgresTarget, id: string, stop: { done: boolean }): Promise<number> {
  let n = 0;
  while (!stop.done) {
    const t = performance.now();
    const res = await fetch(`${pg.api.base}/api/v1/activities/${id}/progress`, {
      method: "POST",
      headers: { "X-Api-Key": pg.api.apiKey, "Content-Type": "application/json" },
      body: JSON.stringify({ message: `page bench change ${++n}` }),
    });
    await res.arrayBuffer();
    await sleep(Math.max(0, 2000 - (performance.now() - t)));
  }
  return n;
}

export async function pagePhase(ctx: PhaseContext, pg: PostgresTarget): Promise<PageResult> {
  const id = pg.meta.fixtures.inProgressRunId;
  const seconds = ctx.scale.pageSeconds;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const stop = { done: false };
  try {
    const context = await browser.newContext({ baseURL: pg.api.base, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto("/sign-in", { waitUntil: "domcontentloaded" });
    const status = await page.evaluate(
      `fetch("/api/v1/auth/session", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ apiKey: ${JSON.stringify(pg.api.apiKey)} }) }).then((r) => r.status)`,
    );
    if (status !== 200) throw new Error(`sign-in from the page answered ${status}`);
    let window: Record<string, number> | null = null;
    page.on("request", (req) => {
      const url = new URL(req.url());
      if (!window || !url.pathname.startsWith("/api/v1/")) return;
      const key = url.pathname.replace(id, "{id}").replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "{uuid}");
      window[key] = (window[key] ?? 0) + 1;
    });
    const changes = changeEvery2s(pg, id, stop);
    const visible: Record<string, number> = {};
    window = visible;
    await page.goto(`/activities/${id}`, { waitUntil: "domcontentloaded" });
    await sleep(seconds * 1000);
    const hidden: Record<string, number> = {};
    window = hidden;
    await setHidden(page, true);
    await sleep(seconds * 1000);
    window = null;
    stop.done = true;
    const total = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
    const result: PageResult = {
      seconds,
      visible: { requests: total(visible), perMinute: (total(visible) * 60) / seconds, paths: visible },
      hidden: { requests: total(hidden), perMinute: (total(hidden) * 60) / seconds, paths: hidden },
      changes: await changes,
    };
    const top = (m: Record<string, number>) =>
      Object.entries(m)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([p, n]) => `${p.replace("/api/v1", "")} ${n}`)
        .join(", ");
    const note = seconds === 60 ? "" : ` (${seconds} s, per minute)`;
    ctx.report.check(
      "page",
      `detail page of a running run, visible${note}`,
      `${Math.round(result.visible.perMinute)} /api/v1 requests/min, page load included (${top(visible)})`,
      "≤ 30/min",
      result.visible.perMinute <= 30,
    );
    ctx.report.check(
      "page",
      `detail page of a running run, hidden${note}`,
      `${Math.round(result.hidden.perMinute)} /api/v1 requests/min (${top(hidden) || "none"})`,
      "≤ 6/min",
      result.hidden.perMinute <= 6,
    );
    ctx.log(
      `  visible: ${result.visible.requests} requests in ${seconds} s; hidden: ${result.hidden.requests}; the run changed ${result.changes} times`,
    );
    ctx.log(`  visible paths: ${JSON.stringify(visible)}`);
    ctx.log(`  hidden paths: ${JSON.stringify(hidden)}`);
    return result;
  } finally {
    stop.done = true;
    await browser.close();
  }
}
