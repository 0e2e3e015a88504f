import { test as base, expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { E2E_ADMIN_KEY } from "../playwright.config";
import type { ActivityDetail, ActivityList, TriggerResult } from "../lib/api/activities";
import type { ConnectedSystem } from "../lib/api/connected-systems";
import type { Schedule } from "../lib/api/schedules";

export { expect };
export const ADMIN_KEY = E2E_ADMIN_KEY;

type Fixtures = {
  /** API client authenticated with the administrator key (X-Api-Key header). */
  api: APIRequestContext;
  /** A page whose browser context is signed in as the administrator (session cookie). */
  adminPage: Page;
};

export const test = base.extend<Fixtures>({
  // Playwright's fixture callback is named `provide` here: ESLint's React rules read `use` as a hook.
  api: async ({ playwright, baseURL }, provide) => {
    const ctx = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "X-Api-Key": ADMIN_KEY } });
    await provide(ctx);
    await ctx.dispose();
  },
  adminPage: async ({ page }, provide) => {
    await signInByApi(page, ADMIN_KEY);
    await provide(page);
  },
});

export async function signInByApi(page: Page, key: string) {
  const res = await page.request.post("/api/v1/auth/session", { data: { apiKey: key } });
  expect(res.ok(), `sign-in answered ${res.status()}`).toBeTruthy();
}

export async function getJson<T>(api: APIRequestContext, url: string): Promise<T> {
  const res = await api.get(url);
  expect(res.ok(), `${url} answered ${res.status()} ${await res.text().catch(() => "")}`).toBeTruthy();
  return (await res.json()) as T;
}

/** A run profile that processes objects (a synchronisation if there is one). */
export async function pickRunProfile(api: APIRequestContext): Promise<{ cs: ConnectedSystem; rpId: number }> {
  const { items } = await getJson<{ items: ConnectedSystem[] }>(api, "/api/v1/connected-systems");
  for (const runType of ["FullSynchronisation", "FullImport", "DeltaSynchronisation", "DeltaImport", "Export"]) {
    for (const cs of items) {
      const rp = cs.runProfiles.find((r) => r.runType === runType);
      if (rp) return { cs, rpId: rp.id };
    }
  }
  throw new Error("no run profiles configured");
}

/** A run an outside engine reports (POST /activities) on a run profile: the test drives its progress. */
export async function reportRun(api: APIRequestContext, name: string): Promise<{ id: string; name: string }> {
  const { cs, rpId } = await pickRunProfile(api);
  const created = await api.post("/api/v1/activities", {
    data: { name, targetType: "ConnectedSystemRunProfile", connectedSystemId: cs.id, runProfileId: rpId },
  });
  expect(created.status(), await created.text()).toBe(201);
  return (await created.json()) as { id: string; name: string };
}

export async function triggerRunProfile(api: APIRequestContext): Promise<string> {
  const { cs, rpId } = await pickRunProfile(api);
  const res = await api.post(`/api/v1/connected-systems/${cs.id}/run-profiles/${rpId}/execute`, { data: {} });
  expect(res.status(), await res.text()).toBe(202);
  return ((await res.json()) as TriggerResult).activityId;
}

export async function triggerSchedule(api: APIRequestContext): Promise<string> {
  const { items } = await getJson<{ items: Schedule[] }>(api, "/api/v1/schedules");
  const schedule = [...items].sort((a, b) => a.steps.length - b.steps.length)[0];
  expect(schedule, "a schedule is configured").toBeTruthy();
  const res = await api.post(`/api/v1/schedules/${schedule.id}/execute`, { data: {} });
  expect(res.status(), await res.text()).toBe(202);
  return ((await res.json()) as TriggerResult).activityId;
}

export async function waitForTerminal(
  api: APIRequestContext,
  id: string,
  timeoutMs = 120_000,
): Promise<ActivityDetail> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const a = await getJson<ActivityDetail>(api, `/api/v1/activities/${id}`);
    if (a.status !== "InProgress") return a;
    if (Date.now() > until) throw new Error(`activity ${id} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The newest finished run-profile activity that still has failed execution items. */
export async function findRunWithItemErrors(api: APIRequestContext): Promise<ActivityDetail> {
  const list = await getJson<ActivityList>(
    api,
    "/api/v1/activities?targetType=ConnectedSystemRunProfile&hasErrors=true&topLevelOnly=false&pageSize=50&sort=created&order=desc",
  );
  for (const a of list.items) {
    if (a.status === "InProgress") continue;
    const items = await getJson<{ totalCount: number }>(
      api,
      `/api/v1/activities/${a.id}/items?errorType=any&pageSize=1&count=exact`,
    );
    if (items.totalCount > 0) return getJson<ActivityDetail>(api, `/api/v1/activities/${a.id}`);
  }
  throw new Error("no finished run with failed execution items in the demo history");
}

export async function setTheme(page: Page, theme: "light" | "dark") {
  await page.emulateMedia({ colorScheme: theme });
}

const SHOTS = path.join(__dirname, "..", "docs", "screenshots");
/**
 * Saves docs/screenshots/<name>.png: the whole page (or its viewport), or one element of it with a
 * margin (what it draws just outside its box, such as a timeline's dots, stays in the picture).
 */
export async function saveScreenshot(target: Page | Locator, name: string, fullPage = true) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  if ("goto" in target) {
    await target.screenshot({ path: file, fullPage, animations: "disabled" });
    return;
  }
  const margin = 12;
  const box = await target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const page = document.documentElement;
    const at = { x: r.left + window.scrollX, y: r.top + window.scrollY };
    return { ...at, right: r.right + window.scrollX, bottom: r.bottom + window.scrollY, pageWidth: page.scrollWidth };
  });
  const x = Math.max(0, box.x - margin);
  const y = Math.max(0, box.y - margin);
  const clip = { x, y, width: Math.min(box.pageWidth, box.right + margin) - x, height: box.bottom + margin - y };
  await target.page().screenshot({ path: file, fullPage: true, clip, animations: "disabled" });
}

/** axe-core in the page; returns the serious and critical violations. */
export async function seriousViolations(page: Page) {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{
            violations: {
              id: string;
              impact: string | null;
              help: string;
              nodes: { target: unknown[]; failureSummary?: string }[];
            }[];
          }>;
        };
      }
    ).axe;
    return axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    }));
}
