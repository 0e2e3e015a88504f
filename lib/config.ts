/**
 * Every environment variable Syncwatch reads, parsed once by one schema. A bad value stops
 * start-up with a message that names the variable and what it accepts; nothing else in the code
 * reads process.env for Syncwatch settings.
 */
import path from "node:path";
import { z } from "zod";
// Relative: prisma.config.ts loads this module without the "@/" alias.
import { parseRange, type AddressRange } from "./http/client-address";

const onOff = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["on", "off", "true", "false", "1", "0", "yes", "no"], { error: `${name}: expected on or off` }))
    .transform((v) => ["on", "true", "1", "yes"].includes(v));

const integer = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, { error: `${name}: expected a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, `${name}: at least ${min}`).max(max, `${name}: at most ${max}`));

const decimal = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, { error: `${name}: expected a number from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().min(min, `${name}: at least ${min}`).max(max, `${name}: at most ${max}`));

export const SCALES = { small: 1500, medium: 10_000, large: 100_000 } as const;

const scale = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v, ctx) => {
    if (v in SCALES) return SCALES[v as keyof typeof SCALES];
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (n >= 20 && n <= 100_000) return n;
    ctx.addIssue({
      code: "custom",
      message: "SYNCWATCH_SCALE: expected small, medium, large or a number from 20 to 100000",
    });
    return z.NEVER;
  });

const databaseUrl = z
  .string()
  .trim()
  .refine((v) => v === "" || /^postgres(ql)?:\/\/\S+$/.test(v), {
    message: "DATABASE_URL: expected postgresql://user@host:port/database (or unset for the embedded store)",
  });

const publicUrl = z
  .string()
  .trim()
  .refine((v) => v === "" || /^https?:\/\/[^/\s]+\/?$/.test(v), {
    message: "SYNCWATCH_PUBLIC_URL: expected an origin such as https://syncwatch.example.com",
  });

const trustedProxies = z.string().transform((v, ctx) => {
  const ranges: AddressRange[] = [];
  for (const part of v.split(/[\s,]+/).filter(Boolean)) {
    const range = parseRange(part);
    if (range) ranges.push(range);
    else {
      ctx.addIssue({
        code: "custom",
        message: `SYNCWATCH_TRUSTED_PROXIES: "${part}" is not an IP address or CIDR block (e.g. 10.0.0.0/8, ::1)`,
      });
      return z.NEVER;
    }
  }
  return ranges;
});

/** One entry per variable: its schema and its default (as the text a user would write). */
const VARIABLES = {
  PORT: { schema: integer("PORT", 1, 65535), fallback: "3000" },
  DATABASE_URL: { schema: databaseUrl, fallback: "" },
  SYNCWATCH_DATA_DIR: { schema: z.string().trim().min(1), fallback: ".syncwatch-data" },
  SYNCWATCH_PUBLIC_URL: { schema: publicUrl, fallback: "" },
  SYNCWATCH_TRUSTED_PROXIES: { schema: trustedProxies, fallback: "" },
  SYNCWATCH_ADMIN_API_KEY: {
    schema: z
      .string()
      .trim()
      .refine((v) => v === "" || (v.length >= 20 && v.length <= 200 && /^[\x21-\x7e]+$/.test(v)), {
        message:
          "SYNCWATCH_ADMIN_API_KEY: 20 to 200 printable characters without spaces (e.g. `openssl rand -base64 32`)",
      }),
    fallback: "",
  },
  SYNCWATCH_ENGINE: { schema: onOff("SYNCWATCH_ENGINE"), fallback: "on" },
  SYNCWATCH_ENGINE_AUTORUN: { schema: onOff("SYNCWATCH_ENGINE_AUTORUN"), fallback: "on" },
  SYNCWATCH_DEMO_HISTORY: { schema: onOff("SYNCWATCH_DEMO_HISTORY"), fallback: "on" },
  SYNCWATCH_SCALE: { schema: scale, fallback: "small" },
  SYNCWATCH_SPEED: { schema: decimal("SYNCWATCH_SPEED", 0.01, 1000), fallback: "1" },
  SYNCWATCH_ENGINE_SEED: { schema: integer("SYNCWATCH_ENGINE_SEED", 0, 2 ** 31 - 1), fallback: "20261122" },
  SYNCWATCH_KEEP_ITEM_RUNS: { schema: integer("SYNCWATCH_KEEP_ITEM_RUNS", 0, 10_000), fallback: "3" },
  SYNCWATCH_RETENTION_DAYS: { schema: integer("SYNCWATCH_RETENTION_DAYS", 0, 36_500), fallback: "90" },
  // setInterval takes at most 2^31 - 1 ms (about 24.8 days).
  SYNCWATCH_RETENTION_INTERVAL_MINUTES: {
    schema: integer("SYNCWATCH_RETENTION_INTERVAL_MINUTES", 0, 35_000),
    fallback: "60",
  },
  SYNCWATCH_HEARTBEAT_TIMEOUT_MINUTES: {
    schema: integer("SYNCWATCH_HEARTBEAT_TIMEOUT_MINUTES", 1, 10_080),
    fallback: "15",
  },
  SYNCWATCH_COUNT_CAP: { schema: integer("SYNCWATCH_COUNT_CAP", 100, 10_000_000), fallback: "10000" },
  SYNCWATCH_COUNT_CACHE_MS: { schema: integer("SYNCWATCH_COUNT_CACHE_MS", 0, 3_600_000), fallback: "10000" },
  SYNCWATCH_COUNT_BUDGET_MS: { schema: integer("SYNCWATCH_COUNT_BUDGET_MS", 0, 60_000), fallback: "100" },
  SYNCWATCH_DB_POOL_SIZE: { schema: integer("SYNCWATCH_DB_POOL_SIZE", 1, 200), fallback: "10" },
  SYNCWATCH_WEBHOOK_RETRY_SECONDS: { schema: integer("SYNCWATCH_WEBHOOK_RETRY_SECONDS", 1, 3600), fallback: "30" },
  SYNCWATCH_WEBHOOK_MAX_ATTEMPTS: { schema: integer("SYNCWATCH_WEBHOOK_MAX_ATTEMPTS", 1, 50), fallback: "10" },
} as const;

type Variables = typeof VARIABLES;
type Parsed = { [K in keyof Variables]: z.output<Variables[K]["schema"]> };

export type StoreConfig = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };

export interface Config {
  port: number;
  store: StoreConfig;
  /** Folder of the embedded store, and of the generated administrator key file (also with PostgreSQL). */
  dataDir: string;
  publicUrl: string | null;
  /** Proxies whose X-Forwarded-For is believed (the client address of failed-authentication limits). */
  trustedProxies: AddressRange[];
  adminApiKey: string | null;
  engine: { enabled: boolean; autorun: boolean; demoHistory: boolean; scale: number; speed: number; seed: number };
  retention: { keepItemRuns: number; days: number; intervalMinutes: number };
  heartbeatTimeoutMs: number;
  countCap: number;
  countCacheMs: number;
  /** How long a list answer waits for its count (0: until it is done); past it the count is a lower bound. */
  countBudgetMs: number;
  dbPoolSize: number;
  /** Webhook deliveries: the first retry delay (then doubling, up to an hour) and the attempts before giving up. */
  webhooks: { firstRetryMs: number; maxAttempts: number };
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      `Syncwatch cannot start: ${problems.length === 1 ? "a setting is" : "settings are"} not valid:\n  ${problems.join("\n  ")}`,
    );
    this.name = "ConfigError";
  }
}

/** Parses an environment (process.env by default); throws ConfigError listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const values = {} as Record<string, unknown>;
  for (const [name, v] of Object.entries(VARIABLES)) {
    const raw = env[name];
    const text = raw === undefined || raw.trim() === "" ? v.fallback : raw;
    const parsed = (v.schema as z.ZodType).safeParse(text);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(`${parsed.error.issues[0]?.message ?? name} (got ${JSON.stringify(raw)})`);
  }
  if (problems.length) throw new ConfigError(problems);
  const p = values as Parsed;
  const dataDir = path.resolve(/*turbopackIgnore: true*/ p.SYNCWATCH_DATA_DIR);
  return {
    port: p.PORT,
    store: p.DATABASE_URL ? { kind: "postgres", url: p.DATABASE_URL } : { kind: "pglite", dataDir },
    dataDir,
    publicUrl: p.SYNCWATCH_PUBLIC_URL ? p.SYNCWATCH_PUBLIC_URL.replace(/\/$/, "") : null,
    trustedProxies: p.SYNCWATCH_TRUSTED_PROXIES,
    adminApiKey: p.SYNCWATCH_ADMIN_API_KEY || null,
    engine: {
      enabled: p.SYNCWATCH_ENGINE,
      autorun: p.SYNCWATCH_ENGINE_AUTORUN,
      demoHistory: p.SYNCWATCH_DEMO_HISTORY,
      scale: p.SYNCWATCH_SCALE,
      speed: p.SYNCWATCH_SPEED,
      seed: p.SYNCWATCH_ENGINE_SEED,
    },
    retention: {
      keepItemRuns: p.SYNCWATCH_KEEP_ITEM_RUNS,
      days: p.SYNCWATCH_RETENTION_DAYS,
      intervalMinutes: p.SYNCWATCH_RETENTION_INTERVAL_MINUTES,
    },
    heartbeatTimeoutMs: p.SYNCWATCH_HEARTBEAT_TIMEOUT_MINUTES * 60_000,
    countCap: p.SYNCWATCH_COUNT_CAP,
    countCacheMs: p.SYNCWATCH_COUNT_CACHE_MS,
    countBudgetMs: p.SYNCWATCH_COUNT_BUDGET_MS,
    dbPoolSize: p.SYNCWATCH_DB_POOL_SIZE,
    webhooks: {
      firstRetryMs: p.SYNCWATCH_WEBHOOK_RETRY_SECONDS * 1000,
      maxAttempts: p.SYNCWATCH_WEBHOOK_MAX_ATTEMPTS,
    },
  };
}

/** The names this module reads, for the README's table and its test. */
export const CONFIG_VARIABLES = Object.keys(VARIABLES) as (keyof Variables)[];

const slot = globalThis as unknown as { __syncwatchConfig?: Config };

/** The process's configuration, parsed on first use. */
export function getConfig(): Config {
  return (slot.__syncwatchConfig ??= parseConfig());
}
