/**
 * The pieces every list's where clause is built of, so a multi-valued filter is one line in the
 * list's builder: "any of these values" and "this text in any of these columns".
 */

/** LIKE treats % and _ as wildcards and \ as the escape: a search for "50%" means those characters. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");

/**
 * The ILIKE patterns ('%…%', the text's own % and _ literal) a search for `text` tries: its
 * composed (NFC) and its decomposed (NFD) form, once each when they are the same (plain ASCII).
 * "José" typed decomposed (e + U+0301, as macOS keyboards and some directories send it) finds a
 * name stored composed, and the other way round.
 *
 * Why not normalise the stored text (on write, or `normalize(col, NFC)` in SQL): names and external
 * ids are stored as the reporter sent them, byte for byte (an external id is a key in its connected
 * system; two objects may differ only by their form), and a column wrapped in normalize() no longer
 * uses the trigram index on Activity.name. Two plain ILIKEs OR'ed keep that index (a bitmap OR).
 * What this does not find: one value mixing both forms (a composed é beside a decomposed ü), which
 * neither a typed NFC nor an NFD term spells.
 */
const searchForms = (text: string) => [...new Set([text.normalize("NFC"), text.normalize("NFD")])].map(escapeLike);
export const searchPatterns = (text: string) => searchForms(text).map((form) => `%${form}%`);

/** The column holds one of the values (`column IN (…)`); callers leave it out when the list is empty. */
export const isAnyOf = <C extends string, V>(column: C, values: readonly V[]) =>
  ({ [column]: { in: [...values] } }) as { [K in C]: { in: V[] } };

type Contains<C extends string> = { [K in C]?: { contains: string; mode: "insensitive" } };

/**
 * The text, any case and either Unicode form (see searchPatterns), inside any of the columns
 * (ILIKE '%…%', served by the trigram indexes); the text's own % and _ are literal.
 */
export function searchesAny<C extends string>(columns: readonly C[], text: string) {
  // Prisma's `contains` adds the surrounding % itself: the escaped forms without them.
  const terms = columns.flatMap((column) =>
    searchForms(text).map((like) => ({ [column]: { contains: like, mode: "insensitive" } }) as Contains<C>),
  );
  return terms.length === 1 ? terms[0] : { OR: terms };
}
