/**
 * A page address too long for the HTTP parser (Node refuses request heads over 16 KB before Next
 * sees them): people get a page that says what happened and the way back, instead of the API's
 * JSON error. API paths keep their JSON answer (lib/server/http-guard.ts).
 */

/** The request line of a refused request head: method and target, when the parser saw them. */
export function refusedRequestTarget(rawPacket: unknown): { target: string; lineLength: number } | null {
  if (!Buffer.isBuffer(rawPacket)) return null;
  const text = rawPacket.subarray(0, Math.min(rawPacket.length, 256 * 1024)).toString("latin1");
  const end = text.indexOf("\r\n");
  const line = end < 0 ? text : text.slice(0, end);
  const match = /^[A-Z]+ (\S+)/.exec(line);
  return match ? { target: match[1], lineLength: end < 0 ? Infinity : line.length } : null;
}

/** Longer request lines than this are "the address is too long" (else a header, e.g. cookies, is). */
export const LONG_REQUEST_LINE = 8 * 1024;

/** A refused request whose address, not a header, was too long, for a page (not an /api path). */
export function isLongPageAddress(rawPacket: unknown): boolean {
  const refused = refusedRequestTarget(rawPacket);
  return !!refused && refused.lineLength > LONG_REQUEST_LINE && !refused.target.startsWith("/api/");
}

/** The page, as plain parts like lib/http/errors.ts's answers (the caller adds Content-Length). */
export function longUrlPage(): { status: number; headers: Record<string, string>; body: string } {
  const body = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Address too long · Syncwatch</title>
<style>
  :root { color-scheme: light dark; font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { margin: 0; background: #fff; color: #0f172a; }
  main { max-width: 36rem; margin: 4rem auto; padding: 0 1rem; text-align: center; }
  p.code { font-size: .875rem; font-weight: 600; letter-spacing: .05em; text-transform: uppercase; color: #1e40af; }
  h1 { font-size: 1.5rem; margin: .5rem 0 0; }
  p { line-height: 1.5; color: #334155; }
  a { display: inline-block; margin: 1.5rem .25rem 0; padding: .5rem .75rem; border-radius: .375rem; font-weight: 500; text-decoration: none; background: #1d4ed8; color: #fff; }
  a.secondary { background: #fff; color: #1e293b; border: 1px solid #cbd5e1; }
  @media (prefers-color-scheme: dark) {
    body { background: #020617; color: #f1f5f9; }
    p { color: #cbd5e1; }
    p.code { color: #93c5fd; }
    a { background: #93c5fd; color: #020617; }
    a.secondary { background: #0f172a; color: #f1f5f9; border-color: #475569; }
  }
</style>
</head>
<body>
<main>
<p class="code">414</p>
<h1>This address is too long</h1>
<p>The link is longer than the server accepts (16 KB), so the page could not be opened. It was probably
cut and pasted with something extra, or built with very long filters. Start again from a page, then set the
filters there.</p>
<a href="/">Back to activities</a><a class="secondary" href="/failures">Failures</a><a class="secondary" href="/operations">Operations</a>
</main>
</body>
</html>
`;
  return {
    status: 414,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      // the headers pages carry (no script at all here)
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "same-origin",
    },
    body,
  };
}
