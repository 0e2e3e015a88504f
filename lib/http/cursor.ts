/**
 * Keyset cursors: base64url of JSON [sortKey, value, tieBreaker]. The sort key is part of the
 * cursor so a cursor from one ordering is refused for another (400), instead of silently
 * returning the wrong rows.
 */
export type CursorValue = string | number | null;

export interface Cursor {
  key: string;
  value: CursorValue;
  tie: string | number;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.key, c.value, c.tie]), "utf8").toString("base64url");
}

/** Returns null when the text is not a cursor this server made. */
export function decodeCursor(text: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 3) return null;
    const [key, value, tie] = parsed;
    if (typeof key !== "string") return null;
    if (value !== null && typeof value !== "string" && typeof value !== "number") return null;
    if (typeof tie !== "string" && typeof tie !== "number") return null;
    return { key, value, tie };
  } catch {
    return null;
  }
}
