/**
 * Generates the response examples of the OpenAPI document (lib/api/examples.json). Syncwatch runs
 * in this process against a fresh embedded store in a temporary folder: the demo engine writes two
 * days of history, then runs a schedule and a run profile; each example is the answer of the real
 * route handler to a request made in process (arrays cut to two entries). Nothing is kept by hand:
 * a new field is in the examples as soon as they are generated again.
 *
 * The run is deterministic, so the file changes only when the answers do: one virtual clock for
 * the engine and for Date (the store's own clock included), random bytes from a seeded generator
 * (ids are time-ordered UUIDs with random bits), a fixed seed and scale, lists that wait for their
 * counts, and one run moving at a time while the live examples are taken.
 *
 *   npm run examples              # writes lib/api/examples.json
 *   npm run examples -- --check   # fails when lib/api/examples.json is not what the code answers now
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as prettier from "prettier";
import type { Endpoint } from "@/lib/api/endpoint";
import type { ResponseOf } from "@/lib/client/http";

const ROOT = path.join(__dirname, "..");
const OUT = path.join(ROOT, "lib", "api", "examples.json");
const START = Date.UTC(2026, 10, 24, 9, 0, 0);
const SEED = 20261122;
const ADMIN_KEY = "sw_examples_administrator_key_0001";
const HISTORY_DAYS = 2;
const ARRAY_ENTRIES = 2;

// ---------- determinism ----------

/** The time of the whole process: it moves only when the engine sleeps, or when told to. */
const clock = {
  t: START,
  now() {
    return this.t;
  },
  async sleep(ms: number) {
    this.t += Math.max(0, Math.round(ms));
    await new Promise((r) => setImmediate(r));
  },
};

function installVirtualTime() {
  class VirtualDate extends Date {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(clock.now());
      else super(...(args as [string]));
    }
    static now() {
      return clock.now();
    }
  }
  globalThis.Date = VirtualDate as DateConstructor;
}

/** Node's random bytes, random UUIDs and the WebAssembly store's gen_random_uuid(), all from one seed. */
function installSeededRandom(seed: number) {
  let state = seed >>> 0;
  const byte = () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0); // mulberry32
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) & 0xff;
  };
  const fill = <T extends ArrayBufferView | null>(view: T): T => {
    if (view) new Uint8Array(view.buffer, view.byteOffset, view.byteLength).forEach((_, i, a) => (a[i] = byte()));
    return view;
  };
  const node = crypto as unknown as Record<string, unknown>;
  node.randomBytes = (n: number, cb?: (e: Error | null, b: Buffer) => void) => {
    const b = fill(Buffer.alloc(n));
    return cb ? void cb(null, b) : b;
  };
  node.randomFillSync = fill;
  node.randomUUID = () => {
    const h = fill(Buffer.alloc(16)).toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  };
  Object.defineProperty(globalThis.crypto, "getRandomValues", { value: fill });
}

const trim = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.slice(0, ARRAY_ENTRIES).map(trim)
    : v && typeof v === "object"
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, trim(x)]))
      : v;

/** Lets everything else run until `done` says so (no real time passes in between: only turns). */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  for (let turn = 0; turn < 1_000_000; turn++) {
    if (await done()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error("the engine never got there");
}

// ---------- the run ----------

async function generate(): Promise<Record<string, unknown>> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "syncwatch-examples-"));
  Object.assign(process.env, {
    SYNCWATCH_DATA_DIR: path.join(tmp, "store"),
    SYNCWATCH_ADMIN_API_KEY: ADMIN_KEY,
    SYNCWATCH_ENGINE: "on",
    SYNCWATCH_ENGINE_AUTORUN: "off",
    SYNCWATCH_SCALE: "100",
    SYNCWATCH_SPEED: "1",
    SYNCWATCH_ENGINE_SEED: String(SEED),
    SYNCWATCH_COUNT_BUDGET_MS: "0",
  });
  delete process.env.DATABASE_URL;
  installVirtualTime();
  installSeededRandom(SEED);
  // Imported only now: the configuration is read once, from the environment above.
  const { getConfig } = await import("@/lib/config");
  const { closeDatabase } = await import("@/lib/db/client");
  const { SimulationEngine } = await import("@/lib/engine");
  const { backfillHistory } = await import("@/lib/engine/history");
  const { enginePorts, openStore } = await import("@/lib/server/runtime");
  const { ensureAdministratorKey } = await import("@/lib/services/api-keys");
  const { purgeExpired } = await import("@/lib/services/retention");
  const { setRuntimeState } = await import("@/lib/services/runtime-state");
  const { endpoints } = await import("@/lib/api/endpoints");
  const { endpointUrl } = await import("@/lib/client/http");

  const examples: Record<string, unknown> = {};
  type Params = Record<string, string | number>;
  /** The answer of the endpoint's route handler, asked in process as the administrator. */
  async function ask<E extends Endpoint>(ep: E, params: Params = {}, query: Params = {}): Promise<ResponseOf<E>> {
    const file = path.join(ROOT, "app", "api", "v1", ep.path.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
    const handler = (await import(file))[ep.method] as (
      req: Request,
      ctx: { params: Promise<Record<string, string>> },
    ) => Promise<Response>;
    const write = ep.method !== "GET";
    const url = endpointUrl(ep, { params, query });
    const res = await handler(
      new Request(`http://localhost${url}`, {
        method: ep.method,
        headers: { "X-Api-Key": ADMIN_KEY, ...(write ? { "Content-Type": "application/json" } : {}) },
        body: write ? "{}" : undefined,
      }),
      { params: Promise.resolve(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))) },
    );
    const body = await res.json();
    if (!res.ok) throw new Error(`${ep.id} ${url}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  }
  /** Asks, and keeps the answer as the endpoint's example. */
  async function keep<E extends Endpoint>(ep: E, params?: Params, query?: Params): Promise<ResponseOf<E>> {
    const body = await ask(ep, params, query);
    examples[ep.id] = trim(body);
    return body;
  }

  try {
    const config = getConfig();
    await openStore();
    await ensureAdministratorKey(config);
    const instanceId = "examples";
    const ports = enginePorts(instanceId);
    // While `holding`, a run profile's run stops at its third progress report until released, so
    // the live examples see it running; schedule executions go on (they wait for their steps).
    let holding = false;
    const held = new Map<string, () => void>();
    const reports = new Map<string, number>();
    const recorder = ports.recorder;
    ports.recorder = {
      create: (...a) => recorder.create(...a),
      start: (...a) => recorder.start(...a),
      appendItems: (...a) => recorder.appendItems(...a),
      complete: (...a) => recorder.complete(...a),
      cancel: (...a) => recorder.cancel(...a),
      shouldStop: (...a) => recorder.shouldStop(...a),
      async reportProgress(id, progress, at) {
        await recorder.reportProgress(id, progress, at);
        const n = (reports.get(id) ?? 0) + 1;
        reports.set(id, n);
        if (n === 3 && holding && (await ports.store.run(id))?.targetType !== "Schedule")
          await new Promise<void>((release) => held.set(id, release));
      },
    };
    const engine = new SimulationEngine(ports, config.engine, { clock, log: () => undefined });
    setRuntimeState({
      instanceId,
      engineEnabled: true,
      autorun: false,
      leading: () => true,
      wakeDispatcher: () => engine.dispatch(),
    });
    await engine.init();
    await backfillHistory(engine, HISTORY_DAYS);
    await purgeExpired();
    const settled = async () => {
      await engine.idle();
      const [open, queued] = await Promise.all([ports.store.ownedOpen(instanceId), ports.store.queued()]);
      if (queued.length) await engine.dispatch();
      return !open.length && !queued.length;
    };
    const ended = async (id: string) => (await ports.store.run(id))?.status !== "InProgress";

    clock.t += 60 * 60_000;
    const systems = await keep(endpoints.listConnectedSystems);
    const schedules = await keep(endpoints.listSchedules);
    const directory = systems.items.find((s) => s.kind === "Directory") ?? systems.items[0];
    const profile = directory.runProfiles.find((p) => p.runType === "FullSynchronisation") ?? directory.runProfiles[0];

    // Live: a schedule execution whose step holds, a run profile started beside it that holds too,
    // and a run queued behind the step (one run moving at a time: runs share the clock).
    holding = true;
    const execution = await keep(endpoints.executeSchedule, { id: schedules.items[0].id });
    await until(() => held.size === 1);
    const step = (await ports.store.run([...held.keys()][0]))!;
    const started = await keep(endpoints.executeRunProfile, { id: directory.id, runProfileId: profile.id });
    await until(() => held.size === 2);
    const queued = await ask(endpoints.executeRunProfile, {
      id: step.connectedSystemId!,
      runProfileId: step.runProfileId!,
    });
    await keep(endpoints.getOperations);
    await keep(endpoints.listActiveScheduleExecutions);
    await keep(endpoints.getScheduleExecution, { id: execution.activityId });
    await keep(endpoints.listActivityChildren, { id: execution.activityId });
    await keep(endpoints.getActivitySnapshot, { id: started.activityId });
    await keep(endpoints.getActivityProgress, { id: started.activityId });

    // Then each to its end, one after the other.
    await ask(endpoints.cancelActivity, { id: queued.activityId });
    holding = false;
    held.get(started.activityId)!();
    await until(() => ended(started.activityId));
    held.get(step.id)!();
    await until(settled);
    await keep(endpoints.getActivity, { id: execution.activityId });
    await keep(endpoints.getActivityTree, { id: execution.activityId });
    await keep(endpoints.listScheduleExecutions, {}, { pageSize: 2 });
    await keep(endpoints.listActivities, {}, { pageSize: 2 });

    // History: a run with failed objects, and the failures across runs.
    const [failing] = (
      await ask(
        endpoints.listActivities,
        {},
        { pageSize: 1, hasErrors: "true", targetType: "ConnectedSystemRunProfile" },
      )
    ).items;
    if (!failing) throw new Error("the history has no run with failed objects");
    await keep(endpoints.getActivityStats, { id: failing.id });
    await keep(endpoints.getActivityComparison, { id: failing.id });
    await keep(endpoints.listProgressSamples, { id: failing.id }, { maxPoints: 3 });
    const items = await keep(endpoints.listExecutionItems, { id: failing.id }, { pageSize: 2, errorType: "any" });
    await keep(endpoints.getExecutionItem, { id: failing.id, itemId: items.items[0].id });
    await keep(endpoints.listFailureGroups, {}, { pageSize: 2 });
    const objects = await keep(endpoints.listFailureObjects, {}, { pageSize: 2 });
    await keep(endpoints.getFailureObject, { id: objects.items[0].id });
    await keep(endpoints.getHealth);
    await keep(endpoints.listApiKeys);
  } finally {
    await closeDatabase().catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return Object.fromEntries(
    Object.keys(examples)
      .sort()
      .map((k) => [k, examples[k]]),
  );
}

async function main() {
  const check = process.argv.includes("--check");
  const examples = await generate();
  const text = await prettier.format(JSON.stringify(examples), {
    ...(await prettier.resolveConfig(OUT)),
    filepath: OUT,
  });
  const name = path.relative(process.cwd(), OUT);
  if (!check) {
    fs.writeFileSync(OUT, text);
    console.log(`${name}: ${Object.keys(examples).length} examples`);
    return;
  }
  const committed = fs.existsSync(OUT) ? fs.readFileSync(OUT, "utf8") : "";
  if (committed === text) {
    console.log(`${name}: up to date (${Object.keys(examples).length} examples)`);
    return;
  }
  const before = JSON.parse(committed || "{}") as Record<string, unknown>;
  const stale = [...new Set([...Object.keys(before), ...Object.keys(examples)])].filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(examples[k]),
  );
  console.error(`${name} is stale (${stale.join(", ") || "formatting"}): run \`npm run examples\` and commit it.`);
  process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
