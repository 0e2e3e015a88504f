import fs from "node:fs";
import { expect, getJson, pickRunProfile, saveScreenshot, setTheme, test } from "./fixtures";
import {
  axeViolations,
  daysAgo,
  failureGroups,
  failureObjects,
  waitForDemoFailures,
  waitForGroups,
} from "./support/failures";
import { parseCsv } from "./support/csv";
import { findFailedRunWithItems } from "./support/detail";
import type { FailureObjectDetail } from "../lib/api/failures";

// The demo history spans 7 days; a 30-day range keeps every failure away from the range's edge.
const PAGE = "/failures?range=30d";
const groupKey = (g: { errorType: string; connectedSystemId: number; objectType: string | null }) =>
  `${g.errorType}|${g.connectedSystemId}|${g.objectType ?? ""}`;

test.beforeAll(async ({ playwright, baseURL }) => {
  // a fresh server writes its demo history first (about a minute on a busy machine)
  test.setTimeout(300_000);
  await waitForDemoFailures(playwright, baseURL!);
});

test("from a failed run's page, its failure history lists the objects that failed in it, recovered since or not", async ({
  adminPage: page,
  api,
}) => {
  const run = await findFailedRunWithItems(api);
  await page.goto(`/activities/${run.id}`);
  await page.getByTestId("failures-of-run").click();
  await expect(page).toHaveURL(new RegExp(`/failures\\?.*activityId=${run.id}`));
  // the run is named, and can be followed back
  await expect(page.getByTestId("run-filter")).toContainText(run.name);
  await expect(page.getByTestId("run-filter").getByRole("link")).toHaveAttribute("href", `/activities/${run.id}`);
  const expected = await failureObjects(api, {
    activityId: run.id,
    state: "Open,Recovered",
    from: run.created,
    pageSize: "1",
  });
  expect(expected.totalCount, "the run's failed objects are tracked").toBeGreaterThan(0);
  await expect(page.getByTestId("objects-count")).toHaveText(
    `${expected.totalCount} ${expected.totalCount === 1 ? "object" : "objects"}`,
  );
  // removing the run filter widens the list again
  await page
    .getByTestId("run-filter")
    .getByRole("button", { name: /Remove the run filter/ })
    .click();
  await expect(page).not.toHaveURL(/activityId=/);
  await expect(page.getByTestId("run-filter")).toHaveCount(0);
});

test.describe("Failures page", () => {
  test("groups the demo history's open failures with the counts the API gives", async ({ adminPage: page, api }) => {
    await page.goto(PAGE);
    await waitForGroups(page);
    const groups = await failureGroups(api, { state: "Open", from: daysAgo(30), pageSize: "25" });
    expect(groups.items.length, "the demo history has failing objects").toBeGreaterThan(1);
    await expect(page.getByTestId("group-row")).toHaveCount(groups.items.length);
    for (const g of groups.items.slice(0, 3)) {
      const row = page.locator(`[data-testid="group-row"][data-group="${groupKey(g)}"]`);
      await expect(row.getByTestId("group-objects")).toHaveText(String(g.objects));
      await expect(row).toContainText(g.connectedSystemName);
      // the error type in plain words, not the enum name
      await expect(row.getByTestId("group-link")).not.toContainText(g.errorType);
      await expect(row.getByTestId("failure-trend")).toBeVisible();
    }
    const open = await failureObjects(api, { state: "Open", from: daysAgo(30), pageSize: "1" });
    const recovered = await failureObjects(api, { state: "Recovered", from: daysAgo(30), pageSize: "1" });
    await expect(page.getByTestId("summary-open").locator("strong")).toHaveAttribute(
      "data-value",
      String(open.totalCount),
    );
    await expect(page.getByTestId("summary-recovered").locator("strong")).toHaveAttribute(
      "data-value",
      String(recovered.totalCount),
    );
    await expect(page.getByTestId("failure-summary")).toContainText("in the last 30 days");
  });

  test("drilling into a group lists its objects, and Back returns to all groups", async ({ adminPage: page, api }) => {
    await page.goto(PAGE);
    await waitForGroups(page);
    const groups = await failureGroups(api, { state: "Open", from: daysAgo(30), pageSize: "25" });
    const g = groups.items[0];
    await page
      .locator(`[data-testid="group-row"][data-group="${groupKey(g)}"]`)
      .getByTestId("group-link")
      .click();
    await expect(page).toHaveURL(new RegExp(`errorType=${g.errorType}`));
    await expect(page).toHaveURL(new RegExp(`connectedSystemId=${g.connectedSystemId}`));
    await expect(page.getByTestId("group-row")).toHaveCount(1);
    await expect(page.getByTestId("drilled-note")).toBeVisible();
    await expect(page.getByTestId("objects-count")).toHaveText(
      `${g.objects} ${g.objects === 1 ? "object" : "objects"}`,
    );
    const rows = page.getByTestId("object-row");
    await expect(rows).toHaveCount(Math.min(g.objects, 25));
    for (const row of await rows.all()) await expect(row).toContainText(g.connectedSystemName);
    // the same objects as the API lists for the group's filters
    const objects = await failureObjects(api, {
      state: "Open",
      from: daysAgo(30),
      errorType: g.errorType,
      connectedSystemId: String(g.connectedSystemId),
      ...(g.objectType ? { objectType: g.objectType } : {}),
    });
    await expect(page.locator(`[data-testid="object-row"][data-id="${objects.items[0].id}"]`)).toBeVisible();

    await page.goBack();
    await expect(page).not.toHaveURL(/errorType=/);
    await expect(page.getByTestId("group-row")).toHaveCount(groups.items.length);
  });

  test("a group lists its messages with their values set aside; a message lists its objects, as a removable filter", async ({
    adminPage: page,
    api,
  }) => {
    // one run whose failed objects' messages differ only in their values, and one that differs in kind
    const { cs, rpId } = await pickRunProfile(api);
    const tag = `tpl${Date.now().toString(36)}`;
    const acl = (table: string, op: string, field: string) =>
      `Export failed after 3 retries: HTTP 403 Forbidden: Operation against ${table} is not allowed by ACL (${op}, ${table}.${field})`;
    const messages = [
      acl("sys_user", "write", "manager"),
      acl("sys_user_group", "create", "name"),
      acl("cmn_department", "write", "head"),
      "Timeout after 30 seconds waiting for dc02.contoso.local",
    ];
    const created = await api.post("/api/v1/activities", {
      data: {
        name: `Export ${tag}`,
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: cs.id,
        runProfileId: rpId,
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const items = messages.map((errorMessage, sequence) => ({
      sequence,
      externalIdValue: `${tag}-${sequence + 1}`,
      displayName: `Kim ${tag} ${sequence + 1}`,
      connectedSystemObjectType: cs.objectTypes[0],
      objectChangeType: "Update",
      errorType: "ExportConfirmationFailed",
      errorMessage,
    }));
    expect((await api.post(`/api/v1/activities/${id}/items`, { data: { items } })).status()).toBe(200);
    const done = await api.post(`/api/v1/activities/${id}/complete`, { data: { counters: { totalObjectErrors: 4 } } });
    expect(done.status(), await done.text()).toBe(200);

    await page.goto(`${PAGE}&search=${tag}`);
    await waitForGroups(page);
    const templates = page.getByTestId("template-row");
    await expect(templates).toHaveCount(2);
    const acls = templates.first();
    await expect(acls).toContainText(
      "Export failed after {number} retries: HTTP 403 Forbidden: Operation against {table} is not allowed by ACL ({op}, {field})",
    );
    await expect(acls.locator("[data-placeholder]")).toHaveText(["{number}", "{table}", "{op}", "{field}"]);
    await expect(acls.getByTestId("template-objects")).toHaveText("3 objects");
    await expect(templates.nth(1)).toContainText("Timeout after {number} seconds waiting for {host}");
    await expect(templates.nth(1).getByTestId("template-objects")).toHaveText("1 object");
    await saveScreenshot(page, "failures-templates-light");

    await acls.getByTestId("template-link").click();
    await expect(page).toHaveURL(/[?&]template=Export/);
    await expect(page.getByTestId("template-filter")).toContainText("Operation against {table} is not allowed by ACL");
    await expect(page.getByTestId("objects-count")).toHaveText("3 objects");
    // the object list shows what tells one failure from another, not the wrapper every one repeats
    const shown = page.getByTestId("object-error-message");
    await expect(shown).toHaveCount(3);
    for (const m of await shown.all()) {
      await expect(m).toContainText(
        /^HTTP 403 Forbidden: Operation against \w+ is not allowed by ACL \(\w+, [\w.]+\)$/,
      );
    }
    await expect(page.getByText("not allowed by ACL (write, sys_user.manager)")).toBeVisible();
    await saveScreenshot(page, "failures-template-chosen-light");
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.getByTestId("object-error-message")).toHaveCount(3);
    await expect(page.getByText("not allowed by ACL (write, sys_user.manager)")).toBeVisible();
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(sideways, "nothing wider than the screen").toBeLessThanOrEqual(0);
    await saveScreenshot(page, "failures-template-chosen-390-light");
    expect(await axeViolations(page)).toEqual([]);
    await setTheme(page, "dark");
    await saveScreenshot(page, "failures-template-chosen-390-dark");
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Remove the message filter" }).click();
    await expect(page).not.toHaveURL(/template=/);
    await expect(page.getByTestId("template-filter")).toHaveCount(0);
    await expect(page.getByTestId("objects-count")).toHaveText("4 objects");
  });

  test("an object's history shows its runs with the error and links to them", async ({ adminPage: page, api }) => {
    const top = await failureObjects(api, {
      state: "Open",
      from: daysAgo(30),
      sort: "consecutiveRuns",
      order: "desc",
      pageSize: "25",
    });
    const o = top.items[0];
    expect(o.totalFailures, "an object failing in several runs").toBeGreaterThan(1);
    await page.goto(`${PAGE}&sort=consecutiveRuns`);
    await page.locator(`[data-testid="object-row"][data-id="${o.id}"]`).getByTestId("object-link").click();
    await expect(page).toHaveURL(new RegExp(`/failures/objects/${o.id}$`));

    const detail = await getJson<FailureObjectDetail>(api, `/api/v1/failures/objects/${o.id}`);
    await expect(page.getByTestId("object-name")).toHaveText(o.displayName ?? o.externalIdValue ?? "");
    await expect(page.getByTestId("failure-state")).toHaveText("Open");
    // its story: every run that failed or recovered it, and those that processed it fine in between
    const entries = page.getByTestId("history-entry");
    await expect(entries).toHaveCount(detail.runs.length);
    expect(detail.runs.length).toBeGreaterThan(1);
    const failed = page.locator('[data-testid="history-entry"][data-kind="Failed"]');
    await expect(failed).toHaveCount(detail.runs.filter((r) => r.outcome === "Failed").length);
    const firstFailure = detail.runs.find((r) => r.outcome === "Failed")!;
    await expect(failed.first().getByTestId("history-error")).toHaveText(firstFailure.errorMessage ?? "");
    const linked = detail.runs.filter((r) => r.activityExists);
    const runLinks = page.getByTestId("history-run-link");
    await expect(runLinks).toHaveCount(linked.length);
    await expect(runLinks.first()).toHaveAttribute("href", `/activities/${linked[0].activityId}`);
    expect(linked.length).toBeGreaterThan(1);
    await runLinks.nth(1).click();
    await expect(page).toHaveURL(new RegExp(`/activities/${linked[1].activityId}`));
  });

  test("a filter change updates the URL and the table; reloading the URL restores it", async ({
    adminPage: page,
    api,
  }) => {
    await page.goto(PAGE);
    await waitForGroups(page);
    const groups = await failureGroups(api, { state: "Open", from: daysAgo(30), pageSize: "25" });
    const system = { id: groups.items[0].connectedSystemId, name: groups.items[0].connectedSystemName };
    const expected = await failureObjects(api, {
      state: "Open",
      from: daysAgo(30),
      connectedSystemId: String(system.id),
      pageSize: "1",
    });

    await page.getByLabel("Connected system", { exact: true }).selectOption(String(system.id));
    await expect(page).toHaveURL(new RegExp(`connectedSystemId=${system.id}`));
    await expect(page.getByTestId("objects-count")).toHaveText(`${expected.totalCount} objects`);
    for (const row of await page.getByTestId("group-row").all()) await expect(row).toContainText(system.name);
    for (const row of await page.getByTestId("object-row").all()) await expect(row).toContainText(system.name);

    const chip = page.getByTestId(`error-type-${groups.items[0].errorType}`);
    await chip.click();
    await expect(chip).toBeChecked();
    await expect(page).toHaveURL(new RegExp(`errorType=${groups.items[0].errorType}`));
    const url = page.url();

    await page.reload();
    await expect(page.getByLabel("Connected system", { exact: true })).toHaveValue(String(system.id));
    await expect(page.getByTestId(`error-type-${groups.items[0].errorType}`)).toBeChecked();
    await expect(page.getByTestId("group-row").first()).toContainText(system.name);
    expect(page.url()).toBe(url);

    await page.goBack();
    await expect(page).not.toHaveURL(/errorType=/);
    await expect(page.getByTestId(`error-type-${groups.items[0].errorType}`)).not.toBeChecked();
  });

  test("the CSV export carries the filters and downloads the matching rows", async ({ adminPage: page, api }) => {
    const groups = await failureGroups(api, { state: "Open", from: daysAgo(30), pageSize: "25" });
    const errorType = groups.items[0].errorType;
    await page.goto(`${PAGE}&errorType=${errorType}&sort=displayName&order=asc`);
    await waitForGroups(page);
    const link = page.getByTestId("failures-csv");
    const href = new URL((await link.getAttribute("href")) ?? "", page.url());
    expect(href.pathname).toBe("/api/v1/failures.csv");
    expect(href.searchParams.get("errorType")).toBe(errorType);
    expect(href.searchParams.get("state")).toBe("Open");
    expect(href.searchParams.get("sort")).toBe("displayName");
    expect(href.searchParams.get("order")).toBe("asc");
    expect(Date.parse(href.searchParams.get("from") ?? "")).toBeLessThan(Date.now() - 29 * 86_400_000);

    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const rows = parseCsv(fs.readFileSync(await download.path(), "utf8")).filter((r) => r.some((f) => f !== ""));
    expect(rows[0]).toEqual([
      "connectedSystemName",
      "objectType",
      "externalIdValue",
      "displayName",
      "state",
      "lastErrorType",
      "lastErrorMessage",
      "lastErrorTemplate",
      "firstSeen",
      "lastSeen",
      "consecutiveRuns",
      "totalFailures",
      "lastRunProfileName",
      "lastActivityId",
      "recoveredAt",
    ]);
    const expected = await failureObjects(api, { state: "Open", from: daysAgo(30), errorType, pageSize: "1" });
    expect(rows.length - 1).toBe(expected.totalCount);
    for (const r of rows.slice(1)) expect(r[5]).toBe(errorType);
  });

  test("bad input in the URL gets a clear message, not a crash", async ({ adminPage: page }) => {
    await page.goto("/failures?from=garbage");
    await expect(page.getByRole("heading", { level: 1, name: "Failures" })).toBeVisible();
    await expect(page.getByTestId("range-problem")).toContainText("“garbage”, is not a date");
    await expect(page.getByTestId("failures-csv")).toHaveCount(0);
    await page.getByRole("button", { name: "Show the last 7 days" }).click();
    await expect(page).not.toHaveURL(/from=/);
    await waitForGroups(page);

    await page.goto("/failures?from=2026-01-20T00:00:00Z&to=2026-01-10T00:00:00Z");
    await expect(page.getByTestId("range-problem")).toContainText("starts after it ends");

    await page.goto(`/failures?search=${"x".repeat(201)}`);
    await expect(page.getByTestId("filter-problem").first()).toContainText("cannot be used");
    await expect(page.getByText(/400 BAD_REQUEST/)).toHaveCount(0);

    await page.goto("/failures/objects/not-an-id");
    await expect(page.getByTestId("object-problem")).toContainText("is not the id of a failure record");
    await page.goto("/failures/objects/00000000-0000-4000-8000-000000000000");
    await expect(page.getByTestId("object-problem")).toContainText("No failure record has this id");
  });

  test("an empty result says what is true and offers a wider range", async ({ adminPage: page }) => {
    await page.goto("/failures?range=24h&search=no-such-object-anywhere");
    const empty = page.getByTestId("failures-empty").first();
    await expect(empty).toContainText("No open failures match these filters in the last 24 hours.");
    await empty.getByRole("button", { name: "Widen to last 7 days" }).click();
    await expect(page).not.toHaveURL(/range=24h/);
    await expect(page.getByTestId("failures-empty").first()).toContainText("in the last 7 days");
  });

  test("a custom range starts as the preset it replaces and lives in the URL", async ({ adminPage: page }) => {
    await page.goto(PAGE);
    await waitForGroups(page);
    const groups = await page.getByTestId("group-row").count();
    await page.getByLabel("Time range").selectOption("custom");
    await expect(page).toHaveURL(/range=custom/);
    const url = new URL(page.url());
    const from = Date.parse(url.searchParams.get("from") ?? "");
    expect(Math.abs(from - (Date.now() - 30 * 86_400_000))).toBeLessThan(5 * 60_000);
    await expect(page.getByLabel("From", { exact: true })).not.toHaveValue("");
    await expect(page.getByTestId("group-row")).toHaveCount(groups);
    await expect(page.getByTestId("failure-summary")).toContainText("between");
  });

  test("at 768 px the tables are cards and nothing scrolls sideways", async ({ adminPage: page }) => {
    await page.setViewportSize({ width: 768, height: 1000 });
    await page.goto(PAGE);
    await expect(page.getByTestId("group-row").first()).toBeVisible();
    await expect(page.locator("table")).toHaveCount(0);
    await expect(page.getByTestId("object-row").first().getByTestId("object-error-message")).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

for (const theme of ["light", "dark"] as const) {
  test(`failures pages are axe clean in ${theme} mode`, async ({ adminPage: page, api }) => {
    await setTheme(page, theme);
    await page.goto(PAGE);
    await waitForGroups(page);
    await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark).*$/);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId("group-link").first().click();
    await expect(page.getByTestId("drilled-note")).toBeVisible();
    await expect(page.getByTestId("object-row").first()).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);

    const top = await failureObjects(api, { state: "Open", from: daysAgo(30), pageSize: "1" });
    await page.goto(`/failures/objects/${top.items[0].id}`);
    await expect(page.getByTestId("history-entry").first()).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
  });
}
