/**
 * CSV downloads read by cursor in batches while the client reads. The first batch is read before
 * the answer starts, so a store error then is a JSON error, not a broken file; an error later
 * aborts the stream, and the client sees an interrupted download, never a complete-looking one.
 */

/**
 * What starts a formula: `=`, `+`, `-`, `@`, tab, CR (OWASP CSV injection), and the fullwidth and
 * small forms of the first four (＝ ＋ － ＠, ﹦ ﹢ ﹣ ﹫), which spreadsheets in East Asian locales
 * take for them.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B]/;

/**
 * A cell a spreadsheet would run as a formula, made inert: a leading formula starter or `;` gets a
 * `'` in front. Spreadsheets in locales whose list separator is `;` split a cell at each `;`, so
 * every piece after one is neutralised the same way.
 */
export function neutraliseFormula(text: string): string {
  const pieces = text
    .split(";")
    .map((piece) => (FORMULA_START.test(piece) ? `'${piece}` : piece))
    .join(";");
  return pieces.startsWith(";") ? `'${pieces}` : pieces;
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const s = neutraliseFormula(value instanceof Date ? value.toISOString() : String(value));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: unknown[]): string {
  return values.map(csvField).join(",") + "\r\n";
}

/** The page an export reads next: a thousand rows from the cursor, not counted. */
export const exportBatch = (cursor: string | undefined) =>
  ({ page: 1, pageSize: 1000, cursor, counting: "none" }) as const;

type Batch = { rows: Record<string, unknown>[]; nextCursor: string | null };

export async function csvStream(
  columns: readonly string[],
  read: (cursor: string | undefined) => Promise<Batch>,
): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const render = (rows: Record<string, unknown>[]) => rows.map((r) => csvRow(columns.map((c) => r[c]))).join("");
  let next: Batch | null = await read(undefined);
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvRow([...columns])));
        }
        // A pull must enqueue or close, or the stream stalls: skip past empty batches.
        while (next !== null) {
          const batch: Batch = next;
          if (batch.rows.length) controller.enqueue(encoder.encode(render(batch.rows)));
          next = batch.nextCursor ? await read(batch.nextCursor) : null;
          if (batch.rows.length) return;
        }
        controller.close();
      } catch (e) {
        // The message only: a driver's error object carries the statement's parameters.
        console.error(
          `[syncwatch] CSV export failed after it started; the download is cut off: ${(e as Error)?.message ?? e}`,
        );
        controller.error(e);
      }
    },
  });
}
