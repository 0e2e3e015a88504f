import { createHash, randomBytes } from "node:crypto";

export const API_KEY_PREFIX = "sw_";
export const SESSION_COOKIE = "syncwatch_session";
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** `sw_` + 32 random bytes in base64url; only its SHA-256 and its first 10 characters are stored. */
export function generateApiKey(): { secret: string; prefix: string; secretHash: string } {
  const secret = API_KEY_PREFIX + randomBytes(32).toString("base64url");
  return { secret, prefix: keyPrefix(secret), secretHash: sha256(secret) };
}

export const keyPrefix = (secret: string) => secret.slice(0, 10);

export function generateSessionToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: sha256(token) };
}
