import { defineConfig, devices } from "@playwright/test";
import path from "node:path";

/**
 * End-to-end tests against a production build (`next build` first): a fresh embedded store per
 * run, a fixed administrator key, a fast simulation, demo history on and the schedule autorun off
 * so the tests decide what runs.
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3150);
export const E2E_ADMIN_KEY = process.env.E2E_ADMIN_KEY ?? "sw_e2e_admin_key_0123456789abcdef";
// Workers inherit the runner's environment, so the folder is chosen once per run.
process.env.E2E_DATA_DIR ??= path.join(".tmp", `e2e-data-${Date.now()}`);

export default defineConfig({
  testDir: "./e2e",
  timeout: 150_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  outputDir: ".tmp/e2e-results",
  use: {
    baseURL: process.env.E2E_BASE_URL ?? `http://localhost:${E2E_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    viewport: { width: 1280, height: 900 },
    locale: "en-US",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 900 }, locale: "en-US" },
    },
  ],
  // E2E_BASE_URL points the tests at a server you started yourself (no webServer then).
  webServer: process.env.E2E_BASE_URL
    ? undefined
    : {
        // Idle keep-alive sockets outlive the test client's pauses (Node closes them after 5 s, racing a reuse).
        command: `npx next start -p ${E2E_PORT} --keepAliveTimeout 65000`,
        url: `http://localhost:${E2E_PORT}/sign-in`,
        reuseExistingServer: false,
        timeout: 240_000,
        stdout: "pipe",
        stderr: "pipe",
        env: {
          NEXT_TELEMETRY_DISABLED: "1",
          PORT: String(E2E_PORT),
          DATABASE_URL: "",
          SYNCWATCH_DATA_DIR: process.env.E2E_DATA_DIR,
          SYNCWATCH_ADMIN_API_KEY: E2E_ADMIN_KEY,
          SYNCWATCH_SPEED: process.env.E2E_SPEED ?? "3",
          SYNCWATCH_SCALE: "small",
          SYNCWATCH_DEMO_HISTORY: "on",
          SYNCWATCH_ENGINE: "on",
          SYNCWATCH_ENGINE_AUTORUN: "off",
          // The pages' counts are compared with the API's: both wait for exact counts.
          SYNCWATCH_COUNT_BUDGET_MS: "0",
        },
      },
});
