/**
 * `npm run bench -- --scale small|medium|large [--phases <list>] [--reseed] [--ingest-batch N] [--tabs N]`, phases:
 * seed, read, deep, poll, watch, floor, load, overload, ingest, pglite, frontend, page, tabs, eta, partition (default:
 * all but partition, which copies the whole item table: run it alone at large scale). `--ingest-batch`:
 * items per POST in the ingest phase (default and most: the route's MAX_ITEMS_PER_BATCH). `--tabs`: pages
 * of the tabs phase (default: the scale's, 100 at medium and large).
 *
 * Seeds (or reuses) a PostgreSQL store, measures it over HTTP against `next start` and against
 * its raw SQL, then the embedded store and the front end; prints the figures with PASS/MISS per
 * target and writes them to bench/results/<timestamp>-<scale>.json. Exits 0 when the harness ran
 * (a MISS is a finding, not a failure), non-zero when it crashed or a request failed.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MAX_ITEMS_PER_BATCH } from "@/lib/api/limits";
import { isScaleName, SCALES, type Scale } from "./scales";
import { Report } from "./report";
import { killAllServers, requireBuild, ROOT } from "./server";
import type { PhaseContext, PostgresTarget } from "./phases/context";
import { seedPhase, startPostgresServer } from "./phases/seed";
import { readPhase } from "./phases/read";
import { deepPhase } from "./phases/deep";
import { pollPhase } from "./phases/poll";
import { ingestPhase, loadAverage } from "./phases/ingest";
import { pglitePhase } from "./phases/pglite";
import { frontendPhase } from "./phases/frontend";
import { watchPhase } from "./phases/watch";
import { floorPhase } from "./phases/floor";
import { loadPhase } from "./phases/load";
import { overloadPhase } from "./phases/overload";
import { pagePhase } from "./phases/page";
import { tabsPhase } from "./phases/tabs";
import { etaPhase } from "./phases/eta";
import { partitionPhase } from "./phases/partition";

const PHASES = [
  "seed",
  "read",
  "deep",
  "poll",
  "watch",
  "floor",
  "load",
  "overload",
  "ingest",
  "pglite",
  "frontend",
  "page",
  "tabs",
  "eta",
  "partition",
] as const;
type Phase = (typeof PHASES)[number];
/** Phases without a server on the seeded PostgreSQL store: the seed, the embedded store's, the item table's copy. */
const STORE_ONLY_PHASES: readonly Phase[] = ["seed", "pglite", "eta", "partition"];

interface Options {
  scale: Scale;
  phases: Set<Phase>;
  reseed: boolean;
  ingestBatch: number;
  /** Pages of the tabs phase (default: the scale's). */
  tabs: number | null;
}

function parseArgs(argv: string[]): Options {
  let scale: Scale = SCALES.small;
  let phases = new Set<Phase>(PHASES.filter((p) => p !== "partition"));
  let reseed = false;
  let ingestBatch = MAX_ITEMS_PER_BATCH;
  let tabs: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i] ?? "";
    if (flag === "--scale") {
      const s = value();
      if (!isScaleName(s)) throw new Error(`--scale must be small, medium or large (got "${s}")`);
      scale = SCALES[s];
    } else if (flag === "--phases") {
      const list = value()
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean);
      const unknown = list.filter((p) => !(PHASES as readonly string[]).includes(p));
      if (unknown.length || !list.length)
        throw new Error(
          `--phases takes a comma-separated list of ${PHASES.join(", ")} (unknown: ${unknown.join(", ")})`,
        );
      phases = new Set(list as Phase[]);
    } else if (flag === "--reseed") reseed = true;
    else if (flag === "--ingest-batch") {
      const s = value();
      ingestBatch = Number(s);
      if (!/^\d+$/.test(s) || ingestBatch < 1 || ingestBatch > MAX_ITEMS_PER_BATCH)
        throw new Error(`--ingest-batch takes 1 to ${MAX_ITEMS_PER_BATCH} items (got "${s}")`);
    } else if (flag === "--tabs") {
      const s = value();
      tabs = Number(s);
      if (!/^\d+$/.test(s) || tabs < 1 || tabs > 500) throw new Error(`--tabs takes 1 to 500 pages (got "${s}")`);
    } else throw new Error(`unknown argument ${argv[i]}`);
  }
  return { scale, phases, reseed, ingestBatch, tabs };
}

const log = (line: string) => console.log(line);

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const needsServer = PHASES.some((p) => p !== "seed" && opts.phases.has(p));
  if (needsServer) requireBuild();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "syncwatch-bench-"));
  const report = new Report(opts.scale.indicative);
  const ctx: PhaseContext = {
    scale: opts.scale,
    report,
    log,
    adminKey: "sw_bench_" + randomBytes(24).toString("base64url"),
    workDir,
  };
  const details = report.details;
  const started = Date.now();
  // A timed figure counts only from a quiet machine: each phase says how busy it found it.
  const loadAtStart: Record<string, number[]> = {};
  details.loadAtStart = loadAtStart;
  const startPhase = (phase: string, line: string) => {
    loadAtStart[phase] = os.loadavg().map((l) => Math.round(l * 100) / 100);
    log(`[bench] ${phase}: ${line}; ${loadAverage()} at its start`);
  };
  log(`[bench] scale ${opts.scale.name}, phases ${[...opts.phases].join(",")}; logs in ${workDir}`);

  // The phases that measure a server on the seeded PostgreSQL store.
  const pgPhases = PHASES.filter((p) => !STORE_ONLY_PHASES.includes(p));
  let target: PostgresTarget | null = null;
  let store: Awaited<ReturnType<typeof seedPhase>> | null = null;
  try {
    if (opts.phases.has("seed") || opts.phases.has("partition") || pgPhases.some((p) => opts.phases.has(p))) {
      startPhase("seed", "PostgreSQL store");
      store = await seedPhase(ctx, opts.reseed);
      details.seed = store.meta;
    }
    if (store && opts.phases.has("partition")) {
      startPhase("partition", "the item table partitioned by day, against the table as it is");
      details.partition = await partitionPhase(ctx, store);
    }
    if (store && pgPhases.some((p) => opts.phases.has(p))) {
      target = await startPostgresServer(ctx, store);
      log(`[bench] next start on ${target.server.base} (PostgreSQL), log ${target.server.logFile}`);
    }
    if (target && opts.phases.has("read")) {
      startPhase("read", "every read route, API against raw SQL");
      details.read = await readPhase(ctx, target);
    }
    if (target && opts.phases.has("deep")) {
      startPhase("deep", "page 1 against page 10,000");
      details.deep = await deepPhase(ctx, target);
    }
    if (target && opts.phases.has("poll")) {
      startPhase(
        "poll",
        `${opts.scale.pollBrowsers} browsers for ${opts.scale.pollSeconds} s, without and with If-None-Match`,
      );
      details.poll = await pollPhase(ctx, target);
    }
    if (target && opts.phases.has("watch")) {
      startPhase(
        "watch",
        `${opts.scale.watchers} watchers of a running activity for ${opts.scale.watchSeconds} s by long poll, then by the pages' stream, then by the old page's polling; then ${opts.scale.idleWatchers} idle streams and long polls`,
      );
      details.watch = await watchPhase(ctx, target);
    }
    if (target && opts.phases.has("floor")) {
      startPhase("floor", `a detail GET (304 and 200 from memory, 200 computed) against /health/live`);
      details.floor = await floorPhase(ctx, target);
    }
    if (target && opts.phases.has("page")) {
      startPhase(
        "page",
        `detail, list, Operations and schedule pages in Chromium, settled, then ${opts.scale.pageSeconds} s each idle and changing, visible and hidden`,
      );
      details.page = await pagePhase(ctx, target);
    }
    if (target && opts.phases.has("tabs")) {
      const pages = opts.tabs ?? opts.scale.tabsPages;
      startPhase(
        "tabs",
        `${pages} detail pages of the running run (one Chromium, a context each), ${opts.scale.tabsChanges} changes 2 s apart`,
      );
      details.tabs = await tabsPhase(ctx, target, pages);
    }
    if (target && opts.phases.has("load")) {
      startPhase(
        "load",
        `${opts.scale.loadClients} browsers for ${opts.scale.loadSeconds} s on each store` +
          (opts.scale.name === "small" ? " (30 s at small scale instead of 2 min, to fit CI)" : ""),
      );
      details.load = await loadPhase(ctx, target, opts.reseed);
    }
    if (target && opts.phases.has("overload")) {
      startPhase(
        "overload",
        `${opts.scale.overloadPolls} waiting long polls + ${opts.scale.overloadSlowClients} slow clients for ${opts.scale.overloadSeconds} s on each store, /health/live every 250 ms`,
      );
      details.overload = await overloadPhase(ctx, target, opts.reseed);
    }
    if (target && opts.phases.has("ingest")) {
      startPhase(
        "ingest",
        `write API against COPY on PostgreSQL, then the write API on a fresh embedded store (batches of ${opts.ingestBatch})`,
      );
      details.ingest = await ingestPhase(ctx, target, opts.ingestBatch);
    }
    if (opts.phases.has("frontend")) {
      startPhase("frontend", "first-load JS and the 100-row grid");
      details.frontend = await frontendPhase(ctx, target);
    }
    if (target) {
      await target.server.stop();
      target = null;
    }
    if (opts.phases.has("pglite")) {
      startPhase("pglite", "the read set on the embedded store");
      details.pglite = await pglitePhase(ctx, opts.reseed);
    }
    if (opts.phases.has("eta")) {
      startPhase("eta", "runs of every run profile and a schedule on a fresh embedded store at SYNCWATCH_SPEED=1");
      details.eta = await etaPhase(ctx);
    }
  } finally {
    await target?.server.stop();
    await store?.pool.end();
  }

  console.log("");
  report.print(log);
  const file = report.write(path.join(ROOT, "bench", "results"), opts.scale.name, {
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
  });
  log(
    `\n[bench] ${report.figures.filter((f) => f.pass === false).length} MISS, ${report.figures.filter((f) => f.pass).length} PASS${opts.scale.indicative ? " (indicative at this scale)" : ""}; results in ${path.relative(ROOT, file)}`,
  );
  // Errors under the load and watch phases are their findings (MISS), not a broken harness.
  const pollErrors = report.figures.some(
    (f) => f.phase === "poll" && f.measure.startsWith("errors") && f.pass === false,
  );
  if (pollErrors) log("[bench] requests failed under the poll: exit code 1");
  fs.rmSync(workDir, { recursive: true, force: true });
  return pollErrors ? 1 : 0;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, () => {
    killAllServers();
    process.exit(130);
  });
process.on("exit", killAllServers);

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error("[bench] failed:", error instanceof Error ? (error.stack ?? error.message) : error);
    killAllServers();
    process.exit(1);
  },
);
