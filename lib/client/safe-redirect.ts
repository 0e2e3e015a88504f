/**
 * Where the sign-in page may send the browser afterwards: a path on this origin, nothing else.
 * Browsers read `\` as `/`, drop tabs and line breaks inside URLs, and treat `//host` as another
 * site, so `/\evil.example`, `/<TAB>/evil.example` or `//evil.example` (also %-encoded, once or
 * more) would leave the origin; any of these, and anything that is not a path, gives "/".
 */
const FALLBACK = "/";
const DUMMY_ORIGIN = "https://origin.invalid";

/** The forms a value takes as it is decoded again and again (a browser or a proxy may decode once more). */
function decodings(value: string): string[] {
  const forms = [value];
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(forms[forms.length - 1]);
    } catch {
      break;
    }
    if (next === forms[forms.length - 1]) break;
    forms.push(next);
  }
  return forms;
}

function leavesOrigin(form: string): boolean {
  // Tab, CR and LF are dropped by URL parsers, so they can hide a second slash: none anywhere.
  if (/[\u0000-\u001f\u007f]/.test(form) || !form.startsWith("/")) return true;
  // A backslash is a slash to a browser only before the query and fragment.
  const path = form.split(/[?#]/, 1)[0];
  return path.includes("\\") || path.startsWith("//");
}

export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 4000) return FALLBACK;
  if (decodings(next).some(leavesOrigin)) return FALLBACK;
  let url: URL;
  try {
    url = new URL(next, DUMMY_ORIGIN);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== DUMMY_ORIGIN) return FALLBACK;
  const path = url.pathname + url.search + url.hash;
  // "/./" or "/%2e/" segments can normalise into "//…": check the result as well.
  if (leavesOrigin(path) || path === "/sign-in" || path.startsWith("/sign-in?") || path.startsWith("/sign-in/"))
    return FALLBACK;
  return path;
}
