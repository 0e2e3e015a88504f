/** Helpers of the Failures specs: the API's view of the same filters, axe, waiting for the demo's failures. */
import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Page, PlaywrightWorkerArgs } from "@playwright/test";
import { ADMIN_KEY, expect, getJson } from "../fixtures";
import type { FailureGroupList, FailureObjectList } from "../../lib/api/failures";

const DAY = 86_400_000;

/** The API's `from` for the page's "last N days" preset (the page resolves it the same way). */
export const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

export function failureGroups(api: APIRequestContext, query: Record<string, string>) {
  return getJson<FailureGroupList>(api, `/api/v1/failures?${new URLSearchParams(query)}`);
}

/** Failed objects, counted exactly (what the tests compare the page with). */
export function failureObjects(api: APIRequestContext, query: Record<string, string>) {
  const q = new URLSearchParams({ ...query, count: "exact" });
  return getJson<FailureObjectList>(api, `/api/v1/failures/objects?${q}`);
}

/** Serious and critical axe violations (WCAG 2.1 A/AA and best practice) of the page as it is. */
export async function axeViolations(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}

/** Waits until the failures page shows its groups (not skeletons). */
export async function waitForGroups(page: Page) {
  await expect(page.getByTestId("group-row").first()).toBeVisible();
}

/**
 * Waits until the demo history is written: failures exist and their count has stopped changing
 * (the schedule autorun is off in e2e, so nothing else adds failures). The first test of a fresh
 * server would otherwise compare counts that are still growing.
 */
export async function waitForDemoFailures(playwright: PlaywrightWorkerArgs["playwright"], baseURL: string) {
  const ctx = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "X-Api-Key": ADMIN_KEY } });
  try {
    const seen: number[] = [];
    await expect
      .poll(
        async () => {
          // a server busy writing its history may drop a connection: that is "not yet", not a failure
          const res = await ctx
            .get("/api/v1/failures/objects?state=Open,Recovered&pageSize=1&count=exact")
            .catch(() => null);
          seen.push(res?.ok() ? (((await res.json()) as FailureObjectList).totalCount ?? 0) : 0);
          const last = seen.slice(-5);
          return last.length === 5 && last[0] > 0 && last.every((n) => n === last[0]);
        },
        { timeout: 280_000, intervals: [3000] },
      )
      .toBe(true);
  } finally {
    await ctx.dispose();
  }
}
