/**
 * Starts a real production server (`next start`) on a fresh store for the API tests: a temporary
 * PGlite folder, or with TEST_STORE=postgres a fresh database on the local PostgreSQL server
 * (dropped afterwards). Provides BASE_URL and ADMIN_KEY to the tests.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { freePort } from "../../scripts/free-port";

declare module "vitest" {
  export interface ProvidedContext {
    BASE_URL: string;
    ADMIN_KEY: string;
    STORE: string;
  }
}

const ROOT = path.resolve(__dirname, "..", "..");
const PG_ADMIN_URL = process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

async function ensureBuild() {
  if (fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return;
  // Only one `next build` at a time in this tree.
  for (let i = 0; i < 120; i++) {
    const busy = spawnSync("pgrep", ["-f", "next build"], { encoding: "utf8" }).stdout.trim();
    if (!busy) break;
    await sleep(5000);
  }
  if (fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return;
  console.log("[api tests] no production build: running `next build` once");
  const r = spawnSync("npx", ["next", "build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) throw new Error("next build failed");
}

let server: ChildProcess | null = null;
let dataDir = "";
let database = "";

export async function setup(project: TestProject) {
  await ensureBuild();
  const port = await freePort();
  const adminKey = "sw_test_" + randomBytes(24).toString("base64url");
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "syncwatch-api-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    SYNCWATCH_DATA_DIR: path.join(dataDir, "store"),
    SYNCWATCH_ADMIN_API_KEY: adminKey,
    SYNCWATCH_ENGINE_AUTORUN: "off",
    SYNCWATCH_DEMO_HISTORY: "off",
    SYNCWATCH_SCALE: "small",
    SYNCWATCH_SPEED: process.env.SYNCWATCH_SPEED ?? "20",
    // The tests compare exact counts: answers wait for them (the budget itself is a unit test).
    SYNCWATCH_COUNT_BUDGET_MS: "0",
    // Webhook retries within seconds (1 s, 2 s, 4 s), and a Failed delivery after 4 attempts.
    SYNCWATCH_WEBHOOK_RETRY_SECONDS: "1",
    SYNCWATCH_WEBHOOK_MAX_ATTEMPTS: "4",
    // The tests play the reverse proxy: X-Forwarded-For names the client (failed-authentication limits).
    SYNCWATCH_TRUSTED_PROXIES: "127.0.0.1, ::1",
  };
  delete env.DATABASE_URL;
  let store = "pglite";
  if (process.env.TEST_STORE === "postgres") {
    store = "postgres";
    database = `syncwatch_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${database}`;
    env.DATABASE_URL = url.toString();
  }
  const log = fs.openSync(path.join(dataDir, "server.log"), "a");
  server = spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", log, log],
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (server.exitCode !== null)
      throw new Error(`server exited:\n${fs.readFileSync(path.join(dataDir, "server.log"), "utf8")}`);
    try {
      const r = await fetch(`${base}/api/v1/openapi.json`);
      if (r.ok) {
        // The start-up (migrations, bootstrap key) runs in instrumentation; wait until the key works.
        const s = await fetch(`${base}/api/v1/auth/session`, { headers: { "X-Api-Key": adminKey } });
        if (s.ok) break;
      }
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline)
      throw new Error(`server did not start:\n${fs.readFileSync(path.join(dataDir, "server.log"), "utf8")}`);
    await sleep(500);
  }
  console.log(`[api tests] server on ${base} (${store}); log: ${path.join(dataDir, "server.log")}`);
  // The served document, for the OpenAPI linter step of the suite.
  const reports = path.join(ROOT, ".tmp", "reports");
  fs.mkdirSync(reports, { recursive: true });
  fs.writeFileSync(
    path.join(reports, `openapi-${store}.json`),
    await (await fetch(`${base}/api/v1/openapi.json`)).text(),
  );
  project.provide("BASE_URL", base);
  project.provide("ADMIN_KEY", adminKey);
  project.provide("STORE", store);
}

export async function teardown() {
  if (server && server.exitCode === null && server.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      server.kill("SIGTERM");
    }
    await new Promise((r) => {
      const t = setTimeout(r, 10_000);
      server!.once("exit", () => {
        clearTimeout(t);
        r(null);
      });
    });
  }
  if (database) {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin
      .query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      .catch((e) => console.warn("drop database:", e));
    await admin.end();
  }
  if (dataDir && !process.env.KEEP_TEST_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
}
