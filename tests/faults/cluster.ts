/**
 * A PostgreSQL cluster of the fault tests' own, for tests that stop the database server or fill
 * its disk: never the main cluster (127.0.0.1:5432), which everything else on the machine uses.
 * Created with Debian's postgresql-common tools (root), trusting local connections, and dropped
 * again by the test that made it.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import pg from "pg";

export interface Cluster {
  name: string;
  port: number;
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  stop(mode?: "fast" | "immediate"): void;
  start(): void;
  /** True when the cluster's server answers. */
  isReady(): boolean;
  drop(): void;
}

function pgVersion(): string {
  const versions = fs.readdirSync("/etc/postgresql").filter((v) => /^\d+$/.test(v));
  if (!versions.length) throw new Error("no PostgreSQL installation under /etc/postgresql");
  return versions.sort((a, b) => Number(b) - Number(a))[0];
}

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: 120_000 });

function exists(version: string, name: string): boolean {
  return run("pg_lsclusters", ["--no-header"])
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .some(([v, n]) => v === version && n === name);
}

/**
 * Creates (replacing a leftover of that name) and starts a cluster; `dataDir` puts its data
 * elsewhere, `settings` go to its postgresql.conf, `initdb` are initdb's own options.
 */
export async function createCluster(
  opts: { name?: string; port?: number; dataDir?: string; settings?: Record<string, string>; initdb?: string[] } = {},
): Promise<Cluster> {
  const version = pgVersion();
  const name = opts.name ?? "faults";
  const port = opts.port ?? 5499;
  if (exists(version, name)) run("pg_dropcluster", [version, name, "--stop"]);
  const settings = Object.entries(opts.settings ?? {}).flatMap(([k, v]) => ["-o", `${k}=${v}`]);
  run("pg_createcluster", [
    version,
    name,
    "-p",
    String(port),
    ...(opts.dataDir ? ["-d", opts.dataDir] : []),
    ...settings,
    "--",
    "--auth=trust",
    ...(opts.initdb ?? []),
  ]);
  const ctl = (action: string, ...extra: string[]) =>
    run("pg_ctlcluster", ["--skip-systemctl-redirect", version, name, action, ...extra]);
  ctl("start");
  const cluster: Cluster = {
    name,
    port,
    url: (database = "postgres") => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(db) {
      const c = new pg.Client({ connectionString: cluster.url() });
      await c.connect();
      await c.query(`CREATE DATABASE ${db}`);
      await c.end();
      return cluster.url(db);
    },
    stop: (mode = "fast") => void ctl("stop", "-m", mode),
    start: () => void ctl("start"),
    isReady: () => {
      try {
        run("pg_isready", ["-h", "127.0.0.1", "-p", String(port), "-q"]);
        return true;
      } catch {
        return false;
      }
    },
    drop: () => {
      if (exists(version, name)) run("pg_dropcluster", [version, name, "--stop"]);
    },
  };
  await waitReady(cluster);
  return cluster;
}

export async function waitReady(cluster: Cluster, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const c = new pg.Client({ connectionString: cluster.url() });
    try {
      await c.connect();
      await c.query("SELECT 1");
      await c.end();
      return;
    } catch (e) {
      await c.end().catch(() => undefined);
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
