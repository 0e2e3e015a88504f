/**
 * Chromium for the phases that open the dashboard's own pages (page, tabs): how it is launched,
 * how a context signs in, a tab hidden, and what the browser's processes hold in memory.
 */
import fs from "node:fs";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "@playwright/test";
import type { ApiClient } from "./http";
import { childPids } from "./server";

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });

/**
 * A context signed in as the administrator: POST /api/v1/auth/session with the API key (what the
 * sign-in page sends), its session cookie given to the context. Each context has its own session.
 */
export async function signedInContext(
  browser: Browser,
  api: ApiClient,
  options: BrowserContextOptions = { viewport: { width: 1280, height: 900 } },
): Promise<BrowserContext> {
  const res = await fetch(`${api.base}/api/v1/auth/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: api.base },
    body: JSON.stringify({ apiKey: api.apiKey }),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
  const context = await browser.newContext({ ...options, baseURL: api.base });
  const cookies = res.headers.getSetCookie().map((c) => {
    const [pair, ...attrs] = c.split(";").map((s) => s.trim());
    const eq = pair.indexOf("=");
    const has = (a: string) => attrs.some((x) => x.toLowerCase() === a);
    return {
      name: pair.slice(0, eq),
      value: pair.slice(eq + 1),
      url: api.base,
      httpOnly: has("httponly"),
      sameSite: "Lax" as const,
    };
  });
  if (!cookies.length) throw new Error("sign-in set no cookie");
  await context.addCookies(cookies);
  return context;
}

/** Hides (or shows) a tab as the browser does when it goes to the background. */
export async function setHidden(page: Page, hidden: boolean): Promise<void> {
  // A string, not a function: tsx would wrap a function in helpers the page does not have.
  await page.evaluate(`(() => {
    const h = ${hidden};
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (h ? "hidden" : "visible") });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => h });
    document.dispatchEvent(new Event("visibilitychange"));
    window.dispatchEvent(new Event(h ? "blur" : "focus"));
  })()`);
}

/** The Chromium processes this bench process started (the browser and its renderers, GPU, utility). */
export function chromiumPids(): number[] {
  const out: number[] = [];
  const queue = childPids(process.pid).filter((pid) => /chrom/i.test(commOf(pid)));
  while (queue.length) {
    const pid = queue.pop()!;
    out.push(pid);
    queue.push(...childPids(pid));
  }
  return out;
}

function commOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

function kiB(file: string, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(file, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface BrowserMemory {
  processes: number;
  /** Proportional set size: shared pages divided among the processes that share them (what they cost together). */
  pssBytes: number;
  /** Resident set size summed (shared pages counted once per process: an upper bound). */
  rssBytes: number;
  /** The machine's MemAvailable at that moment. */
  availableBytes: number;
}

export function browserMemory(): BrowserMemory {
  const pids = chromiumPids();
  return {
    processes: pids.length,
    pssBytes: pids.reduce((n, pid) => n + kiB(`/proc/${pid}/smaps_rollup`, "Pss"), 0),
    rssBytes: pids.reduce((n, pid) => n + kiB(`/proc/${pid}/status`, "VmRSS"), 0),
    availableBytes: memAvailableBytes(),
  };
}

/** The machine's MemAvailable. */
export const memAvailableBytes = () => kiB("/proc/meminfo", "MemAvailable");

export const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString("en-GB")} MiB`;
