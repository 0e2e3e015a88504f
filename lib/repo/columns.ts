/**
 * The columns of the tables written by hand-made SQL, taken from the Prisma model (the schema is
 * the one list: a column added there is written by these inserts without another edit). Values
 * are converted by PostgreSQL from a JSON record of the table's own row type
 * (`jsonb_populate_record`, dates as ISO text as JSON.stringify writes them), so no statement
 * repeats a column's type either.
 */
import { Prisma } from "@/lib/generated/prisma/client";
import type { Activity, ExecutionItem } from "@/lib/generated/prisma/client";

export const ACTIVITY_COLUMNS: readonly (keyof Activity)[] = Object.values(Prisma.ActivityScalarFieldEnum);
export const ITEM_COLUMNS: readonly (keyof ExecutionItem)[] = Object.values(Prisma.ExecutionItemScalarFieldEnum);

const quote = (c: string) => `"${c}"`;

/**
 * The quoted columns of `table` that `row` gives a value for (undefined is "not given": the
 * column's default applies). Keys that are not columns are left out, so a row may carry more.
 */
export function givenColumns(table: readonly string[], row: Record<string, unknown>): string[] {
  return table.filter((c) => row[c] !== undefined).map(quote);
}
