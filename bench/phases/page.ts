/**
 * Requests per minute of an idle open page (issue 15: ≤ 2). Four pages, each in its own signed-in
 * Chromium context, side by side: a running run's detail page, the activity list (`/`), Operations,
 * and the running schedule execution's page. Each is opened and left to settle (its first data
 * shown, its live stream `ready`, no /api/v1 request in flight or started for 2 s; a page that
 * keeps asking is let go after 20 s and said so), then four windows of `pageSeconds` are counted,
 * one after the other:
 *
 * 1. idle, visible: nothing changes (the issue's target: an idle open page);
 * 2. changing, visible: the running run (a step of the running schedule) reports progress every
 *    2 s — its detail page, the schedule's page, Operations and the list all show it;
 * 3. changing, hidden: the same with the tabs hidden (`document.visibilityState` overridden,
 *    `visibilitychange` dispatched, as a tab in the background);
 * 4. idle, hidden.
 *
 * Counted per page and window: /api/v1 requests (the stream itself apart), long-lived streams
 * opened (GET /api/v1/live), and answers pushed over the stream (what the page received without
 * asking): a changing page with pushed answers and no requests is a page that follows the stream.
 */
import type { Page, Request } from "@playwright/test";
import { launchChromium, setHidden, signedInContext } from "../browser";
import { sleep } from "../clients";
import type { PhaseContext, PostgresTarget } from "./context";

/** The issue's target for an idle open page. */
const TARGET_PER_MINUTE = 2;
const CHANGE_MS = 2_000;
/** Quiet this long (no /api/v1 request in flight or started) to call a page settled. */
const QUIET_MS = 2_000;
/** A page still asking this long after its first data is counted as it is. */
const SETTLE_MAX_MS = 20_000;

type WindowName = "idle, visible" | "changing, visible" | "changing, hidden" | "idle, hidden";
const WINDOWS: WindowName[] = ["idle, visible", "changing, visible", "changing, hidden", "idle, hidden"];

interface Counted {
  requests: number;
  perMinute: number;
  /** Long-lived streams opened (GET /api/v1/live). */
  streams: number;
  /** Answers the stream pushed to the page. */
  pushed: number;
  paths: Record<string, number>;
}

interface PageFigures {
  page: string;
  path: string;
  /** Seconds from navigation to settled; null when it never settled (requests kept coming). */
  settledSeconds: number | null;
  /** Requests while loading, up to settled. */
  loadRequests: number;
  windows: Record<WindowName, Counted>;
}

export interface PageResult {
  seconds: number;
  changes: number;
  pages: PageFigures[];
}

/**
 * Counts what the page sends. The instrumentation in the page notes the live stream's `ready` and
 * each pushed `answer` (EventSource events Playwright does not see).
 */
const INSTRUMENT = `(() => {
  window.__swReady = 0;
  window.__swPushed = 0;
  const ES = window.EventSource;
  if (!ES) return;
  window.EventSource = class extends ES {
    constructor(url, init) {
      super(url, init);
      this.addEventListener("ready", () => { window.__swReady++; });
      this.addEventListener("answer", () => { window.__swPushed++; });
    }
  };
})()`;

class Traffic {
  private readonly inflight = new Set<Request>();
  lastActivity = performance.now();
  loadRequests = 0;
  window: { paths: Record<string, number>; streams: number } | null = null;

  constructor(page: Page, ids: string[]) {
    page.on("request", (req) => {
      const url = new URL(req.url());
      if (!url.pathname.startsWith("/api/v1/")) return;
      if (url.pathname === "/api/v1/live") {
        if (this.window) this.window.streams++;
        return;
      }
      this.inflight.add(req);
      this.lastActivity = performance.now();
      if (!this.window) {
        this.loadRequests++;
        return;
      }
      let key = url.pathname;
      for (const id of ids) key = key.replace(id, "{id}");
      key = key.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "{uuid}");
      this.window.paths[key] = (this.window.paths[key] ?? 0) + 1;
    });
    const done = (req: Request) => {
      if (this.inflight.delete(req)) this.lastActivity = performance.now();
    };
    page.on("requestfinished", done);
    page.on("requestfailed", done);
  }

  get quiet(): boolean {
    return this.inflight.size === 0 && performance.now() - this.lastActivity >= QUIET_MS;
  }

  /** Why it is not quiet (for the log). */
  describe(): string {
    const urls = [...this.inflight].map((r) => new URL(r.url()).pathname);
    return `${urls.length ? `in flight: ${urls.join(", ")}` : "nothing in flight"}, last request ${((performance.now() - this.lastActivity) / 1000).toFixed(1)} s ago`;
  }
}

interface Subject {
  name: string;
  path: string;
  /** What shows that its first data arrived. */
  ready: string;
}

interface Settled {
  /** Seconds from navigation to settled; null when it never settled. */
  seconds: number | null;
  /** Seconds to the first data shown. */
  shownSeconds: number;
  why: string;
}

/** Opens the page and waits until it has settled. */
async function openAndSettle(page: Page, traffic: Traffic, s: Subject): Promise<Settled> {
  const t0 = performance.now();
  await page.goto(s.path, { waitUntil: "domcontentloaded" });
  await page.locator(s.ready).first().waitFor({ state: "visible", timeout: 60_000 });
  const shownSeconds = (performance.now() - t0) / 1000;
  const deadline = performance.now() + SETTLE_MAX_MS;
  let ready = 0;
  while (performance.now() < deadline) {
    ready = (await page.evaluate("window.__swReady")) as number;
    if (ready > 0 && traffic.quiet) return { seconds: (performance.now() - t0) / 1000, shownSeconds, why: "" };
    await sleep(100);
  }
  return {
    seconds: null,
    shownSeconds,
    why: `${ready ? "stream ready" : "stream never ready"}; ${traffic.describe()}`,
  };
}

/** Reports progress on the running run every CHANGE_MS until `stop.done`; returns how many. */
async function changeEvery2s(pg: PostgresTarget, id: string, stop: { done: boolean }): Promise<number> {
  const url = `${pg.api.base}/api/v1/activities/${id}/progress`;
  const headers = { "X-Api-Key": pg.api.apiKey, "Content-Type": "application/json" };
  const now = (await (await fetch(url, { headers })).json()) as {
    objectsProcessed: number;
    objectsToProcess: number | null;
  };
  let n = 0;
  while (!stop.done) {
    const t = performance.now();
    n++;
    // The processed count moves too (while there is room), so that pages showing counts change.
    const room = now.objectsToProcess !== null && now.objectsProcessed + n <= now.objectsToProcess;
    const body = room
      ? {
          objectsProcessed: now.objectsProcessed + n,
          objectsToProcess: now.objectsToProcess,
          message: `page bench change ${n}`,
        }
      : { message: `page bench change ${n}` };
    const res = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`progress report answered ${res.status}`);
    await sleep(Math.max(0, CHANGE_MS - (performance.now() - t)));
  }
  return n;
}

export async function pagePhase(ctx: PhaseContext, pg: PostgresTarget): Promise<PageResult> {
  const { inProgressRunId: runId, inProgressScheduleId: scheduleId } = pg.meta.fixtures;
  const seconds = ctx.scale.pageSeconds;
  const subjects: Subject[] = [
    { name: "detail", path: `/activities/${runId}`, ready: '[data-testid="progress-panel"]' },
    { name: "list", path: "/", ready: '[data-testid="list-count"]:has-text("live")' },
    { name: "Operations", path: "/operations", ready: 'p:has-text("· live")' },
    { name: "schedule", path: `/activities/${scheduleId}`, ready: '[data-testid="activity-detail"]' },
  ];
  const browser = await launchChromium();
  const stop = { done: false };
  let changes: Promise<number> | null = null;
  try {
    const opened = await Promise.all(
      subjects.map(async (s) => {
        const context = await signedInContext(browser, pg.api);
        await context.addInitScript(INSTRUMENT);
        const page = await context.newPage();
        const traffic = new Traffic(page, [runId, scheduleId]);
        const settled = await openAndSettle(page, traffic, s);
        ctx.log(
          `  ${s.name} (${s.path}): first data shown in ${settled.shownSeconds.toFixed(1)} s, ${settled.seconds === null ? `not settled ${SETTLE_MAX_MS / 1000} s later (${settled.why})` : `settled in ${settled.seconds.toFixed(1)} s`}, ${traffic.loadRequests} /api/v1 requests while loading`,
        );
        return { s, page, traffic, settled: settled.seconds };
      }),
    );
    const counts = new Map<string, Partial<Record<WindowName, Counted>>>();
    for (const w of WINDOWS) {
      if (w === "changing, visible") changes = changeEvery2s(pg, runId, stop);
      if (w === "changing, hidden") await Promise.all(opened.map((o) => setHidden(o.page, true)));
      if (w === "idle, hidden") {
        stop.done = true;
        await changes;
        // Let the last change reach the pages before counting an idle window again.
        await sleep(3_000);
      }
      const pushedBefore = await Promise.all(
        opened.map((o) => o.page.evaluate("window.__swPushed") as Promise<number>),
      );
      for (const o of opened) o.traffic.window = { paths: {}, streams: 0 };
      await sleep(seconds * 1000);
      const pushedAfter = await Promise.all(opened.map((o) => o.page.evaluate("window.__swPushed") as Promise<number>));
      opened.forEach((o, i) => {
        const win = o.traffic.window!;
        const requests = Object.values(win.paths).reduce((a, b) => a + b, 0);
        const c: Counted = {
          requests,
          perMinute: (requests * 60) / seconds,
          streams: win.streams,
          pushed: pushedAfter[i] - pushedBefore[i],
          paths: win.paths,
        };
        counts.set(o.s.name, { ...counts.get(o.s.name), [w]: c });
      });
    }
    const result: PageResult = {
      seconds,
      changes: await (changes ?? Promise.resolve(0)),
      pages: opened.map((o) => ({
        page: o.s.name,
        path: o.s.path,
        settledSeconds: o.settled,
        loadRequests: o.traffic.loadRequests,
        windows: counts.get(o.s.name) as Record<WindowName, Counted>,
      })),
    };
    const top = (m: Record<string, number>) =>
      Object.entries(m)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([p, n]) => `${p.replace("/api/v1", "")} ${n}`)
        .join(", ");
    const span = seconds === 60 ? "" : `, ${seconds} s`;
    for (const p of result.pages)
      for (const w of WINDOWS) {
        const c = p.windows[w];
        const target = w === "idle, visible" || w === "idle, hidden";
        ctx.report.check(
          "page",
          `${p.page} page, ${w}${span}${w === "idle, visible" ? " (issue 15's target: the idle open page)" : ""}${p.settledSeconds === null ? " (never settled)" : ""}`,
          `${c.perMinute.toFixed(1)} /api/v1 requests/min${c.requests ? ` (${top(c.paths)})` : ""}; ${c.streams} streams opened; ${c.pushed} answers pushed`,
          target ? `≤ ${TARGET_PER_MINUTE}/min` : `≤ ${TARGET_PER_MINUTE}/min (as idle)`,
          c.perMinute <= TARGET_PER_MINUTE,
        );
      }
    ctx.log(
      `  each window ${seconds} s after the pages settled; the run changed ${result.changes} times in the two changing windows`,
    );
    return result;
  } finally {
    stop.done = true;
    await changes?.catch(() => 0);
    await browser.close();
  }
}
