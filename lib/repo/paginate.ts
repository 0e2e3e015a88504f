/**
 * The one way lists are paged: by offset (page, pageSize) or by keyset cursor, with a bounded
 * count. Used by the activity list, children, execution items, failures and the CSV exports.
 *
 * Orders follow PostgreSQL's defaults, which are what a B-tree index scans in either direction:
 * ASC puts NULLs last, DESC puts them first. The tie-breaker (id or sequence) runs in the same
 * direction as the sort. A cursor is base64url JSON [scope, value, tie]; the scope names the list
 * and its order, so a cursor of one ordering is refused for another (400), never misread.
 */
import type { Total } from "@/lib/domain/counts";
import { BadRequestError } from "@/lib/domain/errors";
import { getConfig } from "@/lib/config";
import { countWithin } from "./count-cache";

export type Dir = "asc" | "desc";

export interface KeysetField {
  /** Column name in the Prisma model. */
  column: string;
  nullable: boolean;
  kind: "date" | "int" | "string" | "enum";
  /** For enums: the declaration order, which is PostgreSQL's sort order for the type. */
  enumValues?: readonly string[];
}

export interface Tie {
  column: string;
  kind: "uuid" | "int";
}

/** Offset paging stops here: deeper pages cost a scan of every row skipped (use the cursor). */
export const MAX_OFFSET_ROWS = 1_000_000;
const INT4_MAX = 2_147_483_647;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MIN_DATE = Date.parse("1970-01-01T00:00:00Z");
const MAX_DATE = Date.parse("9999-12-31T23:59:59Z");

// Prisma's where and orderBy inputs differ per model; this module builds them generically.
type Where = Record<string, unknown>;

interface Cursor {
  value: string | number | null;
  tie: string | number;
}

export function encodeCursor(scope: string, c: Cursor): string {
  return Buffer.from(JSON.stringify([scope, c.value, c.tie]), "utf8").toString("base64url");
}

function invalidCursor(): BadRequestError {
  return new BadRequestError(
    "The cursor is not valid for this query (it must come from nextCursor of the same list, sort and order).",
    [{ path: "cursor", message: "not a cursor of this list" }],
  );
}

function validValue(field: KeysetField, value: unknown): boolean {
  if (value === null) return field.nullable;
  switch (field.kind) {
    case "date": {
      if (typeof value !== "string" || value.length > 40) return false;
      const t = Date.parse(value);
      return Number.isFinite(t) && t >= MIN_DATE && t <= MAX_DATE;
    }
    case "int":
      return typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= INT4_MAX;
    case "enum":
      return typeof value === "string" && (field.enumValues ?? []).includes(value);
    default:
      return typeof value === "string" && value.length <= 1000 && !/\u0000/.test(value) && value.isWellFormed();
  }
}

/** Decodes a cursor made for `scope`; anything else is a 400. */
export function decodeCursor(text: string, scope: string, field: KeysetField, tie: Tie): Cursor {
  if (text.length > 2000 || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== scope) throw invalidCursor();
  const [, value, tieValue] = parsed as [unknown, unknown, unknown];
  const tieOk =
    tie.kind === "uuid"
      ? typeof tieValue === "string" && UUID.test(tieValue)
      : typeof tieValue === "number" && Number.isInteger(tieValue) && Math.abs(tieValue) <= INT4_MAX;
  if (!tieOk || !validValue(field, value)) throw invalidCursor();
  return { value: value as Cursor["value"], tie: tieValue as Cursor["tie"] };
}

export function orderBy(field: KeysetField, tie: Tie, dir: Dir): Where[] {
  const first = field.nullable
    ? { [field.column]: { sort: dir, nulls: dir === "asc" ? "last" : "first" } }
    : { [field.column]: dir };
  return field.column === tie.column ? [first] : [first, { [tie.column]: dir }];
}

function after(field: KeysetField, dir: Dir, value: unknown, inclusive: boolean): Where {
  if (field.kind === "enum") {
    const all = field.enumValues ?? [];
    const idx = all.indexOf(value as string);
    const from = inclusive ? idx : idx + 1;
    return {
      [field.column]: { in: dir === "asc" ? all.slice(from) : all.slice(0, inclusive ? idx + 1 : Math.max(idx, 0)) },
    };
  }
  const op = dir === "asc" ? (inclusive ? "gte" : "gt") : inclusive ? "lte" : "lt";
  return { [field.column]: { [op]: value } };
}

/** Rows strictly after the cursor in the given order. */
export function keysetWhere(field: KeysetField, tie: Tie, dir: Dir, cursor: Cursor): Where {
  const op = dir === "asc" ? "gt" : "lt";
  const tieAfter = { [tie.column]: { [op]: cursor.tie } };
  if (field.column === tie.column) return tieAfter;
  const value = cursor.value === null ? null : field.kind === "date" ? new Date(cursor.value) : cursor.value;
  if (value === null) {
    // NULLs come last in ASC (only NULLs with a later tie follow) and first in DESC (then every non-NULL).
    if (dir === "asc") return { [field.column]: null, ...tieAfter };
    return { OR: [{ [field.column]: null, ...tieAfter }, { [field.column]: { not: null } }] };
  }
  const or: Where[] = [after(field, dir, value, false), { [field.column]: value, ...tieAfter }];
  if (field.nullable && dir === "asc") return { OR: [...or, { [field.column]: null }] };
  // The OR alone makes PostgreSQL walk the index from its start and filter (linear in the
  // page's depth); the redundant bound lets it start the index scan at the cursor.
  return { AND: [after(field, dir, value, true), { OR: or }] };
}

function cursorValueOf(field: KeysetField, row: Record<string, unknown>): string | number | null {
  const v = row[field.column];
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return v as string | number;
}

/** What paginate needs of a Prisma model delegate. */
export interface PageSource<T> {
  findMany(args: { where: Where; orderBy: Where[]; skip: number; take: number }): Promise<T[]>;
  /** Rows that match, counting at most `take` (all without it). */
  count(args: { where: Where; take?: number }): Promise<number>;
}

/** A list: its name (inside cursors), the columns it sorts by, and the tie-breaker. */
export interface ListDef<S extends string> {
  name: string;
  sorts: Record<S, KeysetField>;
  tie: Tie;
}

/** What the caller asks of a list: the order and the page (by number or by cursor). */
export interface PageQuery<S extends string> {
  sort: S;
  order: Dir;
  page: number;
  pageSize: number;
  cursor?: string;
  /** "exact": count every matching row, past the cap and the time budget. */
  count?: "exact";
}

/**
 * Counting: the rows are counted up to `cap` (a bounded scan, never a full count); "cached"
 * keeps the count for the count cache's lifetime and waits for it at most `budgetMs` (past it,
 * the page says the total is unknown and the count fills the cache for the next request);
 * "none" skips it (exports, or a caller that knows the total).
 */
export interface Counting {
  cap: number;
  cache: "cached" | "fresh" | "none";
  budgetMs?: number;
}

export interface Page<T> {
  rows: T[];
  total: Total;
  hasMore: boolean;
  nextCursor: string | null;
  cursorUsed: boolean;
}

export async function paginate<T extends Record<string, unknown>, S extends string>(
  source: PageSource<T>,
  list: ListDef<S>,
  where: Where,
  q: PageQuery<S>,
  counting: Counting,
): Promise<Page<T>> {
  const exact = q.count === "exact";
  const req = {
    ...q,
    where,
    field: list.sorts[q.sort],
    tie: list.tie,
    dir: q.order,
    scope: `${list.name}:${q.sort}:${q.order}`,
    // An exact count has its own cache key: a capped count is not its answer.
    count: { ...counting, key: `${list.name}:${exact ? "exact:" : ""}${JSON.stringify(where)}` },
  };
  const cursor = req.cursor ? decodeCursor(req.cursor, req.scope, req.field, req.tie) : null;
  const skip = cursor ? 0 : (req.page - 1) * req.pageSize;
  if (skip + req.pageSize > MAX_OFFSET_ROWS)
    throw new BadRequestError(
      `Pages deeper than ${MAX_OFFSET_ROWS.toLocaleString("en-GB")} rows are not served by page number; follow nextCursor instead.`,
      [{ path: "page", message: `page × pageSize must be at most ${MAX_OFFSET_ROWS}` }],
    );
  const pageWhere = cursor ? { AND: [where, keysetWhere(req.field, req.tie, req.dir, cursor)] } : where;
  const countRows = () => source.count({ where: req.where, take: exact ? undefined : req.count.cap + 1 });
  const count = async (): Promise<number | null> => {
    if (req.count.cache === "none") return null;
    if (req.count.cache === "fresh") return countRows();
    return countWithin(req.count.key, countRows, exact ? 0 : (req.count.budgetMs ?? getConfig().countBudgetMs));
  };
  const [rowsPlus, countedInTime] = await Promise.all([
    source.findMany({ where: pageWhere, orderBy: orderBy(req.field, req.tie, req.dir), skip, take: req.pageSize + 1 }),
    count(),
  ]);
  // An empty page past the first has nothing to show but where the end is: wait for the count.
  const counted =
    countedInTime === null && rowsPlus.length === 0 && skip > 0 && req.count.cache === "cached"
      ? await countWithin(req.count.key, countRows, 0)
      : countedInTime;
  const hasMore = rowsPlus.length > req.pageSize;
  const rows = hasMore ? rowsPlus.slice(0, req.pageSize) : rowsPlus;
  const last = rows.at(-1);
  return {
    rows,
    total: totalOf(counted, exact ? Infinity : req.count.cap, {
      cursor: Boolean(cursor),
      skip,
      rows: rows.length,
      hasMore,
    }),
    hasMore,
    nextCursor:
      hasMore && last
        ? encodeCursor(req.scope, {
            value: cursorValueOf(req.field, last),
            tie: last[req.tie.column] as string | number,
          })
        : null,
    cursorUsed: Boolean(cursor),
  };
}

/**
 * The total a page can state: the count when it was made (a lower bound past the cap); without a
 * count, exact only when this page is the last of an offset walk from the first row (the rows
 * before it plus its own), else unknown.
 */
export function totalOf(
  counted: number | null,
  cap: number,
  page: { cursor: boolean; skip: number; rows: number; hasMore: boolean },
): Total {
  if (counted !== null) return counted > cap ? { count: cap, status: "atLeast" } : { count: counted, status: "exact" };
  if (!page.cursor && !page.hasMore && (page.rows > 0 || page.skip === 0))
    return { count: page.skip + page.rows, status: "exact" };
  return { count: null, status: "unknown" };
}
