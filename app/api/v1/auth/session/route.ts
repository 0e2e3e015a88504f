import { endpoints } from "@/lib/api/endpoints";
import { readCookie } from "@/lib/auth/authenticate";
import { SESSION_COOKIE, SESSION_TTL_MS } from "@/lib/auth/secrets";
import { getConfig } from "@/lib/config";
import { reachedOverHttps } from "@/lib/http/client-address";
import { assertNotCrossSite } from "@/lib/http/csrf";
import { attemptOf, failedAttempt } from "@/lib/http/rate-limit";
import { json, route } from "@/lib/http/route";
import { sessionInfoOf, signIn, signOut } from "@/lib/services/api-keys";

export const dynamic = "force-dynamic";

function cookie(req: Request, value: string, maxAgeSeconds: number): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAgeSeconds}`,
    ...(maxAgeSeconds === 0 ? ["Expires=Thu, 01 Jan 1970 00:00:00 GMT"] : []),
    ...(reachedOverHttps(req, getConfig().publicUrl, getConfig().trustedProxies) ? ["Secure"] : []),
  ].join("; ");
}

/** Sign in with an API key: sets the httpOnly session cookie (12 h). Failures are counted (lib/http/rate-limit.ts). */
export const POST = route(endpoints.signIn, async ({ req, url, body }) => {
  assertNotCrossSite(req, url);
  const s = await signIn(body.apiKey);
  if (!s)
    throw failedAttempt(attemptOf(req, body.apiKey), { message: "The API key is not valid or has been revoked." });
  return json(s.info, { headers: { "Set-Cookie": cookie(req, s.token, Math.floor(SESSION_TTL_MS / 1000)) } });
});

export const GET = route(endpoints.getSession, async ({ principal }) =>
  json(sessionInfoOf(principal), { headers: { "Cache-Control": "private, no-store" } }),
);

/** Sign out: ends the session and clears the cookie (always 204, even without a session). */
export const DELETE = route(endpoints.signOut, async ({ req, url }) => {
  assertNotCrossSite(req, url);
  await signOut(readCookie(req, SESSION_COOKIE));
  return new Response(null, {
    status: 204,
    headers: { "Set-Cookie": cookie(req, "", 0), "Cache-Control": "no-store" },
  });
});
