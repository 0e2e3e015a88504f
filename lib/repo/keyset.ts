/**
 * Keyset ("seek") paging conditions for Prisma `where` clauses. Orders follow PostgreSQL's
 * defaults, which are what a B-tree index scans in either direction: ASC puts NULLs last, DESC
 * puts them first. The tie-breaker (id or sequence) runs in the same direction as the sort.
 */
export type Dir = "asc" | "desc";

export interface KeysetField {
  /** Column name in the Prisma model. */
  column: string;
  nullable: boolean;
  kind: "date" | "number" | "string" | "enum";
  /** For enums: the declaration order, which is PostgreSQL's sort order for the type. */
  enumValues?: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Where = Record<string, any>;

export function orderBy(field: KeysetField, tie: string, dir: Dir): Where[] {
  const first = field.nullable
    ? { [field.column]: { sort: dir, nulls: dir === "asc" ? "last" : "first" } }
    : { [field.column]: dir };
  return field.column === tie ? [first] : [first, { [tie]: dir }];
}

function after(field: KeysetField, dir: Dir, value: unknown): Where {
  if (field.kind === "enum") {
    const all = field.enumValues ?? [];
    const idx = all.indexOf(value as string);
    const rest = dir === "asc" ? all.slice(idx + 1) : all.slice(0, Math.max(idx, 0));
    return { [field.column]: { in: [...rest] } };
  }
  return { [field.column]: { [dir === "asc" ? "gt" : "lt"]: value } };
}

/** Rows strictly after (value, tie) in the given order. */
export function keysetWhere(
  field: KeysetField,
  tieColumn: string,
  dir: Dir,
  rawValue: string | number | null,
  tie: string | number,
): Where {
  const op = dir === "asc" ? "gt" : "lt";
  const value = rawValue === null ? null : field.kind === "date" ? new Date(rawValue) : rawValue;
  if (field.column === tieColumn) return { [tieColumn]: { [op]: tie } };
  const tieAfter = { [tieColumn]: { [op]: tie } };
  if (value === null) {
    // NULLs come last in ASC (only NULLs with a later tie follow) and first in DESC (then every non-NULL).
    if (dir === "asc") return { [field.column]: null, ...tieAfter };
    return { OR: [{ [field.column]: null, ...tieAfter }, { [field.column]: { not: null } }] };
  }
  const or: Where[] = [after(field, dir, value), { [field.column]: value, ...tieAfter }];
  if (field.nullable && dir === "asc") return { OR: [...or, { [field.column]: null }] };
  // The OR alone makes PostgreSQL walk the index from its start and filter (linear in the
  // page's depth); the redundant bound lets it start the index scan at the cursor.
  return { AND: [atOrAfter(field, dir, value), { OR: or }] };
}

function atOrAfter(field: KeysetField, dir: Dir, value: unknown): Where {
  if (field.kind === "enum") {
    const all = field.enumValues ?? [];
    const idx = all.indexOf(value as string);
    return { [field.column]: { in: dir === "asc" ? all.slice(idx) : all.slice(0, idx + 1) } };
  }
  return { [field.column]: { [dir === "asc" ? "gte" : "lte"]: value } };
}

/** The cursor value of a row for the field (dates as ISO text). */
export function cursorValueOf(field: KeysetField, row: Record<string, unknown>): string | number | null {
  const v = row[field.column];
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return v as string | number;
}

/** Whether a decoded cursor value fits the field's type (a tampered cursor is a 400, not a 500). */
export function validCursorValue(field: KeysetField, value: unknown): boolean {
  if (value === null) return field.nullable;
  switch (field.kind) {
    case "date":
      return typeof value === "string" && !Number.isNaN(Date.parse(value));
    case "number":
      return typeof value === "number" && Number.isInteger(value);
    case "enum":
      return typeof value === "string" && (field.enumValues ?? []).includes(value);
    default:
      return typeof value === "string";
  }
}
