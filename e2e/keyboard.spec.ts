import type { APIRequestContext, Page } from "@playwright/test";
import { ADMIN_KEY, expect, getJson, signInByApi, test } from "./fixtures";
import type { ActivityDetail } from "../lib/api/activities";
import type { ExecutionItemDetail, ExecutionItemList } from "../lib/api/items";
import { demoHistoryWritten } from "./support/hostile";

/**
 * The keyboard alone: the triage task — from the list to a run with failed objects, to one of its
 * failed objects, to that object's history across runs — within 40 key presses (193 before), each
 * counted; focus stays where the person acted after a filter change; `?` lists the shortcuts.
 */

class Keys {
  count = 0;
  readonly log: string[] = [];
  constructor(private readonly page: Page) {}
  async press(key: string, why = "") {
    this.count++;
    this.log.push(why ? `${key} (${why})` : key);
    await this.page.keyboard.press(key);
  }
  /** Presses `key` until the focused element satisfies `test` (at most `max` times). */
  async until(key: string, test: (page: Page) => Promise<boolean>, max: number, why: string) {
    for (let i = 0; i < max; i++) {
      if (await test(this.page)) return;
      await this.press(key, why);
    }
    if (!(await test(this.page)))
      throw new Error(`${why}: not reached with ${max} × ${key}; keys: ${this.log.join(", ")}`);
  }
}

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      testId: el?.getAttribute("data-testid") ?? null,
      text: (el?.textContent ?? "").trim(),
      row: el?.closest("[data-row]")?.getAttribute("data-activity-id") ?? null,
      item: el?.closest("[data-row]")?.getAttribute("data-item-id") ?? null,
    };
  });

/** A run whose failed objects are kept and tracked as failures (its drawer links to the history). */
async function triageable(api: APIRequestContext, id: string): Promise<boolean> {
  const a = await getJson<ActivityDetail>(api, `/api/v1/activities/${id}`);
  if (a.targetType !== "ConnectedSystemRunProfile" || !a.itemsRetained || a.status === "InProgress") return false;
  const items = await getJson<ExecutionItemList>(api, `/api/v1/activities/${id}/items?errorType=any&pageSize=1`);
  if (items.items.length === 0) return false;
  const first = await getJson<ExecutionItemDetail>(api, `/api/v1/activities/${id}/items/${items.items[0].id}`);
  return first.failure !== null;
}

test("triage by keyboard: list → a run with failed objects → a failed object → its history, ≤ 40 keys", async ({
  page,
  api,
}) => {
  test.setTimeout(300_000);
  await demoHistoryWritten(api);
  await signInByApi(page, ADMIN_KEY);
  await page.goto("/");
  await expect(page.getByTestId("activity-row").first()).toBeVisible();
  const keys = new Keys(page);

  // the skip links come first: "Skip to quick filters"
  await keys.until("Tab", async (p) => (await focused(p)).text === "Skip to quick filters", 4, "skip link");
  await keys.press("Enter", "skip to the quick filters");
  await keys.until("Tab", async (p) => (await focused(p)).testId === "quick-with-errors", 6, "With errors");
  await keys.press("Enter", "runs with errors, steps included");
  await expect(page).toHaveURL(/hasErrors=true/);
  await expect(page.getByTestId("quick-with-errors")).toHaveAttribute("aria-pressed", "true");
  // focus stayed where the person acted
  expect((await focused(page)).testId).toBe("quick-with-errors");
  await expect(page.getByRole("region", { name: "Activities" }).locator("[inert]")).toHaveCount(0);

  // J down the rows to the first run whose failed objects are kept
  let runId: string | null = null;
  for (let i = 0; i < 15 && !runId; i++) {
    await keys.press("j", "next row");
    const row = (await focused(page)).row;
    if (row && (await triageable(api, row))) runId = row;
  }
  expect(runId, `a run with failed objects among the first rows; keys: ${keys.log.join(", ")}`).not.toBeNull();
  await keys.press("Enter", "open the run");
  await expect(page).toHaveURL(new RegExp(`/activities/${runId}`));
  await expect(page.getByTestId("item-row").first()).toBeVisible();

  // J to the first failed object, Enter opens it in the drawer
  await keys.press("j", "first failed object");
  expect((await focused(page)).testId).toBe("item-open");
  await keys.press("Enter", "open the object");
  await expect(page.getByTestId("item-detail")).toBeVisible();
  await keys.until(
    "Tab",
    async (p) => (await focused(p)).testId === "failure-history-link",
    12,
    "the object's failure history link",
  );
  await keys.press("Enter", "open the history");
  await expect(page).toHaveURL(/\/failures\/objects\//);
  await expect(page.getByTestId("history-entry").first()).toBeVisible();

  console.log(`keyboard triage: ${keys.count} key presses: ${keys.log.join(", ")}`);
  test.info().annotations.push({ type: "triage key presses", description: `${keys.count}: ${keys.log.join(", ")}` });
  expect(keys.count, keys.log.join(", ")).toBeLessThanOrEqual(40);
});

test("? lists the page's shortcuts in a dialog; Esc closes it and focus returns", async ({ page }) => {
  await signInByApi(page, ADMIN_KEY);
  await page.goto("/");
  await expect(page.getByTestId("activity-row").first()).toBeVisible();
  // from a control on the page, not from the top
  await page.getByTestId("quick-failed").focus();
  await page.keyboard.press("Shift+?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute("data-testid", "shortcuts-dialog");
  for (const key of ["J", "K", "Enter", "/", "?"])
    await expect(dialog.locator("kbd", { hasText: key }).first()).toBeVisible();
  await expect(page.getByTestId("quick-failed")).not.toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("quick-failed")).toBeFocused();
  // typing a ? into a field types it
  await page.keyboard.press("/");
  await expect(page.locator("input[type=search]").first()).toBeFocused();
  await page.keyboard.type("?");
  await expect(dialog).toBeHidden();
});

test("J and K move through the rows, and a filter change keeps focus on the control used", async ({ page }) => {
  await signInByApi(page, ADMIN_KEY);
  await page.goto("/");
  await expect(page.getByTestId("activity-row").nth(2)).toBeVisible();
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  const first = await page.getByTestId("activity-row").first().getAttribute("data-activity-id");
  expect((await focused(page)).row).toBe(first);
  await expect(page.getByTestId("activity-link").first()).toBeFocused();
  // a quick filter used by keyboard keeps the focus, and so does its second press (which clears it)
  await page.getByTestId("quick-failed").focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/status=FailedWithError/);
  await expect(page.getByTestId("quick-failed")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).not.toHaveURL(/status=FailedWithError/);
  await expect(page.getByTestId("quick-failed")).toBeFocused();
});
