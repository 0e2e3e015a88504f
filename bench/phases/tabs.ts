/**
 * The watch phase's measurement through the pages themselves: K real pages (one Chromium, K
 * contexts, each with its own session, so no two share a stream) open on the running run's detail
 * page, while the run reports progress every 2 s with a numbered message. A MutationObserver in
 * each page notes when the progress panel first shows each number (performance.timeOrigin +
 * performance.now(), the same clock as the bench's), so change → page is from the moment the
 * POST was sent (the write's own time included) to the DOM showing it (React's commit, before paint).
 *
 * Reported: p50/p95/max change → page over every (page, change), changes a page never showed,
 * errors (pages that did not open, page errors, /api/v1 answers ≥ 400, failed requests), how many
 * pages show the last change 5 s after it, /api/v1 requests the pages sent meanwhile, and the
 * browser's memory (PSS and RSS of its processes) and CPU per change.
 */
import type { BrowserContext, Page } from "@playwright/test";
import {
  browserMemory,
  chromiumPids,
  launchChromium,
  memAvailableBytes,
  mib,
  signedInContext,
  type BrowserMemory,
} from "../browser";
import { latencyFigures, sleep } from "../clients";
import { ms } from "../report";
import { processesCpuSeconds, treeCpuSeconds } from "../server";
import type { PhaseContext, PostgresTarget } from "./context";

const CHANGE_MS = 2_000;
const FINAL_WAIT_MS = 5_000;
/** The browser's CPU with nothing changing is measured over this long first. */
const IDLE_MS = 10_000;
/** No page is opened once the machine has less memory available than this (others work on it too). */
const MIN_AVAILABLE_BYTES = 4 * 2 ** 30;
/** Pages opened at once. */
const OPEN_CONCURRENCY = 4;
/** The issue's target for 500 watchers, applied to the pages. */
const TARGET_P95_MS = 250;

export interface TabsResult {
  pages: number;
  opened: number;
  /** Opening stopped because the machine ran short of memory. */
  stoppedForMemory: boolean;
  changes: number;
  notifyMs: { p50: number; p95: number; p99: number; max: number; n: number; missed: number };
  onFinalState: number;
  errors: number;
  errorSamples: string[];
  apiRequests: number;
  openSeconds: number;
  memory: { before: BrowserMemory; opened: BrowserMemory; after: BrowserMemory };
  /** The browser's CPU in cores (CPU seconds per second): idle, and while the run changes. */
  browserCores: { idle: number; changing: number };
  /** The server's CPU in cores while the run changes (its progress reports included). */
  serverCores: number;
}

/** In each page: the first moment the progress panel showed each change number. */
const observer = (tag: string) => `(() => {
  const seen = {};
  window.__swSeen = seen;
  const re = /${tag} change (\\d+)/;
  const check = () => {
    const el = document.querySelector('[data-testid="progress-panel"]');
    if (!el) return;
    const m = re.exec(el.textContent || "");
    if (m && !(m[1] in seen)) seen[m[1]] = performance.timeOrigin + performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
})()`;

interface Tab {
  context: BrowserContext;
  page: Page;
  apiRequests: number;
}

export async function tabsPhase(ctx: PhaseContext, pg: PostgresTarget, pages: number): Promise<TabsResult> {
  const id = pg.meta.fixtures.inProgressRunId;
  const changes = ctx.scale.tabsChanges;
  const tag = `tabs ${Date.now().toString(36)}`;
  const errorSamples: string[] = [];
  let errors = 0;
  let counting = false;
  const error = (what: string) => {
    errors++;
    if (errorSamples.length < 10) errorSamples.push(what);
  };
  const before = browserMemory();
  const browser = await launchChromium();
  try {
    const tabs: Tab[] = [];
    const t0 = performance.now();
    let next = 0;
    let failedToOpen = 0;
    let stoppedForMemory = false;
    const opener = async () => {
      while (next < pages && !stoppedForMemory) {
        if (memAvailableBytes() < MIN_AVAILABLE_BYTES) {
          stoppedForMemory = true;
          break;
        }
        const i = next++;
        try {
          const context = await signedInContext(browser, pg.api, {
            viewport: { width: 1024, height: 768 },
            // Without this the pulsing "Live" dot alone costs headless Chromium, compositing in
            // software, ~0.075 cores per page (10 pages: 0.94 cores idle, against 0.20 reduced).
            reducedMotion: "reduce",
          });
          await context.addInitScript(observer(tag));
          const page = await context.newPage();
          const tab: Tab = { context, page, apiRequests: 0 };
          page.on("pageerror", (e) => error(`page ${i}: ${e.message}`));
          page.on("request", (req) => {
            if (counting && new URL(req.url()).pathname.startsWith("/api/v1/")) tab.apiRequests++;
          });
          page.on("response", (res) => {
            if (new URL(res.url()).pathname.startsWith("/api/v1/") && res.status() >= 400)
              error(`page ${i}: ${res.request().method()} ${new URL(res.url()).pathname} answered ${res.status()}`);
          });
          page.on("requestfailed", (req) => {
            if (counting) error(`page ${i}: ${req.url()} failed (${req.failure()?.errorText})`);
          });
          const stream = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/live", { timeout: 90_000 });
          await page.goto(`/activities/${id}`, { waitUntil: "domcontentloaded", timeout: 90_000 });
          await page.locator('[data-testid="progress-panel"]').waitFor({ state: "visible", timeout: 90_000 });
          await stream;
          tabs.push(tab);
        } catch (e) {
          failedToOpen++;
          error(`page ${i} did not open: ${(e as Error).message.split("\n")[0]}`);
        }
      }
    };
    await Promise.all(Array.from({ length: OPEN_CONCURRENCY }, opener));
    const openSeconds = (performance.now() - t0) / 1000;
    // The streams say `ready` right after they open; let every page finish its first requests.
    await sleep(3_000);
    const opened = browserMemory();
    ctx.log(
      `  ${tabs.length} of ${pages} pages open in ${openSeconds.toFixed(0)} s${failedToOpen ? ` (${failedToOpen} did not open)` : ""}${stoppedForMemory ? ` (stopped opening: less than ${mib(MIN_AVAILABLE_BYTES)} available)` : ""}; browser ${opened.processes} processes, PSS ${mib(opened.pssBytes)}, RSS ${mib(opened.rssBytes)}, machine MemAvailable ${mib(opened.availableBytes)}`,
    );

    // The browser's own cost with nothing changing (animations, timers), then the changes'.
    const pids = chromiumPids();
    const idle0 = processesCpuSeconds(pids);
    const idleT0 = performance.now();
    await sleep(IDLE_MS);
    const idleCores = (processesCpuSeconds(pids) - idle0) / ((performance.now() - idleT0) / 1000);
    counting = true;
    const cpu0 = processesCpuSeconds(pids);
    const server0 = treeCpuSeconds(pg.server.pid);
    const cpuT0 = performance.now();
    const commits = new Map<number, number>();
    const url = `${pg.api.base}/api/v1/activities/${id}/progress`;
    for (let n = 1; n <= changes; n++) {
      const t = performance.now();
      // From the moment the change is sent: pages may show it before the POST's answer arrives.
      commits.set(n, performance.timeOrigin + t);
      const res = await fetch(url, {
        method: "POST",
        headers: { "X-Api-Key": pg.api.apiKey, "Content-Type": "application/json" },
        body: JSON.stringify({ message: `${tag} change ${n}` }),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`progress report answered ${res.status}`);
      await sleep(Math.max(0, (n === changes ? FINAL_WAIT_MS : CHANGE_MS) - (performance.now() - t)));
    }
    const cpu = processesCpuSeconds(pids) - cpu0;
    const changingSeconds = (performance.now() - cpuT0) / 1000;
    const changingCores = cpu / changingSeconds;
    const serverCores = (treeCpuSeconds(pg.server.pid) - server0) / changingSeconds;
    counting = false;
    const after = browserMemory();

    const latencies: number[] = [];
    let missed = 0;
    let onFinal = 0;
    for (const tab of tabs) {
      const seen = (await tab.page.evaluate("window.__swSeen")) as Record<string, number>;
      for (const [n, committed] of commits) {
        if (seen[n] === undefined) missed++;
        else latencies.push(seen[n] - committed);
      }
      // Read after the wait, but a busy page answers late: what counts is when it showed the last change.
      if (seen[changes] !== undefined && seen[changes] - commits.get(changes)! <= FINAL_WAIT_MS) onFinal++;
    }
    const l = latencyFigures(latencies);
    const result: TabsResult = {
      pages,
      opened: tabs.length,
      stoppedForMemory,
      changes,
      notifyMs: { ...l, n: latencies.length, missed },
      onFinalState: onFinal,
      errors,
      errorSamples,
      apiRequests: tabs.reduce((n, t) => n + t.apiRequests, 0),
      openSeconds,
      memory: { before, opened, after },
      browserCores: { idle: idleCores, changing: changingCores },
      serverCores,
    };

    const of = `${pages} pages (browser contexts), ${changes} changes`;
    ctx.report.check(
      "tabs",
      `${of}: change → page p95`,
      `p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, max ${ms(l.max)} (${latencies.length} shown, ${missed} never shown)`,
      `≤ ${TARGET_P95_MS} ms`,
      l.p95 <= TARGET_P95_MS && missed === 0,
    );
    ctx.report.check(
      "tabs",
      `${of}: errors`,
      `${errors}${failedToOpen ? ` (${failedToOpen} pages did not open)` : ""}${stoppedForMemory ? `; ${pages - tabs.length - failedToOpen} not opened for want of memory` : ""}`,
      "0",
      errors === 0 && !stoppedForMemory,
    );
    ctx.report.check(
      "tabs",
      `${of}: pages on the final state ${FINAL_WAIT_MS / 1000} s after the last change`,
      `${onFinal} of ${pages}`,
      `${pages} of ${pages}`,
      onFinal === pages,
    );
    ctx.report.add({
      phase: "tabs",
      measure: `${of}: the browser`,
      value: `PSS ${mib(opened.pssBytes)} open (${mib(opened.pssBytes / Math.max(1, tabs.length))} a page; RSS summed ${mib(opened.rssBytes)}), ${mib(after.pssBytes)} at the end; CPU ${idleCores.toFixed(2)} cores idle, ${changingCores.toFixed(2)} while changing (the server ${serverCores.toFixed(2)}); ${result.apiRequests} /api/v1 requests meanwhile; MemAvailable ${mib(after.availableBytes)}`,
    });
    if (errorSamples.length) ctx.log(`  errors: ${errorSamples.join(" | ")}`);
    return result;
  } finally {
    counting = false;
    await browser.close();
  }
}
