/** The longest search every list's API accepts. */
export const MAX_SEARCH_LENGTH = 200;

/** True when the text, trimmed as the lists trim it, is short enough to search. */
export const searchable = (text: string) => text.trim().length <= MAX_SEARCH_LENGTH;

/** What is wrong with a search text, in words; null when nothing. */
export function searchProblem(text: string): string | null {
  const n = text.trim().length;
  return n > MAX_SEARCH_LENGTH
    ? `Search is limited to ${MAX_SEARCH_LENGTH} characters (this one has ${n}). Shorten it to search.`
    : null;
}
