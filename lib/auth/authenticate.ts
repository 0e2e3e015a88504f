import type { ApiKeyRole } from "@/lib/domain/enums";
import { findKeyByHash, findSessionByHash, touchKey, type ApiKeyRow } from "@/lib/repo/api-keys";
import { changeSignalHealthy, onAuthChange } from "@/lib/live/signal";
import { SESSION_COOKIE, sha256 } from "./secrets";

/** What the caller is read from: a Request, or the raw request's headers (lib/http/memory-answers.ts). */
export interface HeaderSource {
  headers: { get(name: string): string | null };
}

export interface Principal {
  keyId: string;
  keyName: string;
  role: ApiKeyRole;
  via: "header" | "session";
}

/**
 * The polled hot path must not cost a database write (or even a read) per request: lookups are
 * cached in-process while the change signal is healthy (a revocation or sign-out on any instance
 * clears every instance's cache at once; while the signal is down nothing is cached), and
 * lastUsedAt is written at most once a minute per key. Kept on globalThis because Next may load
 * this module more than once.
 */
const CACHE_TTL_MS = 30_000;
const TOUCH_INTERVAL_MS = 60_000;
const MAX_CACHE_ENTRIES = 10_000;

interface CacheEntry {
  until: number;
  key: ApiKeyRow | null;
  sessionExpiresAt?: number;
}
const g = globalThis as unknown as {
  __syncwatchAuth?: { cache: Map<string, CacheEntry>; touched: Map<string, number> };
};
const state = (g.__syncwatchAuth ??= { cache: new Map(), touched: new Map() });
onAuthChange(() => clearAuthCache());

export function clearAuthCache(): void {
  state.cache.clear();
}

function remember(hash: string, entry: CacheEntry) {
  if (!changeSignalHealthy()) return;
  if (state.cache.size >= MAX_CACHE_ENTRIES) state.cache.clear();
  state.cache.set(hash, entry);
}

function touch(keyId: string) {
  const now = Date.now();
  const last = state.touched.get(keyId) ?? 0;
  if (now - last < TOUCH_INTERVAL_MS) return;
  state.touched.set(keyId, now);
  touchKey(keyId, new Date(now)).catch((e) =>
    console.warn(`[syncwatch] could not record API key use: ${(e as Error)?.message ?? e}`),
  );
}

async function lookupKey(secret: string): Promise<ApiKeyRow | null> {
  const hash = "k:" + sha256(secret);
  const hit = state.cache.get(hash);
  if (hit && hit.until > Date.now() && changeSignalHealthy()) return hit.key;
  const key = await findKeyByHash(hash.slice(2));
  remember(hash, { until: Date.now() + CACHE_TTL_MS, key });
  return key;
}

async function lookupSession(token: string): Promise<ApiKeyRow | null> {
  const hash = "s:" + sha256(token);
  const now = Date.now();
  const hit = state.cache.get(hash);
  if (hit && hit.until > now && changeSignalHealthy())
    return hit.sessionExpiresAt && hit.sessionExpiresAt > now ? hit.key : null;
  const session = await findSessionByHash(hash.slice(2));
  remember(hash, {
    until: now + CACHE_TTL_MS,
    key: session?.apiKey ?? null,
    sessionExpiresAt: session?.expiresAt.getTime() ?? 0,
  });
  return session && session.expiresAt.getTime() > now ? session.apiKey : null;
}

export function readCookie(req: HeaderSource, name: string): string | null {
  const header = req.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(v);
      } catch {
        return v;
      }
    }
  }
  return null;
}

/** The caller, from X-Api-Key or the session cookie; null when neither is valid (or the key is revoked). */
export async function authenticate(req: HeaderSource): Promise<Principal | null> {
  const header = req.headers.get("x-api-key")?.trim();
  if (header) {
    if (header.length > 200) return null;
    const key = await lookupKey(header);
    if (!key || key.revokedAt) return null;
    touch(key.id);
    return { keyId: key.id, keyName: key.name, role: key.role, via: "header" };
  }
  const token = readCookie(req, SESSION_COOKIE);
  if (token && token.length <= 200) {
    const key = await lookupSession(token);
    if (!key || key.revokedAt) return null;
    touch(key.id);
    return { keyId: key.id, keyName: key.name, role: key.role, via: "session" };
  }
  return null;
}
