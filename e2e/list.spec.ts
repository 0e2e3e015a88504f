import { expect, getJson, test } from "./fixtures";
import type { ActivityList } from "../lib/api/schemas";

test("filters, sort and paging live in the URL and survive a reload", async ({ adminPage: page, api }) => {
  await page.goto("/");
  await expect(page.getByTestId("activity-row").first()).toBeVisible();

  await page.getByRole("region", { name: "Filters" }).getByText("Complete with error", { exact: true }).click();
  await expect(page).toHaveURL(/status=CompleteWithError/);
  await page.getByLabel("Target type").selectOption("ConnectedSystemRunProfile");
  await expect(page).toHaveURL(/targetType=ConnectedSystemRunProfile/);
  await page.getByRole("button", { name: /^Errors/ }).click(); // sort by errors
  await expect(page).toHaveURL(/sort=errors/);

  const expected = await getJson<ActivityList>(
    api,
    "/api/v1/activities?status=CompleteWithError&targetType=ConnectedSystemRunProfile&sort=errors&order=desc&pageSize=25",
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
    await expect(page.getByLabel("Target type")).toHaveValue("ConnectedSystemRunProfile");
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
  await expect(other.getByLabel("Target type")).toHaveValue("ConnectedSystemRunProfile");
  await other.close();

  // back goes to the previous state of the list
  await page.goBack();
  await expect(page).not.toHaveURL(/sort=errors/);
  await expect(page).toHaveURL(/targetType=ConnectedSystemRunProfile/);
});

test("text search is debounced into the URL and narrows the list", async ({ adminPage: page, api }) => {
  const list = await getJson<ActivityList>(api, "/api/v1/activities?pageSize=1&targetType=Schedule");
  expect(list.items.length, "the demo history has schedule executions").toBeGreaterThan(0);
  const word = list.items[0].name.split(/\s+/)[0];
  await page.goto("/");
  await page.getByLabel("Search").fill(word);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(word)}`));
  await expect(page.getByTestId("activity-row").first()).toContainText(word);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.getByLabel("Search")).toHaveValue("");
});

test("paging: 25 rows per page, next page and page size in the URL", async ({ adminPage: page, api }) => {
  const total = (await getJson<ActivityList>(api, "/api/v1/activities?topLevelOnly=false&pageSize=1")).totalCount;
  expect(total, "the demo history has more than 50 activities").toBeGreaterThan(50);
  await page.goto("/?topLevel=0");
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
    await expect
      .poll(async () =>
        page.getByTestId("activity-row").evaluateAll((els) => els.map((e) => e.getAttribute("data-activity-id"))),
      )
      .toEqual(expected.items.map((a) => a.id));
  }
});
