/**
 * The edge of every request. For /api/v1: a path that does not decode, a path no endpoint has, or
 * a method the path does not take is answered here in the API's JSON error format (400, 404, 405
 * with Allow), and OPTIONS with 204 and Allow, from the same endpoint definitions the routes use.
 * For pages: a Content Security Policy with a fresh nonce (Next puts it on its own scripts), no
 * framing, and old list and item-grid links rewritten into the current vocabulary.
 */
import { NextResponse, type NextRequest } from "next/server";
import { endpointsAt } from "@/lib/api/endpoints";
import type { ErrorCode } from "@/lib/domain/errors";
import { errorResponse } from "@/lib/http/errors";
import {
  LEGACY_ITEM_KEYS,
  LEGACY_LIST_KEYS,
  translateLegacyItemQuery,
  translateLegacyListQuery,
} from "@/lib/client/legacy-links";

const API = "/api/v1";

const apiError = (code: ErrorCode, message: string, headers?: Record<string, string>) =>
  errorResponse(code, message, { headers });

function apiEdge(req: NextRequest): Response {
  const raw = req.nextUrl.pathname.slice(API.length) || "/";
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return apiError("BAD_REQUEST", "The path is not valid: it contains malformed %-encoding.");
  }
  if (/[\u0000-\u001f]/.test(path))
    return apiError("BAD_REQUEST", "The path is not valid: it contains control characters.");
  const here = endpointsAt(raw);
  if (here.length === 0) return apiError("NOT_FOUND", `No API endpoint at ${API}${raw}. See ${API}/openapi.json.`);
  const methods = new Set(here.map((e) => e.method as string));
  if (methods.has("GET")) methods.add("HEAD");
  methods.add("OPTIONS");
  const allow = [...methods].join(", ");
  // Answered here for every path alike (Next would answer a static route's OPTIONS with a bare 405).
  if (req.method === "OPTIONS") return new NextResponse(null, { status: 204, headers: { Allow: allow } });
  if (!methods.has(req.method)) {
    return apiError("METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${API}${raw}; allowed: ${allow}.`, {
      Allow: allow,
    });
  }
  return NextResponse.next();
}

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React and the charts set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function pageEdge(req: NextRequest): NextResponse {
  if (req.nextUrl.pathname === "/" && LEGACY_LIST_KEYS.some((k) => req.nextUrl.searchParams.has(k))) {
    const url = req.nextUrl.clone();
    url.search = translateLegacyListQuery(req.nextUrl.searchParams).toString();
    return NextResponse.redirect(url, 308);
  }
  if (
    req.nextUrl.pathname.startsWith("/activities/") &&
    LEGACY_ITEM_KEYS.some((k) => req.nextUrl.searchParams.has(k))
  ) {
    const url = req.nextUrl.clone();
    url.search = translateLegacyItemQuery(req.nextUrl.searchParams).toString();
    return NextResponse.redirect(url, 308);
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(req.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  return res;
}

export function proxy(req: NextRequest): Response {
  try {
    decodeURIComponent(req.nextUrl.pathname);
  } catch {
    if (!req.nextUrl.pathname.startsWith(API))
      return new NextResponse("Bad request: malformed %-encoding in the path.", { status: 400 });
  }
  return req.nextUrl.pathname === API || req.nextUrl.pathname.startsWith(`${API}/`) ? apiEdge(req) : pageEdge(req);
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|icon.svg|favicon.ico|robots.txt|manifest.webmanifest).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
