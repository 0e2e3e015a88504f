/**
 * The signature of a webhook delivery, as Stripe and GitHub sign theirs: the header
 * `Syncwatch-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * The timestamp is signed with the body, so a captured delivery cannot be replayed later than the
 * receiver's tolerance. docs/webhooks.md shows the receiver's side.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SECRET_PREFIX = "whsec_";
/** How far from now a receiver should accept a signature's timestamp. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64url");
}

/** What a secret is recognised by: its first characters after the prefix. */
export const secretPrefixOf = (secret: string) => secret.slice(0, SECRET_PREFIX.length + 6);

const hmac = (secret: string, timestamp: number, body: string) =>
  createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");

export function signatureHeader(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/**
 * The receiver's check: the header's timestamp is within the tolerance and one of its v1
 * signatures is the HMAC of `<t>.<body>`, compared in constant time.
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string | null,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  if (!header) return false;
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, t, body), "hex");
  return parts
    .filter(([k, v]) => k === "v1" && v !== undefined && /^[0-9a-f]{64}$/.test(v))
    .some(([, v]) => timingSafeEqual(Buffer.from(v, "hex"), expected));
}
