import { expect, getJson, test } from "./fixtures";
import type { ActivityList } from "../lib/api/activities";
import type { ConnectedSystem } from "../lib/api/connected-systems";
import { shownIds } from "./support/list";

/** Issue 17, "filters that add up": run filters bring their steps. */

const systems = async (api: Parameters<typeof getJson>[0]) =>
  (await getJson<{ items: ConnectedSystem[] }>(api, "/api/v1/connected-systems")).items;

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
