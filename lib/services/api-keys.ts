/** API keys, sign-in sessions and the administrator key the server makes sure exists. */
import fs from "node:fs";
import path from "node:path";
import type { ApiKeyInfo, SessionInfo } from "@/lib/api/access";
import type { Principal } from "@/lib/auth/authenticate";
import { SESSION_TTL_MS, generateApiKey, generateSessionToken, keyPrefix, sha256 } from "@/lib/auth/secrets";
import type { Config } from "@/lib/config";
import type { ApiKeyRole } from "@/lib/domain/enums";
import { ConflictError, NotFoundError } from "@/lib/domain/errors";
import { uuidv7 } from "@/lib/domain/ids";
import {
  countActiveAdministratorKeys,
  deleteSessionByHash,
  findKeyByHash,
  findKeyById,
  insertKey,
  insertSession,
  listKeys,
  revokeKey,
  upsertEnvironmentKey,
} from "@/lib/repo/api-keys";
import { toKeyInfo } from "./mappers";

export async function listApiKeys(): Promise<{ items: ApiKeyInfo[] }> {
  return { items: (await listKeys()).map(toKeyInfo) };
}

export async function createApiKey(name: string, role: ApiKeyRole): Promise<ApiKeyInfo & { secret: string }> {
  const { secret, prefix, secretHash } = generateApiKey();
  const row = await insertKey({ id: uuidv7(), name, prefix, secretHash, role, source: "Api" });
  return { ...toKeyInfo(row), secret };
}

/**
 * Revokes a key (idempotent) and its sessions on every instance. The last active Administrator
 * key cannot be revoked, nor the key of SYNCWATCH_ADMIN_API_KEY (the next start would restore it).
 */
export async function revokeApiKey(id: string): Promise<ApiKeyInfo> {
  const key = await findKeyById(id);
  if (!key) throw new NotFoundError(`API key ${id} does not exist.`, { id });
  if (key.revokedAt) return toKeyInfo(key);
  if (key.source === "Environment")
    throw new ConflictError(
      "This key is managed by SYNCWATCH_ADMIN_API_KEY: remove it from the environment (or change it) and restart the server to retire it.",
      { id, source: key.source },
    );
  if (key.role === "Administrator" && (await countActiveAdministratorKeys()) <= 1)
    throw new ConflictError("This is the last active Administrator key; create another one before revoking it.", {
      id,
    });
  await revokeKey(id, new Date());
  return toKeyInfo((await findKeyById(id))!);
}

/** Signs in with an API key: a random session token whose SHA-256 is stored, valid for 12 hours. */
export async function signIn(apiKey: string): Promise<{ token: string; expiresAt: Date; info: SessionInfo } | null> {
  const key = await findKeyByHash(sha256(apiKey.trim()));
  if (!key || key.revokedAt) return null;
  const { token, tokenHash } = generateSessionToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await insertSession({ id: uuidv7(), tokenHash, apiKeyId: key.id, expiresAt });
  return { token, expiresAt, info: { keyId: key.id, keyName: key.name, role: key.role, via: "session" } };
}

export async function signOut(token: string | null): Promise<void> {
  if (token) await deleteSessionByHash(sha256(token));
}

export const sessionInfoOf = (p: Principal): SessionInfo => ({
  keyId: p.keyId,
  keyName: p.keyName,
  role: p.role,
  via: p.via,
});

const ENV_KEY_NAME = "Environment administrator key";
const KEY_FILE = "admin-api-key";

/** Where a generated administrator key is written: the data folder (also with PostgreSQL). */
export const adminKeyFile = (config: Config) => path.join(/*turbopackIgnore: true*/ config.dataDir, KEY_FILE);

/**
 * Makes sure someone can sign in. With SYNCWATCH_ADMIN_API_KEY, that key exists (and is active) as
 * an Administrator key; it is never printed. Otherwise, when no active Administrator key exists,
 * one is generated, written to <dataDir>/admin-api-key (mode 0600) and returned to be printed once.
 */
export async function ensureAdministratorKey(
  config: Config,
): Promise<{ generatedSecret: string | null; source: "environment" | "existing" | "generated" }> {
  if (config.adminApiKey) {
    await upsertEnvironmentKey({
      id: uuidv7(),
      name: ENV_KEY_NAME,
      prefix: keyPrefix(config.adminApiKey),
      secretHash: sha256(config.adminApiKey),
    });
    return { generatedSecret: null, source: "environment" };
  }
  if ((await countActiveAdministratorKeys()) > 0) return { generatedSecret: null, source: "existing" };
  const { secret, prefix, secretHash } = generateApiKey();
  await insertKey({
    id: uuidv7(),
    name: "Administrator key (generated)",
    prefix,
    secretHash,
    role: "Administrator",
    source: "Generated",
  });
  const file = adminKeyFile(config);
  fs.mkdirSync(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true });
  fs.writeFileSync(/*turbopackIgnore: true*/ file, secret + "\n", { mode: 0o600 });
  fs.chmodSync(/*turbopackIgnore: true*/ file, 0o600);
  return { generatedSecret: secret, source: "generated" };
}
