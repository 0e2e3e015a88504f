import { expect, getJson, test, triggerRunProfile } from "./fixtures";
import type { ActivityList } from "../lib/api/activities";
import { shownIds, statusWithHiddenSteps } from "./support/list";

test("filters, sort and paging live in the URL and survive a reload", async ({ adminPage: page, api }) => {
  await page.goto("/");
  await expect(page.getByTestId("activity-row").first()).toBeVisible();

  const more = page.getByTestId("more-filters");
  await expect(more).toHaveAttribute("aria-expanded", "false");
  await more.click();
  await page.getByRole("region", { name: "Filters" }).getByText("Complete with error", { exact: true }).click();
  await expect(page).toHaveURL(/status=CompleteWithError/);
  await page.getByLabel("Target type", { exact: true }).selectOption("ConnectedSystemRunProfile");
  await expect(page).toHaveURL(/targetType=ConnectedSystemRunProfile/);
  await page.getByRole("button", { name: /^Errors/ }).click(); // sort by errors
  await expect(page).toHaveURL(/sort=errors/);

  // runs with errors: the page includes the steps (the filter implies them)
  const expected = await getJson<ActivityList>(
    api,
    "/api/v1/activities?status=CompleteWithError&targetType=ConnectedSystemRunProfile&topLevelOnly=false&sort=errors&order=desc&pageSize=25&count=exact",
  );
  expect(expected.totalCount).toBeGreaterThan(0);
  const check = async () => {
    const rows = page.getByTestId("activity-row");
    await expect(rows.first()).toBeVisible();
    await expect
      .poll(async () =>
        (await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-status")))).every(
          (s) => s === "CompleteWithError",
        ),
      )
      .toBe(true);
    await expect(page.getByLabel("Target type", { exact: true })).toHaveValue("ConnectedSystemRunProfile");
    await expect(page.getByRole("checkbox", { name: "Complete with error" })).toBeChecked();
    await expect(page.getByRole("columnheader", { name: /Errors/ })).toHaveAttribute("aria-sort", "descending");
    await expect(rows.first()).toHaveAttribute("data-activity-id", expected.items[0].id);
  };
  await check();
  await page.reload();
  await check();

  // a shared link reproduces the view
  const url = page.url();
  const other = await page.context().newPage();
  await other.goto(url);
  await expect(other.getByLabel("Target type", { exact: true })).toHaveValue("ConnectedSystemRunProfile");
  await other.close();

  // back goes to the previous state of the list
  await page.goBack();
  await expect(page).not.toHaveURL(/sort=errors/);
  await expect(page).toHaveURL(/targetType=ConnectedSystemRunProfile/);
});

test("text search is debounced into the URL under the API's name and narrows the list", async ({
  adminPage: page,
  api,
}) => {
  const list = await getJson<ActivityList>(api, "/api/v1/activities?pageSize=1&targetType=Schedule");
  expect(list.items.length, "the demo history has schedule executions").toBeGreaterThan(0);
  const word = list.items[0].name.split(/\s+/)[0];
  await page.goto("/");
  await page.getByLabel("Search").fill(word);
  await expect(page).toHaveURL(new RegExp(`search=${encodeURIComponent(word)}`));
  await expect(page.getByTestId("activity-row").first()).toContainText(word);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.getByLabel("Search")).toHaveValue("");
  await expect(page).not.toHaveURL(/search=/);
});

test("an old short-key link (/?q=...&errors=1) still opens the same view", async ({ adminPage: page, api }) => {
  const list = await getJson<ActivityList>(api, "/api/v1/activities?pageSize=1&hasErrors=true");
  const word = list.items[0].name.split(/\s+/)[0];
  await page.goto(`/?q=${encodeURIComponent(word)}&errors=1`);
  await expect(page).toHaveURL(new RegExp(`search=${encodeURIComponent(word)}`));
  await expect(page).toHaveURL(/hasErrors=true/);
  await expect(page).not.toHaveURL(/[?&](q|errors)=/);
  await expect(page.getByLabel("Search")).toHaveValue(word);
  await expect(page.getByTestId("quick-with-errors")).toHaveAttribute("aria-pressed", "true");
  // runs with errors include the steps (the filter implies them)
  const expected = await getJson<ActivityList>(
    api,
    `/api/v1/activities?search=${encodeURIComponent(word)}&hasErrors=true&topLevelOnly=false&pageSize=25`,
  );
  await expect.poll(() => shownIds(page)).toEqual(expected.items.map((a) => a.id));
});

test("paging: 25 rows per page, next page and page size in the URL", async ({ adminPage: page, api }) => {
  const total = (await getJson<ActivityList>(api, "/api/v1/activities?topLevelOnly=false&pageSize=1&count=exact"))
    .totalCount;
  expect(total, "the demo history has more than 50 activities").toBeGreaterThan(50);
  await page.goto("/?topLevel=0");
  await expect(page).toHaveURL(/topLevelOnly=false/);
  const rows = page.getByTestId("activity-row");
  await expect(rows).toHaveCount(25);
  const firstId = await rows.first().getAttribute("data-activity-id");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(rows.first()).not.toHaveAttribute("data-activity-id", firstId!);
  await page.getByLabel("Rows per page").selectOption("50");
  await expect(page).toHaveURL(/pageSize=50/);
  await expect(page).not.toHaveURL(/page=2/);
  await expect(rows).toHaveCount(50);
});

test("a page past the end says so and links to the last page", async ({ adminPage: page, api }) => {
  const list = await getJson<ActivityList>(api, "/api/v1/activities?pageSize=25&count=exact");
  const last = Math.max(1, Math.ceil(list.totalCount! / 25));
  await page.goto("/?page=99999");
  const notice = page.getByTestId("past-end");
  await expect(notice).toContainText("Page 99,999 does not exist");
  await expect(page.getByTestId("page-range")).toContainText("No rows on page 99,999");
  await expect(page.getByLabel("Page", { exact: true })).toHaveAttribute("placeholder", "—");
  await expect(page.getByTestId("activity-row")).toHaveCount(0);
  await notice.getByRole("button", { name: /last page/ }).click();
  if (last > 1) await expect(page).toHaveURL(new RegExp(`page=${last}\\b`));
  await expect(page.getByTestId("activity-row").first()).toBeVisible();
  await expect(page.getByTestId("page-range")).toHaveText(/^[\d,]+–[\d,]+ of [\d,]+\+?$/);
});

test("bad filters are explained inline and nothing is asked of the server", async ({ adminPage: page }) => {
  await page.goto("/");
  await expect(page.getByTestId("activity-row").first()).toBeVisible();
  const searches: string[] = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname === "/api/v1/activities" && u.searchParams.get("search")) searches.push(u.search);
  });
  await page.getByLabel("Search").fill("x".repeat(201));
  await expect(page.getByRole("alert").filter({ hasText: /limited to 200 characters/ })).toBeVisible();
  await expect(page.getByTestId("filter-problem")).toBeVisible();
  await page.waitForTimeout(1000);
  expect(searches, "no request with an over-long search").toEqual([]);
  await expect(page.getByText(/400|BAD_REQUEST/)).toHaveCount(0);

  await page.goto("/?range=custom&from=2026-11-20T12:00:00.000Z&to=2026-11-19T12:00:00.000Z");
  await expect(page.getByRole("alert").filter({ hasText: /“From” is after “To”/ })).toBeVisible();
  await expect(page.getByTestId("activity-row")).toHaveCount(0);
  await expect(page.getByTestId("empty-state")).toHaveCount(0);
});

test("steps a status filter matches inside schedules: +N — show, with a link to their schedule", async ({
  adminPage: page,
  api,
}) => {
  const { status, stepMatches } = await statusWithHiddenSteps(api);
  await page.goto(`/?status=${status}`);
  const notice = page.getByTestId("step-matches");
  expect(stepMatches.count).toBeGreaterThan(0);
  // the count the API says at that moment (the store may still be filling when the suite starts)
  await expect
    .poll(async () => {
      const now = await getJson<ActivityList>(api, `/api/v1/activities?status=${status}&pageSize=1`);
      return (await notice.textContent())?.startsWith(`+${now.stepMatches?.count.toLocaleString("en-US")} `);
    })
    .toBe(true);
  await expect(notice).toContainText("matching step");
  await notice.getByRole("button", { name: /Show/ }).click();
  await expect(page).toHaveURL(/topLevelOnly=false/);
  await expect(page.getByTestId("step-matches")).toHaveCount(0);
  await expect(page.getByRole("columnheader", { name: "Schedule" })).toBeVisible();
  const link = page.getByTestId("parent-schedule-link").first();
  await expect(link).toContainText(/step \d+/);
  const row = page
    .getByTestId("activity-row")
    .filter({ has: page.getByTestId("parent-schedule-link") })
    .first();
  const stepId = await row.getAttribute("data-activity-id");
  const step = await getJson<{ scheduleExecutionId: string }>(api, `/api/v1/activities/${stepId}`);
  await row.getByTestId("parent-schedule-link").click();
  await expect(page).toHaveURL(new RegExp(`/activities/${step.scheduleExecutionId}$`));
});

test("a schedule whose step failed is found from Failed in one click", async ({ adminPage: page, api }) => {
  const failedSteps = await getJson<ActivityList>(
    api,
    "/api/v1/activities?status=FailedWithError&topLevelOnly=false&targetType=ConnectedSystemRunProfile&pageSize=100",
  );
  const step = failedSteps.items.find((a) => a.scheduleExecutionId);
  expect(step, "the demo history has a failed step").toBeTruthy();
  await page.goto("/");
  await page.getByTestId("quick-failed").click();
  await expect(page).toHaveURL(/status=FailedWithError/);
  // the steps come with the filter (implied, so not written in the URL), and the list says so
  await expect(page).not.toHaveURL(/topLevelOnly/);
  await expect(page.getByTestId("steps-included")).toBeVisible();
  await expect(page.getByTestId("parent-schedule-link").first()).toBeVisible();
  const statuses = await page
    .getByTestId("activity-row")
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-status")));
  expect(new Set(statuses)).toEqual(new Set(["FailedWithError"]));
});

test("sorting by target, type and initiator follows the API's order", async ({ adminPage: page, api }) => {
  await page.goto("/?topLevel=0");
  await expect(page.getByTestId("activity-row").first()).toBeVisible();
  for (const [column, sort] of [
    ["Target", "target"],
    ["Type", "type"],
    ["Initiator", "initiator"],
  ] as const) {
    await page.getByRole("button", { name: new RegExp(`^${column}`) }).click();
    await expect(page).toHaveURL(new RegExp(`sort=${sort}`));
    await expect(page.getByRole("columnheader", { name: new RegExp(column) })).toHaveAttribute(
      "aria-sort",
      /ascending|descending/,
    );
    const order = new URL(page.url()).searchParams.get("order") === "asc" ? "asc" : "desc";
    expect(order, `${column} sorts A to Z first`).toBe("asc");
    const expected = await getJson<ActivityList>(
      api,
      `/api/v1/activities?topLevelOnly=false&sort=${sort}&order=${order}&pageSize=25`,
    );
    await expect.poll(() => shownIds(page)).toEqual(expected.items.map((a) => a.id));
  }
});

test("exact timestamps are reachable by keyboard", async ({ adminPage: page }) => {
  await page.goto("/");
  const time = page.getByTestId("relative-time").first();
  await expect(time).toBeVisible();
  await time.focus();
  await expect(time).toBeFocused();
  const tooltipId = await time.getAttribute("aria-describedby");
  const tooltip = page.locator(`[id="${tooltipId}"]`);
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toHaveText(/\d{4}/); // the full date with the year
});

test("the N new indicator counts activities created since the view opened, on any page", async ({
  adminPage: page,
  api,
}) => {
  await page.goto("/?page=2");
  await expect(page.getByTestId("activity-row").first()).toBeVisible();
  await expect(page.getByTestId("new-activities")).toHaveCount(0);
  const id = await triggerRunProfile(api);
  try {
    const indicator = page.getByTestId("new-activities");
    await expect(indicator).toHaveText(/^[1-9]\d* new activit(y|ies) — show$/); // arrives by long polling
    await indicator.click();
    await expect(page).not.toHaveURL(/page=2/);
    await expect(page.locator(`[data-testid=activity-row][data-activity-id="${id}"]`)).toBeVisible();
    await expect(page.getByTestId("new-activities")).toHaveCount(0);
  } finally {
    await api.post(`/api/v1/activities/${id}/cancel`, { data: {} });
  }
});
