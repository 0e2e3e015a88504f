/** CSV for PostgreSQL's COPY ... (FORMAT csv): NULL is an unquoted empty field, text is always quoted. */
export type CsvValue = string | number | boolean | null;

function field(v: CsvValue): string {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "t" : "f";
  return `"${v.includes('"') ? v.replaceAll('"', '""') : v}"`;
}

export function csvLine(values: CsvValue[]): string {
  let line = field(values[0]);
  for (let i = 1; i < values.length; i++) line += "," + field(values[i]);
  return line + "\n";
}

/** A PostgreSQL text[] literal. */
export function pgTextArray(values: string[]): string {
  return "{" + values.map((v) => `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",") + "}";
}

export function copyStatement(table: string, columns: readonly string[], source: "STDIN" | "'/dev/blob'"): string {
  return `COPY "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) FROM ${source} WITH (FORMAT csv)`;
}
