/**
 * `next start` under test: spawned on a free port in its own process group, with the engine and
 * retention kept from changing the seeded data, and stopped on exit whatever happens.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/**
 * The bench's servers listen on ports 3500–3599 (other ports belong to other engineers' servers),
 * or in the range SYNCWATCH_BENCH_PORTS gives ("3280-3289"), so that two benches side by side keep apart.
 */
function portRange(): { first: number; last: number } {
  const given = process.env.SYNCWATCH_BENCH_PORTS;
  if (!given) return { first: 3500, last: 3599 };
  const m = /^(\d+)-(\d+)$/.exec(given.trim());
  const [first, last] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(first >= 1024 && last >= first && last <= 65535))
    throw new Error(`SYNCWATCH_BENCH_PORTS takes a range such as 3280-3289 (got "${given}")`);
  return { first, last };
}
const PORTS = portRange();
let nextPort = PORTS.first + Math.floor(Math.random() * Math.min(50, PORTS.last - PORTS.first + 1));

const listenable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });

/** A free port in the bench's range. */
export async function freePort(): Promise<number> {
  for (let i = 0; i <= PORTS.last - PORTS.first; i++) {
    const port = nextPort;
    nextPort = port >= PORTS.last ? PORTS.first : port + 1;
    if (await listenable(port)) return port;
  }
  throw new Error(`no free port in ${PORTS.first}–${PORTS.last}`);
}

export const ROOT = path.resolve(__dirname, "..");
const running = new Set<ChildProcess>();

export function requireBuild(): void {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID")))
    throw new Error(
      `No production build in ${path.join(ROOT, ".next")}: run \`npm run build\` first (the harness does not build).`,
    );
}

export interface Server {
  base: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

export type Store = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

export async function startServer(
  store: Store,
  adminKey: string,
  logDir: string,
  extraEnv: Record<string, string> = {},
): Promise<Server> {
  requireBuild();
  const port = await freePort();
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `server-${store.kind}-${port}.log`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    SYNCWATCH_ADMIN_API_KEY: adminKey,
    SYNCWATCH_ENGINE: "off",
    SYNCWATCH_ENGINE_AUTORUN: "off",
    SYNCWATCH_DEMO_HISTORY: "off",
    // Retention would delete the seeded history (items beyond 3 runs per profile, activities older than 90 days).
    SYNCWATCH_RETENTION_DAYS: "0",
    SYNCWATCH_KEEP_ITEM_RUNS: "0",
    SYNCWATCH_RETENTION_INTERVAL_MINUTES: "0",
    // The seeded running schedule is not heartbeating: the sweep must not end it mid-measurement.
    SYNCWATCH_HEARTBEAT_TIMEOUT_MINUTES: "10080",
    ...extraEnv,
  };
  delete env.DATABASE_URL;
  if (store.kind === "postgres") {
    env.DATABASE_URL = store.url;
    env.SYNCWATCH_DATA_DIR = path.join(logDir, "postgres-key-dir");
  } else env.SYNCWATCH_DATA_DIR = store.dataDir;
  const log = fs.openSync(logFile, "a");
  const child = spawn(
    process.execPath,
    [
      // A CPU profile of the server, written when it stops (docs/scaling.md, "Profiling").
      ...(process.env.SYNCWATCH_BENCH_CPU_PROF
        ? ["--cpu-prof", "--cpu-prof-dir", process.env.SYNCWATCH_BENCH_CPU_PROF]
        : []),
      path.join(ROOT, "node_modules", "next", "dist", "bin", "next"),
      "start",
      "-p",
      String(port),
      "-H",
      "127.0.0.1",
      "--keepAliveTimeout",
      "65000",
    ],
    {
      cwd: ROOT,
      env,
      stdio: ["ignore", log, log],
      detached: true,
    },
  );
  running.add(child);
  const base = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child);
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `next start exited (${child.exitCode}); log ${logFile}:\n${fs.readFileSync(logFile, "utf8").slice(-3000)}`,
      );
    try {
      const s = await fetch(`${base}/api/v1/auth/session`, { headers: { "X-Api-Key": adminKey } });
      if (s.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer within 300 s; log ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { base, pid: child.pid!, logFile, stop };
}

/** SIGINT makes Node write the CPU profile; SIGTERM does not. */
const STOP_SIGNAL = process.env.SYNCWATCH_BENCH_CPU_PROF ? "SIGINT" : "SIGTERM";

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null && child.pid) {
    const exited = new Promise((r) => child.once("exit", r));
    try {
      process.kill(-child.pid, STOP_SIGNAL);
    } catch {
      child.kill(STOP_SIGNAL);
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
  }
  running.delete(child);
}

/** Synchronous last resort for exit and signal handlers. */
export function killAllServers(): void {
  for (const child of running) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  running.clear();
}

const CLOCK_TICKS = 100;

function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** The processes whose parent is `pid`. */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** user + system CPU seconds of a process and all its descendants (the next-server tree). */
export function treeCpuSeconds(rootPid: number): number {
  let total = 0;
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.pop()!;
    total += cpuSecondsOf(pid);
    queue.push(...childPids(pid));
  }
  return total;
}

/** CPU seconds of the given processes (e.g. the PostgreSQL backends serving the bench database). */
export const processesCpuSeconds = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);

/** Resident memory (VmRSS) of a process and its descendants, in bytes. */
export function treeRssBytes(rootPid: number): number {
  let total = 0;
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.pop()!;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      /* exited */
    }
    queue.push(...childPids(pid));
  }
  return total;
}

/**
 * Connections the kernel dropped because a listening socket's accept queue was full (TcpExt
 * ListenOverflows, machine-wide): a server too busy to accept (Node listens with a queue of 511)
 * makes its clients' connections time out or be reset.
 */
export function listenOverflows(): number {
  try {
    const lines = fs.readFileSync("/proc/net/netstat", "utf8").split("\n");
    for (let i = 0; i + 1 < lines.length; i += 2) {
      if (!lines[i].startsWith("TcpExt:")) continue;
      const names = lines[i].split(/\s+/);
      const values = lines[i + 1].split(/\s+/);
      return Number(values[names.indexOf("ListenOverflows")] ?? 0);
    }
  } catch {
    /* not Linux */
  }
  return 0;
}
