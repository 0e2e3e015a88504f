import { SignInBody } from "@/lib/api/schemas";
import { readCookie } from "@/lib/auth/authenticate";
import { SESSION_COOKIE, SESSION_TTL_MS } from "@/lib/auth/secrets";
import { errorResponse } from "@/lib/http/errors";
import { json, parseBody, route } from "@/lib/http/handler";
import { sessionInfoOf, signIn, signOut } from "@/lib/services/api-keys";

export const dynamic = "force-dynamic";

function isHttps(req: Request): boolean {
  const forwarded = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  if (forwarded) return forwarded === "https";
  return new URL(req.url).protocol === "https:";
}

function cookie(req: Request, value: string, maxAgeSeconds: number): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAgeSeconds}`,
    ...(maxAgeSeconds === 0 ? ["Expires=Thu, 01 Jan 1970 00:00:00 GMT"] : []),
    ...(isHttps(req) ? ["Secure"] : []),
  ].join("; ");
}

/** Sign in with an API key: sets the httpOnly session cookie (12 h). */
export const POST = route({ access: "public" }, async ({ req }) => {
  const body = await parseBody(SignInBody, req);
  const s = await signIn(body.apiKey);
  if (!s) return errorResponse("UNAUTHORISED", "The API key is not valid or has been revoked.");
  return json(s.info, { headers: { "Set-Cookie": cookie(req, s.token, Math.floor(SESSION_TTL_MS / 1000)) } });
});

export const GET = route({ access: "read" }, async ({ principal }) =>
  json(sessionInfoOf(principal), { headers: { "Cache-Control": "private, no-store" } }),
);

/** Sign out: deletes the session and clears the cookie (always 204, even without a session). */
export const DELETE = route({ access: "public" }, async ({ req }) => {
  await signOut(readCookie(req, SESSION_COOKIE));
  return new Response(null, {
    status: 204,
    headers: { "Set-Cookie": cookie(req, "", 0), "Cache-Control": "no-store" },
  });
});
