/**
 * The pieces every list's where clause is built of, so a multi-valued filter is one line in the
 * list's builder: "any of these values" and "this text in any of these columns".
 */

/** LIKE treats % and _ as wildcards and \ as the escape: a search for "50%" means those characters. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");

/** The column holds one of the values (`column IN (…)`); callers leave it out when the list is empty. */
export const isAnyOf = <C extends string, V>(column: C, values: readonly V[]) =>
  ({ [column]: { in: [...values] } }) as { [K in C]: { in: V[] } };

/**
 * The text, any case, inside any of the columns (ILIKE '%…%', served by the trigram indexes); the
 * text's own % and _ are literal.
 */
export function searchesAny<C extends string>(columns: readonly C[], text: string) {
  const like = escapeLike(text);
  const one = (column: C) =>
    ({ [column]: { contains: like, mode: "insensitive" } }) as { [K in C]?: { contains: string; mode: "insensitive" } };
  return columns.length === 1 ? one(columns[0]) : { OR: columns.map(one) };
}
