/**
 * lib/config.ts: every variable parsed with its default; bad values stop start-up with a
 * ConfigError naming the variable and what it accepts, all of them at once.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, ConfigError, SCALES, getConfig, parseConfig } from "@/lib/config";

function refusal(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
}

describe("parseConfig: defaults", () => {
  it("an empty environment gives every default", () => {
    expect(parseConfig({})).toEqual({
      port: 3000,
      store: { kind: "pglite", dataDir: path.resolve(".syncwatch-data") },
      dataDir: path.resolve(".syncwatch-data"),
      publicUrl: null,
      trustedProxies: [],
      adminApiKey: null,
      engine: { enabled: true, autorun: true, demoHistory: true, scale: 1500, speed: 1, seed: 20261122 },
      retention: { keepItemRuns: 3, days: 90, intervalMinutes: 60 },
      heartbeatTimeoutMs: 15 * 60_000,
      countCap: 10_000,
      countCacheMs: 10_000,
      countBudgetMs: 100,
      dbPoolSize: 10,
      webhooks: { firstRetryMs: 30_000, maxAttempts: 10 },
    });
  });

  it("empty and blank values count as unset", () => {
    const blank = Object.fromEntries(CONFIG_VARIABLES.map((v, i) => [v, i % 2 ? "" : "   "]));
    expect(parseConfig(blank)).toEqual(parseConfig({}));
  });

  it("reads only its own variables (others are ignored)", () => {
    expect(parseConfig({ HOME: "/x", NODE_ENV: "production", SYNCWATCH_UNKNOWN: "??" })).toEqual(parseConfig({}));
  });
});

describe("parseConfig: each variable", () => {
  it("PORT, pool sizes, counts and retention are whole numbers within their range", () => {
    const c = parseConfig({
      PORT: " 8080 ",
      SYNCWATCH_ENGINE_SEED: "0",
      SYNCWATCH_KEEP_ITEM_RUNS: "0",
      SYNCWATCH_RETENTION_DAYS: "36500",
      SYNCWATCH_RETENTION_INTERVAL_MINUTES: "35000",
      SYNCWATCH_HEARTBEAT_TIMEOUT_MINUTES: "1",
      SYNCWATCH_COUNT_CAP: "100",
      SYNCWATCH_COUNT_CACHE_MS: "0",
      SYNCWATCH_DB_POOL_SIZE: "200",
    });
    expect(c.port).toBe(8080);
    expect(c.engine.seed).toBe(0);
    expect(c.retention).toEqual({ keepItemRuns: 0, days: 36500, intervalMinutes: 35000 });
    expect(c.heartbeatTimeoutMs).toBe(60_000);
    expect(c.countCap).toBe(100);
    expect(c.countCacheMs).toBe(0);
    expect(c.dbPoolSize).toBe(200);
    expect(parseConfig({ PORT: "65535", SYNCWATCH_ENGINE_SEED: String(2 ** 31 - 1) })).toMatchObject({
      port: 65535,
      engine: { seed: 2 ** 31 - 1 },
    });
  });

  it("DATABASE_URL selects a PostgreSQL server; unset keeps the embedded store in SYNCWATCH_DATA_DIR", () => {
    expect(parseConfig({ DATABASE_URL: "postgresql://sw@db:5432/syncwatch" }).store).toEqual({
      kind: "postgres",
      url: "postgresql://sw@db:5432/syncwatch",
    });
    expect(parseConfig({ DATABASE_URL: "postgres://sw@db/syncwatch" }).store.kind).toBe("postgres");
    const c = parseConfig({ SYNCWATCH_DATA_DIR: "relative/store" });
    expect(c.store).toEqual({ kind: "pglite", dataDir: path.resolve("relative/store") });
    expect(c.dataDir).toBe(path.resolve("relative/store"));
    // the data folder also holds the generated key file with PostgreSQL
    expect(parseConfig({ DATABASE_URL: "postgresql://h/db", SYNCWATCH_DATA_DIR: "/srv/sw" }).dataDir).toBe("/srv/sw");
  });

  it("SYNCWATCH_PUBLIC_URL is an origin; a trailing slash is dropped", () => {
    expect(parseConfig({ SYNCWATCH_PUBLIC_URL: "https://syncwatch.example.com/" }).publicUrl).toBe(
      "https://syncwatch.example.com",
    );
    expect(parseConfig({ SYNCWATCH_PUBLIC_URL: "http://localhost:3000" }).publicUrl).toBe("http://localhost:3000");
  });

  it("SYNCWATCH_TRUSTED_PROXIES lists addresses and CIDR blocks, IPv4 and IPv6; none by default", () => {
    expect(parseConfig({}).trustedProxies).toEqual([]);
    const ranges = parseConfig({ SYNCWATCH_TRUSTED_PROXIES: " 10.0.0.0/8, 127.0.0.1 ::1,fd00::/8 " }).trustedProxies;
    expect(ranges.map((r) => [r.prefix, r.v6])).toEqual([
      [8, false],
      [32, false],
      [128, true],
      [8, true],
    ]);
    for (const bad of ["10.0.0.0/33", "proxy.internal", "10.0.0.1, nonsense", "::1/200"])
      expect(refusal({ SYNCWATCH_TRUSTED_PROXIES: bad }).problems[0]).toMatch(
        /^SYNCWATCH_TRUSTED_PROXIES: ".*" is not an IP address or CIDR block/,
      );
  });

  it("SYNCWATCH_ADMIN_API_KEY takes 20 to 200 printable characters without spaces", () => {
    expect(parseConfig({ SYNCWATCH_ADMIN_API_KEY: "a".repeat(20) }).adminApiKey).toBe("a".repeat(20));
    expect(parseConfig({ SYNCWATCH_ADMIN_API_KEY: "x".repeat(200) }).adminApiKey).toHaveLength(200);
    for (const bad of [
      "a".repeat(19),
      "x".repeat(201),
      "with space in the middle 123",
      "ünïcödé-is-not-printable-ascii",
    ])
      expect(refusal({ SYNCWATCH_ADMIN_API_KEY: bad }).message).toMatch(/SYNCWATCH_ADMIN_API_KEY: 20 to 200/);
  });

  it("on/off switches accept on, off, true, false, 1, 0, yes, no in any case", () => {
    for (const name of ["SYNCWATCH_ENGINE", "SYNCWATCH_ENGINE_AUTORUN", "SYNCWATCH_DEMO_HISTORY"] as const) {
      const key = {
        SYNCWATCH_ENGINE: "enabled",
        SYNCWATCH_ENGINE_AUTORUN: "autorun",
        SYNCWATCH_DEMO_HISTORY: "demoHistory",
      }[name] as "enabled" | "autorun" | "demoHistory";
      for (const v of ["on", "ON", "true", "1", "yes", " Yes "])
        expect(parseConfig({ [name]: v }).engine[key]).toBe(true);
      for (const v of ["off", "Off", "false", "0", "no", "NO"])
        expect(parseConfig({ [name]: v }).engine[key]).toBe(false);
      expect(refusal({ [name]: "maybe" }).problems).toEqual([`${name}: expected on or off (got "maybe")`]);
    }
  });

  it("SYNCWATCH_SCALE takes small, medium, large or a number from 20 to 100000", () => {
    expect(parseConfig({ SYNCWATCH_SCALE: "small" }).engine.scale).toBe(SCALES.small);
    expect(parseConfig({ SYNCWATCH_SCALE: "Medium" }).engine.scale).toBe(10_000);
    expect(parseConfig({ SYNCWATCH_SCALE: "LARGE" }).engine.scale).toBe(100_000);
    expect(parseConfig({ SYNCWATCH_SCALE: "20" }).engine.scale).toBe(20);
    expect(parseConfig({ SYNCWATCH_SCALE: "100000" }).engine.scale).toBe(100_000);
    for (const bad of ["huge", "19", "100001", "1.5", "-300", "0x100"])
      expect(refusal({ SYNCWATCH_SCALE: bad }).problems).toEqual([
        `SYNCWATCH_SCALE: expected small, medium, large or a number from 20 to 100000 (got ${JSON.stringify(bad)})`,
      ]);
  });

  it("SYNCWATCH_SPEED is a decimal from 0.01 to 1000", () => {
    expect(parseConfig({ SYNCWATCH_SPEED: "0.01" }).engine.speed).toBe(0.01);
    expect(parseConfig({ SYNCWATCH_SPEED: "2.5" }).engine.speed).toBe(2.5);
    expect(parseConfig({ SYNCWATCH_SPEED: "1000" }).engine.speed).toBe(1000);
    expect(refusal({ SYNCWATCH_SPEED: "0" }).problems[0]).toMatch(/^SYNCWATCH_SPEED: at least 0\.01/);
    expect(refusal({ SYNCWATCH_SPEED: "1000.5" }).problems[0]).toMatch(/^SYNCWATCH_SPEED: at most 1000/);
  });
});

describe("parseConfig: bad values", () => {
  it("SYNCWATCH_SPEED=fast names the variable, what it accepts and what it got", () => {
    const e = refusal({ SYNCWATCH_SPEED: "fast" });
    expect(e.name).toBe("ConfigError");
    expect(e.problems).toEqual(['SYNCWATCH_SPEED: expected a number from 0.01 to 1000 (got "fast")']);
    expect(e.message).toBe(
      'Syncwatch cannot start: a setting is not valid:\n  SYNCWATCH_SPEED: expected a number from 0.01 to 1000 (got "fast")',
    );
  });

  it("PORT=0 and other out-of-range whole numbers name the variable and the bound", () => {
    expect(refusal({ PORT: "0" }).problems).toEqual(['PORT: at least 1 (got "0")']);
    expect(refusal({ PORT: "65536" }).problems).toEqual(['PORT: at most 65535 (got "65536")']);
    expect(refusal({ PORT: "http" }).problems).toEqual(['PORT: expected a whole number from 1 to 65535 (got "http")']);
    expect(refusal({ PORT: "80.5" }).problems[0]).toMatch(/^PORT: expected a whole number from 1 to 65535/);
    expect(refusal({ SYNCWATCH_ENGINE_SEED: String(2 ** 31) }).problems[0]).toMatch(
      /^SYNCWATCH_ENGINE_SEED: at most 2147483647/,
    );
    expect(refusal({ SYNCWATCH_RETENTION_INTERVAL_MINUTES: "35001" }).problems[0]).toMatch(
      /^SYNCWATCH_RETENTION_INTERVAL_MINUTES: at most 35000/,
    );
    expect(refusal({ SYNCWATCH_HEARTBEAT_TIMEOUT_MINUTES: "0" }).problems[0]).toMatch(
      /^SYNCWATCH_HEARTBEAT_TIMEOUT_MINUTES: at least 1/,
    );
  });

  it("DATABASE_URL=mysql://x and non-origin public URLs are refused with the expected form", () => {
    expect(refusal({ DATABASE_URL: "mysql://x" }).problems).toEqual([
      'DATABASE_URL: expected postgresql://user@host:port/database (or unset for the embedded store) (got "mysql://x")',
    ]);
    for (const bad of ["https://syncwatch.example.com/app", "ftp://syncwatch.example.com", "syncwatch.example.com"])
      expect(refusal({ SYNCWATCH_PUBLIC_URL: bad }).problems[0]).toMatch(/^SYNCWATCH_PUBLIC_URL: expected an origin/);
  });

  it("reports several bad values together, in one error", () => {
    const e = refusal({ SYNCWATCH_SPEED: "fast", PORT: "0", SYNCWATCH_SCALE: "huge", DATABASE_URL: "mysql://x" });
    expect(e.problems).toHaveLength(4);
    expect(e.message).toMatch(/^Syncwatch cannot start: settings are not valid:\n/);
    for (const name of ["SYNCWATCH_SPEED", "PORT", "SYNCWATCH_SCALE", "DATABASE_URL"])
      expect(
        e.problems.some((p) => p.startsWith(`${name}:`)),
        name,
      ).toBe(true);
  });

  it("every variable is read: nonsense in any of them is refused, naming it", () => {
    // Any non-empty text is a folder name, so SYNCWATCH_DATA_DIR has no nonsense value.
    const checked = CONFIG_VARIABLES.filter((v) => v !== "SYNCWATCH_DATA_DIR");
    expect(checked.length).toBe(CONFIG_VARIABLES.length - 1);
    const e = refusal(Object.fromEntries(checked.map((v) => [v, "%%"])));
    expect(e.problems).toHaveLength(checked.length);
    checked.forEach((v, i) => expect(e.problems[i].startsWith(`${v}:`), v).toBe(true));
  });
});

describe("getConfig", () => {
  it("parses process.env once and keeps the result", () => {
    const first = getConfig();
    expect(getConfig()).toBe(first);
  });
});

describe("README", () => {
  it("documents every variable lib/config.ts reads in its configuration table", () => {
    const readme = fs.readFileSync(path.join(process.cwd(), "README.md"), "utf8");
    const rows = new Map(
      [...readme.matchAll(/^\|\s*`([A-Z_]+)`\s*\|([^|]*)\|/gm)].map((m) => [m[1], m[2].trim()] as const),
    );
    const missing = CONFIG_VARIABLES.filter((v) => !rows.has(v));
    expect(missing, "variables missing from the README's configuration table").toEqual([]);
  });
});
