import { ADMIN_KEY, expect, test } from "./fixtures";

test("an unauthenticated visitor is sent to the sign-in page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { level: 1, name: /sign in/i })).toBeVisible();
});

test("a wrong key is refused with a message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("API key").fill("sw_this_key_does_not_exist_0000000000");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /not accepted/i })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

test("sign in by pasting a key, see key name and role, sign out", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("API key").fill(ADMIN_KEY);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: "Activities" })).toBeVisible();
  await expect(page.getByTestId("role-badge")).toHaveText("Administrator");
  await expect(page.getByTestId("session-key-name")).not.toBeEmpty();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  // the session is really gone
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("the sign-in link with #key= signs in automatically and drops the key from the address bar", async ({ page }) => {
  await page.goto(`/sign-in#key=${encodeURIComponent(ADMIN_KEY)}`);
  await expect(page).toHaveURL(/\/$/);
  expect(page.url()).not.toContain(ADMIN_KEY);
  await expect(page.getByTestId("role-badge")).toHaveText("Administrator");
});

test("the theme choice is remembered across reloads", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/sign-in");
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  const theme = page.getByRole("group", { name: "Theme" });
  await theme.getByRole("button", { name: "Dark" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await theme.getByRole("button", { name: "Light" }).click();
  await page.reload();
  await expect(page.locator("html")).not.toHaveClass(/dark/);
});
