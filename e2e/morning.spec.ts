/**
 * The morning question (issue 14): "which objects failed in last night's export?" — asked after
 * the nightly export was followed by many delta cycles, whose runs push its succeeded items out.
 * The runs are recorded through the API, as an outside reporter would.
 */
import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { ADMIN_KEY, expect, getJson, saveScreenshot, setTheme, test } from "./fixtures";
import { axeViolations, failureGroups, failureObjects } from "./support/failures";
import { settleDemoHistory } from "./support/detail";
import type { ActivityDetail, RunHistory } from "../lib/api/activities";
import type { ConnectedSystem } from "../lib/api/connected-systems";
import type { FailureObjectDetail } from "../lib/api/failures";
import type { ErrorType } from "../lib/domain/enums";

const tag = `am${Date.now().toString(36)}`;
const acl = (field: string) =>
  `HTTP 403 Forbidden: Operation against sys_user is not allowed by ACL (write, sys_user.${field})`;
const duplicate = (userName: string) =>
  `HTTP 400 Bad Request: Unique Key violation detected by database (Duplicate entry '${userName}' for key 'sys_user.user_name')`;

/** Last night's failures: three ACL refusals that differ only in the field, two duplicate user names. */
const NIGHTLY_FAILURES: Record<string, { errorType: ErrorType; message: string }> = {
  ada: { errorType: "ConnectorConfigurationError", message: acl("manager") },
  grace: { errorType: "ConnectorConfigurationError", message: acl("department") },
  alan: { errorType: "ConnectorConfigurationError", message: acl("title") },
  edsger: { errorType: "DuplicateObject", message: duplicate("edijkstra") },
  barbara: { errorType: "DuplicateObject", message: duplicate("bliskov") },
};
const FILLER = ["ken", "dennis", "linus", "margaret", "frances", "radia"];
const DELTA_CYCLES = 5;

const displayName = (key: string) => `${key[0].toUpperCase()}${key.slice(1)} ${tag}`;

interface Recorded {
  system: ConnectedSystem;
  nightly: ActivityDetail;
  /** Ada's runs after the nightly: the export that failed her again, the import that processed her
   * fine, the export that recovered her. */
  ada: { failedAgain: string; succeededBetween: string; recovered: string };
}

/** One finished run of the ServiceNow profile: each object fails with its error or is processed fine. */
async function recordRun(
  api: APIRequestContext,
  system: ConnectedSystem,
  runType: string,
  name: string,
  objects: { key: string; failure?: { errorType: ErrorType; message: string } }[],
): Promise<string> {
  const rp = system.runProfiles.find((p) => p.runType === runType);
  expect(rp, `${system.name} has a ${runType} run profile`).toBeTruthy();
  const created = await api.post("/api/v1/activities", {
    data: {
      name,
      targetType: "ConnectedSystemRunProfile",
      connectedSystemId: system.id,
      runProfileId: rp!.id,
      objectsToProcess: objects.length,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const items = objects.map((o, sequence) => ({
    sequence,
    externalIdValue: `${tag}-${o.key}`,
    displayName: displayName(o.key),
    connectedSystemObjectType: "user",
    objectChangeType: "Update",
    ...(o.failure
      ? { errorType: o.failure.errorType, errorMessage: o.failure.message }
      : { outcomes: [{ type: runType === "Export" ? "Exported" : "Updated", count: 1 }] }),
  }));
  const sent = await api.post(`/api/v1/activities/${id}/items`, { data: { items } });
  expect(sent.status(), await sent.text()).toBe(200);
  const done = await api.post(`/api/v1/activities/${id}/complete`, {
    // what an outside reporter says at the end: the objects processed, progress and counter alike
    data: { objectsProcessed: items.length, counters: { totalObjectsProcessed: items.length } },
  });
  expect(done.status(), await done.text()).toBe(200);
  return id;
}

/**
 * The night and the morning after: the nightly export fails five objects; then delta cycles
 * (delta import, delta synchronisation, export) run. Ada fails again in the third cycle's export,
 * is processed fine by the fourth cycle's delta import, and the fifth cycle's export recovers her.
 * Retention then runs, as it does every hour.
 */
async function recordNightAndMorning(api: APIRequestContext): Promise<Recorded> {
  await settleDemoHistory(api);
  const { items } = await getJson<{ items: ConnectedSystem[] }>(api, "/api/v1/connected-systems");
  const system = items.find((s) => s.name === "ServiceNow")!;
  expect(system, "the demo's ServiceNow system").toBeTruthy();
  const nightlyId = await recordRun(api, system, "Export", `Nightly export ${tag}`, [
    ...Object.entries(NIGHTLY_FAILURES).map(([key, failure]) => ({ key, failure })),
    ...FILLER.map((key) => ({ key })),
  ]);
  const ada: Partial<Recorded["ada"]> = {};
  for (let cycle = 1; cycle <= DELTA_CYCLES; cycle++) {
    const filler = [{ key: FILLER[cycle % FILLER.length] }];
    const importId = await recordRun(api, system, "DeltaImport", `Delta import ${cycle} ${tag}`, [
      ...filler,
      ...(cycle === 4 ? [{ key: "ada" }] : []),
    ]);
    if (cycle === 4) ada.succeededBetween = importId;
    await recordRun(api, system, "DeltaSynchronisation", `Delta synchronisation ${cycle} ${tag}`, filler);
    const exportObjects =
      cycle === 3 ? [{ key: "ada", failure: NIGHTLY_FAILURES.ada }] : cycle === 5 ? [{ key: "ada" }] : [];
    const exportId = await recordRun(api, system, "Export", `Delta export ${cycle} ${tag}`, [
      ...filler,
      ...exportObjects,
    ]);
    if (cycle === 3) ada.failedAgain = exportId;
    if (cycle === 5) ada.recovered = exportId;
  }
  const retention = await api.post("/api/v1/retention/run", { data: {} });
  expect(retention.ok(), await retention.text()).toBeTruthy();
  const nightly = await getJson<ActivityDetail>(api, `/api/v1/activities/${nightlyId}`);
  return { system, nightly, ada: ada as Recorded["ada"] };
}

let recorded: Recorded;
test.beforeAll(async ({ playwright, baseURL }) => {
  // a fresh server writes its demo history first (about a minute on a busy machine)
  test.setTimeout(400_000);
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "X-Api-Key": ADMIN_KEY } });
  try {
    recorded = await recordNightAndMorning(api);
  } finally {
    await api.dispose();
  }
});

/**
 * Saves the element as `<name>-light.png` at 1280 px and `<name>-390-light.png` at 390 px, each
 * time as the page opens at that width (the history strip scrolls to its newest runs on load).
 */
async function photograph(page: Page, name: string, shot: () => Locator, ready: () => Locator = shot) {
  for (const [width, height, suffix] of [
    [1280, 900, ""],
    [390, 844, "-390"],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.reload();
    await expect(ready()).toBeVisible();
    await expect(shot()).toBeVisible();
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(sideways, `${name}: nothing wider than the screen at ${width} px`).toBeLessThanOrEqual(0);
    await saveScreenshot(shot(), `${name}${suffix}-light`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("the morning after: last night's export lists its failed objects from its page and from Failures, with their messages and each object's story", async ({
  adminPage: page,
  api,
}) => {
  const { nightly, ada } = recorded;
  const failed = Object.keys(NIGHTLY_FAILURES).length;
  // the delta cycles pushed the nightly's other items out; its failed ones stay, and it says so
  expect(nightly).toMatchObject({ itemsKept: "Failed", failedItemCount: failed, totalObjectErrors: failed });

  await page.goto(`/activities/${nightly.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(nightly.name);
  await expect(page.getByTestId("errors-count")).toHaveText(`${failed} errors`);
  const notice = page.getByTestId("purge-notice");
  await expect(notice).toContainText("Items without an error were purged on");
  await expect(notice).toContainText(`The ${failed} failed items are kept with the run until`);
  const failuresOfRun = new RegExp(`^/failures\\?activityId=${nightly.id}&state=Open%2CRecovered&range=custom&from=`);
  await expect(notice.getByTestId("purge-notice-failures")).toHaveAttribute("href", failuresOfRun);
  await expect(page.getByTestId("failures-of-run")).toHaveAttribute("href", failuresOfRun);
  // its failed objects, by name, on its own page
  const rows = page.getByTestId("item-row");
  await expect(rows).toHaveCount(failed);
  for (const key of Object.keys(NIGHTLY_FAILURES))
    await expect(page.getByTestId("item-row").filter({ hasText: displayName(key) })).toHaveCount(1);

  // against its history: the export's runs, this one marked, and the delta exports after it
  const strip = page.getByTestId("run-history");
  await expect(strip.locator('[data-testid="history-run"][data-current="true"]')).toHaveCount(1);
  const history = await getJson<RunHistory>(api, `/api/v1/activities/${nightly.id}/history`);
  expect(history.newerRuns, "the delta exports after it").toBeGreaterThanOrEqual(DELTA_CYCLES);
  await expect(strip.getByTestId("latest-run-link")).toHaveText(`${history.newerRuns} newer runs · open the latest`);
  await photograph(
    page,
    "run-history-strip",
    () => page.getByTestId("run-history"),
    () => page.getByTestId("run-history-strip"),
  );

  // Failures filtered to the run, from the purge notice
  await notice.getByTestId("purge-notice-failures").click();
  await expect(page).toHaveURL(new RegExp(`/failures\\?.*activityId=${nightly.id}`));
  await expect(page.getByTestId("run-filter")).toContainText(nightly.name);
  await expect(page.getByTestId("objects-count")).toHaveText(`${failed} objects`);
  const objects = await failureObjects(api, {
    activityId: nightly.id,
    state: "Open,Recovered",
    from: nightly.created,
    pageSize: "25",
  });
  expect(objects.items.map((o) => o.displayName).sort()).toEqual(Object.keys(NIGHTLY_FAILURES).map(displayName).sort());
  for (const o of objects.items)
    await expect(page.locator(`[data-testid="object-row"][data-id="${o.id}"]`)).toContainText(o.displayName!);
  // Ada recovered since; the others are still failing
  const adaRow = page.locator('[data-testid="object-row"]', { hasText: displayName("ada") });
  await expect(adaRow.getByTestId("failure-state")).toHaveAttribute("data-state", "Recovered");

  // the messages with their values set aside, and how many objects each
  const groups = await failureGroups(api, {
    activityId: nightly.id,
    state: "Open,Recovered",
    from: nightly.created,
    pageSize: "25",
  });
  expect(groups.items.map((g) => [g.errorType, g.objects]).sort()).toEqual([
    ["ConnectorConfigurationError", 3],
    ["DuplicateObject", 2],
  ]);
  await expect(page.getByTestId("group-row")).toHaveCount(2);
  const aclTemplate = page.getByTestId("template-row").filter({ hasText: "not allowed by ACL" });
  await expect(aclTemplate).toContainText(
    "HTTP 403 Forbidden: Operation against {table} is not allowed by ACL ({op}, {field})",
  );
  await expect(aclTemplate.getByTestId("template-objects")).toHaveText("3 objects");
  const duplicateTemplate = page.getByTestId("template-row").filter({ hasText: "Unique Key violation" });
  await expect(duplicateTemplate).toHaveCount(1);
  await expect(duplicateTemplate.getByTestId("template-objects")).toHaveText("2 objects");
  await expect(duplicateTemplate.locator("[data-placeholder]").first()).toBeVisible();
  await photograph(
    page,
    "failures-run-templates",
    () => page.getByTestId("failure-groups"),
    () => page.getByTestId("group-templates").nth(1),
  );
  expect(await axeViolations(page)).toEqual([]);

  // one object's story: the runs it failed in, and those it succeeded in between
  await adaRow.getByTestId("object-link").click();
  await expect(page).toHaveURL(/\/failures\/objects\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("object-name")).toHaveText(displayName("ada"));
  await expect(page.getByTestId("failure-state")).toHaveText("Recovered");
  const entries = page.getByTestId("history-entry");
  await expect(entries).toHaveCount(4);
  expect(await entries.evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")))).toEqual([
    "Recovered",
    "Succeeded",
    "Failed",
    "Failed",
  ]);
  const links = page.getByTestId("history-run-link");
  await expect(links).toHaveText([
    `Delta export 5 ${tag}`,
    `Delta import 4 ${tag}`,
    `Delta export 3 ${tag}`,
    nightly.name,
  ]);
  await expect(links.nth(0)).toHaveAttribute("href", `/activities/${ada.recovered}`);
  await expect(links.nth(1)).toHaveAttribute("href", `/activities/${ada.succeededBetween}`);
  await expect(links.nth(2)).toHaveAttribute("href", `/activities/${ada.failedAgain}`);
  await expect(links.nth(3)).toHaveAttribute("href", `/activities/${nightly.id}`);
  await expect(entries.nth(2).getByTestId("history-error")).toHaveText(acl("manager"));
  await expect(entries.nth(2).getByTestId("history-streak")).toContainText(
    "Recurring: failure 2 of a streak that began",
  );
  await expect(entries.nth(3).getByTestId("history-streak")).toHaveText("New: it began failing in this run");
  await expect(page.getByTestId("story-summary")).toContainText("2 failed, 2 succeeded");
  const story = await getJson<FailureObjectDetail>(api, page.url().replace(/.*\/failures\//, "/api/v1/failures/"));
  expect(story.runs.map((r) => r.activityId)).toEqual([
    ada.recovered,
    ada.succeededBetween,
    ada.failedAgain,
    nightly.id,
  ]);
  await photograph(
    page,
    "failure-object-story",
    () => page.getByTestId("object-story"),
    () => page.getByTestId("history-entry").nth(3),
  );
  expect(await axeViolations(page)).toEqual([]);
  await setTheme(page, "dark");
  expect(await axeViolations(page)).toEqual([]);

  // and back to the nightly run from its story
  await links.nth(3).click();
  await expect(page).toHaveURL(new RegExp(`/activities/${nightly.id}$`));
});
