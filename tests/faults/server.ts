/** Servers the fault tests start, kill and restart themselves: `next start` in a process of its own. */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "../../scripts/free-port";

export const ROOT = path.resolve(__dirname, "..", "..");
export const ADMIN_KEY = "sw_fault_tests_admin_key_0123456789";
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface Server {
  port: number;
  base: string;
  pid: number;
  process: ChildProcess;
  /** Resolves with the exit code (or the signal) when the process ends. */
  exited: Promise<number | string>;
  log(): string;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `syncwatch-${prefix}-`));
}

export async function startServer(
  env: Record<string, string>,
  opts: { wait?: boolean; logFile?: string } = {},
): Promise<Server> {
  const port = await freePort();
  const logFile = opts.logFile ?? path.join(tempDir("log"), "server.log");
  const out = fs.openSync(logFile, "a");
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(port),
        DATABASE_URL: "",
        SYNCWATCH_ADMIN_API_KEY: ADMIN_KEY,
        SYNCWATCH_DEMO_HISTORY: "off",
        SYNCWATCH_ENGINE_AUTORUN: "off",
        SYNCWATCH_SCALE: "small",
        ...env,
      },
      stdio: ["ignore", out, out],
    },
  );
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "?")),
  );
  const server: Server = {
    port,
    base: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    process: child,
    exited,
    log: () => fs.readFileSync(logFile, "utf8"),
  };
  if (opts.wait !== false) await waitHealthy(server);
  return server;
}

export async function waitHealthy(server: Server, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (server.process.exitCode !== null || server.process.signalCode !== null)
      throw new Error(
        `server exited (${server.process.exitCode ?? server.process.signalCode}):\n${server.log().slice(-3000)}`,
      );
    try {
      const r = await fetch(`${server.base}/api/v1/health`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > until) throw new Error(`server did not become healthy:\n${server.log().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function stop(
  server: Server,
  signal: NodeJS.Signals = "SIGTERM",
  timeoutMs = 20_000,
): Promise<number | string> {
  if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill(signal);
  return Promise.race([server.exited, new Promise<string>((r) => setTimeout(() => r("timeout"), timeoutMs))]);
}

export async function call<T = any>(
  server: Server,
  method: string,
  apiPath: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${server.base}/api/v1${apiPath}`, {
    method,
    headers: {
      "X-Api-Key": ADMIN_KEY,
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined) as T,
    text,
    headers: res.headers,
  };
}

export async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Where a server of `store` keeps its data: a fresh embedded data folder, or a fresh database on
 * the local PostgreSQL server (its drop is pushed onto `cleanups`).
 */
export async function storeEnv(
  store: "embedded" | "postgres",
  prefix: string,
  cleanups: (() => Promise<void>)[],
): Promise<Record<string, string>> {
  if (store === "embedded") return { SYNCWATCH_DATA_DIR: path.join(tempDir(prefix), "store") };
  const db = await freshDatabase();
  cleanups.push(() => db.drop());
  return { DATABASE_URL: db.url };
}

/** A fresh database on the local PostgreSQL server; drop() removes it. */
export async function freshDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `syncwatch_fault_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await a.end();
    },
  };
}
