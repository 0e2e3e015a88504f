/**
 * Cross-site request forgery. A state-changing request that authenticates with the session
 * cookie must come from the dashboard's own origin: the browser's Sec-Fetch-Site says
 * same-origin, or its Origin equals this server's (or SYNCWATCH_PUBLIC_URL). A page on another
 * port or a sibling subdomain is same-site, so the SameSite=Lax cookie alone does not stop it.
 * Requests with an API key in X-Api-Key are not affected (a browser cannot be made to send it).
 */
import { getConfig } from "@/lib/config";
import { SyncwatchError } from "@/lib/domain/errors";

export function requestOrigin(req: Request, url: URL): string {
  const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || req.headers.get("host") || url.host;
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || url.protocol.replace(":", "");
  return `${proto}://${host}`;
}

export function assertSameOrigin(req: Request, url: URL, publicUrl: string | null): void {
  const site = req.headers.get("sec-fetch-site");
  const origin = req.headers.get("origin");
  const allowed = new Set([requestOrigin(req, url), ...(publicUrl ? [publicUrl] : [])]);
  if (site && site !== "same-origin")
    throw new SyncwatchError(
      "FORBIDDEN",
      "Cross-site request refused: use the dashboard, or send an X-Api-Key header.",
      { secFetchSite: site },
    );
  if (origin === null && site === null)
    throw new SyncwatchError(
      "FORBIDDEN",
      "Request without Origin refused for the session cookie: send an X-Api-Key header instead.",
    );
  if (origin !== null && !allowed.has(origin))
    throw new SyncwatchError(
      "FORBIDDEN",
      "Cross-origin request refused: use the dashboard, or send an X-Api-Key header.",
      { origin },
    );
}

/**
 * For public writes (sign-in, sign-out): a browser request from another site is refused; a
 * request that names no origin (curl, a script) is not a forgery and passes.
 */
export function assertNotCrossSite(req: Request, url: URL): void {
  if (req.headers.get("origin") === null && req.headers.get("sec-fetch-site") === null) return;
  assertSameOrigin(req, url, getConfig().publicUrl);
}
