import { expect, getJson, test } from "./fixtures";
import type { ActivityList } from "../lib/api/activities";
import type { ConnectedSystem } from "../lib/api/connected-systems";
import { shownIds } from "./support/list";

/** Issue 17, "filters that add up": quick filters combine, run filters bring their steps, a failed row says why. */

const systems = async (api: Parameters<typeof getJson>[0]) =>
  (await getJson<{ items: ConnectedSystem[] }>(api, "/api/v1/connected-systems")).items;

test("quick filters add up with the filters already set, and pressed again clear only their own", async ({
  adminPage: page,
  api,
}) => {
  const cs = (await systems(api)).find((s) => s.runProfiles.some((rp) => rp.runType === "Export"));
  expect(cs, "a connected system with an export run profile").toBeTruthy();
  await page.goto("/");
  await expect(page.getByTestId("activity-row").first()).toBeVisible();
  // one control per filter: "With errors" is the list's only control of hasErrors
  await expect(page.getByRole("checkbox", { name: "Errors only" })).toHaveCount(0);

  await page.getByLabel("Connected system").selectOption(String(cs!.id));
  await expect(page).toHaveURL(new RegExp(`connectedSystemId=${cs!.id}`));
  await page.getByTestId("more-filters").click();
  await page.getByRole("group", { name: "Run type" }).getByText("Export", { exact: true }).click();
  await expect(page).toHaveURL(/runType=Export/);
  await page.getByTestId("quick-failed").click();
  await expect(page).toHaveURL(/status=FailedWithError/);
  await page.getByTestId("quick-with-errors").click();
  await expect(page).toHaveURL(/hasErrors=true/);

  const url = new URL(page.url());
  expect(url.searchParams.get("connectedSystemId")).toBe(String(cs!.id));
  expect(url.searchParams.get("runType")).toBe("Export");
  expect(url.searchParams.get("status")).toBe("FailedWithError");
  await expect(page.getByTestId("quick-failed")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("quick-with-errors")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("checkbox", { name: "Failed with error" })).toBeChecked();
  // the rows are the API's answer to all four filters (steps included: these filters imply them)
  const query = `status=FailedWithError&runType=Export&connectedSystemId=${cs!.id}&hasErrors=true&topLevelOnly=false`;
  await expect
    .poll(async () => {
      const expected = await getJson<ActivityList>(api, `/api/v1/activities?${query}&pageSize=25`);
      return JSON.stringify(await shownIds(page)) === JSON.stringify(expected.items.map((a) => a.id));
    })
    .toBe(true);

  // pressed again, "Failed" takes only its status away
  await page.getByTestId("quick-failed").click();
  await expect(page).not.toHaveURL(/status=/);
  const after = new URL(page.url());
  expect(after.searchParams.get("connectedSystemId")).toBe(String(cs!.id));
  expect(after.searchParams.get("runType")).toBe("Export");
  expect(after.searchParams.get("hasErrors")).toBe("true");
  await expect(page.getByTestId("quick-with-errors")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("quick-failed")).toHaveAttribute("aria-pressed", "false");
});

test("a run-profile filter shows its steps at once and says so; hiding them is one click and undone by another", async ({
  adminPage: page,
  api,
}) => {
  // a run profile whose runs are mostly steps: the API's top-level default leaves them out
  let profile: { id: number; steps: number } | null = null;
  for (const cs of await systems(api))
    for (const rp of cs.runProfiles) {
      if (profile) break;
      const top = await getJson<ActivityList>(api, `/api/v1/activities?runProfileId=${rp.id}&pageSize=1`);
      if (top.stepMatches && top.stepMatches.count > 0) profile = { id: rp.id, steps: top.stepMatches.count };
    }
  expect(profile, "a run profile that runs as a schedule step").not.toBeNull();

  await page.goto("/");
  await expect(page.getByTestId("activity-row").first()).toBeVisible();
  await page.getByLabel("Run profile").selectOption(String(profile!.id));
  await expect(page).toHaveURL(new RegExp(`runProfileId=${profile!.id}`));
  await expect(page).not.toHaveURL(/topLevelOnly/); // implied, not written: the URL keeps the API's vocabulary
  const note = page.getByTestId("steps-included");
  await expect(note).toBeVisible();
  await expect(note).toContainText("Steps inside schedules are included");
  await expect(page.getByTestId("step-matches")).toHaveCount(0);
  await page.getByTestId("more-filters").click();
  await expect(page.getByRole("checkbox", { name: "Include schedule steps" })).toBeChecked();
  await expect(page.getByTestId("parent-schedule-link").first()).toBeVisible();
  await expect
    .poll(async () => {
      const expected = await getJson<ActivityList>(
        api,
        `/api/v1/activities?runProfileId=${profile!.id}&topLevelOnly=false&pageSize=25`,
      );
      return JSON.stringify(await shownIds(page)) === JSON.stringify(expected.items.map((a) => a.id));
    })
    .toBe(true);

  // hide them: the choice is written in the API's words, and the count of what is hidden comes back
  await note.getByRole("button", { name: "Hide steps" }).click();
  await expect(page).toHaveURL(/topLevelOnly=true/);
  await expect(page.getByTestId("steps-included")).toHaveCount(0);
  await expect(page.getByTestId("step-matches")).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "Include schedule steps" })).not.toBeChecked();
  expect(await page.evaluate(() => document.activeElement !== document.body)).toBe(true);

  // and show them again: back to following the filters, focus on the toggle that replaced the one pressed
  await page.getByTestId("step-matches").getByRole("button", { name: /Show/ }).click();
  await expect(page).not.toHaveURL(/topLevelOnly/);
  await expect(page.getByTestId("steps-included")).toBeVisible();
  await expect(page.getByRole("button", { name: "Hide steps" })).toBeFocused();
});

test("a run that failed before processing anything says why on its row, whole on hover and focus", async ({
  adminPage: page,
  api,
}) => {
  const cs = (await systems(api)).find((s) => s.runProfiles.length > 0)!;
  const name = `Refused ${Date.now()}`;
  const reason =
    "Connection refused: ldaps://dc01.corp.example.com:636 did not answer (ECONNREFUSED); the run stopped " +
    "before reading any object. Check that the directory server is up and that the firewall lets the sync host in.";
  const created = await api.post("/api/v1/activities", {
    data: {
      name,
      targetType: "ConnectedSystemRunProfile",
      connectedSystemId: cs.id,
      runProfileId: cs.runProfiles[0].id,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const done = await api.post(`/api/v1/activities/${id}/complete`, { data: { errorMessage: reason } });
  expect(done.status(), await done.text()).toBe(200);

  await page.goto(`/?search=${encodeURIComponent(name)}`);
  const row = page.locator(`[data-testid=activity-row][data-activity-id="${id}"]`);
  await expect(row).toHaveAttribute("data-status", "FailedWithError");
  const why = row.getByTestId("failure-reason");
  await expect(why).toContainText(reason);
  await expect(why).toHaveAttribute("title", reason);
  // one line, cut short: the text is wider than its line
  const line = async () =>
    why.evaluate((el) => ({
      truncated: el.scrollWidth > el.clientWidth,
      lines: Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)),
    }));
  expect(await line()).toEqual({ truncated: true, lines: 1 });
  // keyboard focus unfolds the whole reason
  await why.focus();
  await expect(why).toBeFocused();
  await expect.poll(async () => (await line()).lines).toBeGreaterThan(1);
  expect((await line()).truncated).toBe(false);

  // Left, it folds again; and stays left when the row is drawn anew: at 390 px the table becomes
  // cards, and the focus keeper once moved focus back to the reason the person had left.
  await why.evaluate((el) => (el as HTMLElement).blur());
  await expect(why).not.toBeFocused();
  await page.setViewportSize({ width: 390, height: 900 });
  await expect(page.getByRole("table")).toHaveCount(0);
  await expect(row.getByTestId("failure-reason")).toBeVisible();
  // The keeper acts in the frame after a change; nothing to wait for when it rightly does nothing.
  await page.waitForTimeout(300);
  await expect(why).not.toBeFocused();
  // at 390 px the card keeps it to one line, and nothing scrolls sideways
  expect(await line()).toEqual({ truncated: true, lines: 1 });
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
});

test("the common filters take one line; the rest wait behind More filters, which counts those set", async ({
  adminPage: page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/");
  const firstRow = page.getByTestId("activity-row").first();
  await expect(firstRow).toBeVisible();
  const headerBottom = await page
    .locator("header")
    .first()
    .evaluate((h) => h.getBoundingClientRect().bottom);
  const rowTop = await firstRow.evaluate((r) => r.getBoundingClientRect().top);
  expect(rowTop - headerBottom, "the first row at most ~200 px below the header at 1280 px").toBeLessThanOrEqual(200);
  await expect(page.getByLabel("Target type", { exact: true })).toHaveCount(0);

  const more = page.getByTestId("more-filters");
  await more.click();
  await expect(more).toHaveAttribute("aria-expanded", "true");
  await page.getByLabel("Target type", { exact: true }).selectOption("Schedule");
  await page.getByRole("group", { name: "Status" }).getByText("Complete", { exact: true }).click();
  await expect(page).toHaveURL(/status=Complete(&|$)/);
  await expect(more).toHaveText("Fewer filters (2)");
  // closed, the count and a removable chip each say what is set out of sight
  await more.click();
  await expect(page.getByLabel("Target type", { exact: true })).toHaveCount(0);
  await expect(more).toHaveText("More filters (2)");
  await expect(page.getByTestId("active-filter")).toHaveText(["Status: Complete×", "Target type: Schedule×"]);
  await page.getByRole("button", { name: "Remove the filter Status: Complete" }).click();
  await expect(page).not.toHaveURL(/status=/);
  await expect(page).toHaveURL(/targetType=Schedule/);
  await expect(more).toHaveText("More filters (1)");
  // a reload shows the panel open with what it holds
  await page.reload();
  await expect(page.getByLabel("Target type", { exact: true })).toHaveValue("Schedule");
  // clearing the last filter inside does not close the panel under the keyboard
  await page.getByLabel("Target type", { exact: true }).selectOption("");
  await expect(page).not.toHaveURL(/targetType=/);
  await expect(page.getByLabel("Target type", { exact: true })).toBeVisible();
  await expect(more).toHaveText("Fewer filters");
});

test("Last night is one choice of the time range on the list and on Failures: yesterday 18:00 to 06:00 today", async ({
  adminPage: page,
  api,
}) => {
  await page.goto("/");
  await expect(page.getByTestId("activity-row").first()).toBeVisible();
  const range = page.getByLabel("Time range");
  await range.selectOption({ label: "Last night (18:00–06:00)" });
  await expect(page).toHaveURL(/range=custom/);
  // the night in the viewer's zone, written as the dates it covers (a link to it keeps that night)
  const night = await page.evaluate(() => {
    const to = new Date();
    to.setHours(6, 0, 0, 0);
    const from = new Date(to);
    from.setDate(from.getDate() - 1);
    from.setHours(18, 0, 0, 0);
    return { from: from.toISOString(), to: to.toISOString() };
  });
  const url = new URL(page.url());
  expect({ from: url.searchParams.get("from"), to: url.searchParams.get("to") }).toEqual(night);
  await expect(range).toHaveValue("night");
  await expect(page.getByLabel("From", { exact: true })).toHaveCount(0);
  const query = `from=${encodeURIComponent(night.from)}&to=${encodeURIComponent(night.to)}&pageSize=25`;
  await expect
    .poll(async () => {
      const expected = await getJson<ActivityList>(api, `/api/v1/activities?${query}`);
      return JSON.stringify(await shownIds(page)) === JSON.stringify(expected.items.map((a) => a.id));
    })
    .toBe(true);

  await page.goto("/failures");
  await page.getByLabel("Time range").selectOption("night");
  await expect(page).toHaveURL(/range=custom/);
  await expect(page.getByLabel("Time range")).toHaveValue("night");
  await expect(page.getByTestId("failure-summary")).toContainText("between");
});
