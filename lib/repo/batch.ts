/** Reads for a batch of keys (the rows of a list page): one statement for the whole batch. */
import { getDatabase } from "@/lib/db/client";

/**
 * Runs `text` once for `keys` (not at all when there are none) and files each row into the map
 * the caller answers with: `file` sets the row's value under its key, or adds it to the key's list.
 */
export async function queryByKeys<Row, K, V>(
  keys: readonly unknown[],
  text: string,
  params: unknown[],
  file: (out: Map<K, V>, row: Row) => void,
): Promise<Map<K, V>> {
  const out = new Map<K, V>();
  if (keys.length === 0) return out;
  const db = await getDatabase();
  for (const row of await db.sql.query<Row>(text, params)) file(out, row);
  return out;
}

/** Adds `value` to the list filed under `key`. */
export function fileUnder<K, V>(out: Map<K, V[]>, key: K, value: V): void {
  const list = out.get(key);
  if (list) list.push(value);
  else out.set(key, [value]);
}
