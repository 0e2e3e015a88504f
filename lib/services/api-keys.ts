import type { ApiKeyInfo, SessionInfo } from "@/lib/api/schemas";
import { clearAuthCache, type Principal } from "@/lib/auth/authenticate";
import { SESSION_TTL_MS, generateApiKey, generateSessionToken, sha256 } from "@/lib/auth/secrets";
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
} from "@/lib/repo/api-keys";
import { toKeyInfo } from "./mappers";

export async function listApiKeys(): Promise<{ items: ApiKeyInfo[] }> {
  return { items: (await listKeys()).map(toKeyInfo) };
}

export async function createApiKey(name: string, role: ApiKeyRole): Promise<ApiKeyInfo & { secret: string }> {
  const { secret, prefix, secretHash } = generateApiKey();
  const row = await insertKey({ id: uuidv7(), name, prefix, secretHash, role });
  return { ...toKeyInfo(row), secret };
}

/** Revokes a key (idempotent) and its sessions; the last active Administrator key cannot be revoked. */
export async function revokeApiKey(id: string): Promise<ApiKeyInfo> {
  const key = await findKeyById(id);
  if (!key) throw new NotFoundError(`API key ${id} does not exist.`, { id });
  if (key.revokedAt) return toKeyInfo(key);
  if (key.role === "Administrator" && (await countActiveAdministratorKeys()) <= 1)
    throw new ConflictError("This is the last active Administrator key; create another one before revoking it.", {
      id,
    });
  const row = await revokeKey(id, new Date());
  clearAuthCache();
  return toKeyInfo(row!);
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
  if (!token) return;
  await deleteSessionByHash(sha256(token));
  clearAuthCache();
}

export const sessionInfoOf = (p: Principal): SessionInfo => ({
  keyId: p.keyId,
  keyName: p.keyName,
  role: p.role,
  via: p.via,
});
