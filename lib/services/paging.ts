import { BadRequestError } from "@/lib/domain/errors";
import { decodeCursor, encodeCursor } from "@/lib/http/cursor";
import { cursorValueOf, validCursorValue, type KeysetField } from "@/lib/repo/keyset";
import { UUID_PATTERN } from "@/lib/domain/ids";

/** Decodes and checks a cursor against the current sort; a foreign or tampered cursor is a 400. */
export function readCursor(text: string | undefined, sortKey: string, field: KeysetField, tieKind: "uuid" | "int") {
  if (!text) return undefined;
  const c = decodeCursor(text);
  const tieOk =
    c &&
    (tieKind === "uuid"
      ? typeof c.tie === "string" && UUID_PATTERN.test(c.tie)
      : typeof c.tie === "number" && Number.isInteger(c.tie));
  if (!c || c.key !== sortKey || !tieOk || !validCursorValue(field, c.value))
    throw new BadRequestError(
      "The cursor is not valid for this query (it must come from nextCursor of the same sort and order).",
      { path: "cursor" },
    );
  return { value: c.value, tie: c.tie };
}

export function nextCursorOf(
  sortKey: string,
  field: KeysetField,
  tieColumn: string,
  last: Record<string, unknown> | undefined,
  hasMore: boolean,
): string | null {
  if (!hasMore || !last) return null;
  return encodeCursor({ key: sortKey, value: cursorValueOf(field, last), tie: last[tieColumn] as string | number });
}

export function envelope<T>(
  items: T[],
  o: {
    total: number;
    page: number;
    pageSize: number;
    hasMore: boolean;
    cursorUsed: boolean;
    nextCursor: string | null;
  },
) {
  const totalPages = Math.ceil(o.total / o.pageSize);
  return {
    items,
    totalCount: o.total,
    page: o.page,
    pageSize: o.pageSize,
    totalPages,
    hasNextPage: o.hasMore,
    hasPreviousPage: o.cursorUsed || o.page > 1,
    nextCursor: o.nextCursor,
  };
}
