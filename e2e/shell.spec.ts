import { expect, test } from "./fixtures";

test("the header links the pages and marks the current one", async ({ adminPage: page }) => {
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Activities" })).toHaveAttribute("aria-current", "page");
  await nav.getByRole("link", { name: "Operations" }).click();
  await expect(page).toHaveURL(/\/operations$/);
  await expect(nav.getByRole("link", { name: "Operations" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Failures" })).toHaveAttribute("href", "/failures");
  await expect(page.getByTestId("role-badge")).toHaveText("Administrator");
});

test("theme: Light, Dark and System stay choosable, are remembered, and System follows the OS", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/sign-in");
  const theme = page.getByRole("group", { name: "Theme" });
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(theme.getByRole("button", { name: "System" })).toHaveAttribute("aria-pressed", "true");

  await theme.getByRole("button", { name: "Light" }).click();
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await expect(theme.getByRole("button", { name: "Light" })).toHaveAttribute("aria-pressed", "true");

  // System is still there after a choice, and goes back to following the OS
  await theme.getByRole("button", { name: "System" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  expect(await page.evaluate(() => localStorage.getItem("syncwatch-theme"))).toBeNull();
  await page.emulateMedia({ colorScheme: "light" });
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await page.reload();
  await expect(theme.getByRole("button", { name: "System" })).toHaveAttribute("aria-pressed", "true");

  await theme.getByRole("button", { name: "Dark" }).click();
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
});

test("the stored theme is applied before the first paint (no flash)", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.addInitScript(() => localStorage.setItem("syncwatch-theme", "dark"));
  // stop at the first byte of the page: the inline script in <head> has run before <body> paints
  await page.goto("/sign-in", { waitUntil: "commit" });
  await page.waitForSelector("body", { state: "attached" });
  expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
});

test("an unknown page is a real 404 with a way back", async ({ adminPage: page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "This page does not exist" })).toBeVisible();
  await page.getByRole("link", { name: "Back to activities" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: "Activities" })).toBeVisible();
});

test("a link too long for the server opens a page with a way back; the API keeps its JSON error", async ({
  adminPage: page,
}) => {
  const long = "a".repeat(60_000);
  const res = await page.goto(`/?search=${long}`);
  expect(res?.status()).toBe(414);
  await expect(page.getByRole("heading", { level: 1, name: "This address is too long" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  await page.getByRole("link", { name: "Back to activities" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: "Activities" })).toBeVisible();
  // a search too long for the API, in a link the server accepts: the list says so (no raw error)
  await page.goto(`/?search=${"a".repeat(5_000)}`);
  await expect(page.getByText("Nothing was searched: a filter needs fixing first.")).toBeVisible();
  const api = await page.request.get(`/api/v1/activities?search=${long}`);
  expect(api.headers()["content-type"]).toContain("application/json");
  expect(((await api.json()) as { code: string }).code).toBe("BAD_REQUEST");
});

test("the icon, manifest and robots.txt a browser asks for are served", async ({ request }) => {
  for (const [path, type] of [
    ["/favicon.ico", /image/],
    ["/icon.svg", /svg/],
    ["/manifest.webmanifest", /manifest|json/],
    ["/robots.txt", /text\/plain/],
  ] as const) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    expect(res.headers()["content-type"], path).toMatch(type);
  }
  const manifest = await (await request.get("/manifest.webmanifest")).json();
  expect(manifest.name).toBe("Syncwatch");
});
