/**
 * lib/repo/paginate.ts: keyset cursors (encoding, scope, tampering), the seek conditions and
 * orders for ASC/DESC, nullable and enum columns, and paginate() itself against an in-memory
 * source that evaluates the Prisma conditions it is given with PostgreSQL's semantics (NULLs
 * last in ASC and first in DESC, enums in declaration order, NULL never compares).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BadRequestError, asSyncwatchError } from "@/lib/domain/errors";
import { ACTIVITY_STATUSES, ERROR_TYPES } from "@/lib/domain/enums";
import {
  MAX_OFFSET_ROWS,
  decodeCursor,
  encodeCursor,
  keysetWhere,
  orderBy,
  paginate,
  totalOf,
  type Dir,
  type Counting,
  type KeysetField,
  type ListDef,
  type PageQuery,
  type PageSource,
  type Tie,
} from "@/lib/repo/paginate";

type Row = Record<string, unknown>;
type Where = Record<string, unknown>;

const UUID_TIE: Tie = { column: "id", kind: "uuid" };
const SEQ_TIE: Tie = { column: "sequence", kind: "int" };
const DATE: KeysetField = { column: "createdAt", nullable: false, kind: "date" };
const ENDED: KeysetField = { column: "endedAt", nullable: true, kind: "date" };
const INT: KeysetField = { column: "totalObjectErrors", nullable: false, kind: "int" };
const TEXT: KeysetField = { column: "displayName", nullable: true, kind: "string" };
const STATUS: KeysetField = { column: "status", nullable: false, kind: "enum", enumValues: ["A", "B", "C"] };
const SCOPE = "activities:created:desc";
const ID = "0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00";

const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v), "utf8").toString("base64url");

/** The error decodeCursor throws, or null when it accepts. Anything but a BadRequestError fails the test. */
function refusalOf(text: string, field: KeysetField, tie: Tie = UUID_TIE, scope = SCOPE): BadRequestError | null {
  try {
    decodeCursor(text, scope, field, tie);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(BadRequestError);
    return e as BadRequestError;
  }
}

// ---------------------------------------------------------------------------------------------
// Cursors
// ---------------------------------------------------------------------------------------------

describe("cursors", () => {
  it("round-trip scope, value and tie as base64url", () => {
    const cases: [KeysetField, Tie, { value: string | number | null; tie: string | number }][] = [
      [DATE, UUID_TIE, { value: "2026-11-22T10:00:00.000Z", tie: ID }],
      [ENDED, UUID_TIE, { value: null, tie: ID }],
      [INT, UUID_TIE, { value: -2_147_483_647, tie: ID }],
      [INT, SEQ_TIE, { value: 2_147_483_647, tie: 0 }],
      [TEXT, SEQ_TIE, { value: 'Zoë "quoted", ünïcode/+= 😀', tie: 3 }],
      [STATUS, UUID_TIE, { value: "B", tie: ID }],
    ];
    for (const [field, tie, c] of cases) {
      const text = encodeCursor(SCOPE, c);
      expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(text, SCOPE, field, tie)).toEqual(c);
    }
  });

  it("a cursor of another list, sort or order is refused with 400 naming the cursor", () => {
    const text = encodeCursor("activities:created:desc", { value: "2026-11-22T10:00:00.000Z", tie: ID });
    for (const other of ["activities:created:asc", "activities:ended:desc", "children:created:desc", "items:x:y"]) {
      const e = refusalOf(text, DATE, UUID_TIE, other)!;
      expect(e).not.toBeNull();
      expect(e.code).toBe("BAD_REQUEST");
      expect(e.message).toMatch(/cursor/);
      expect(e.details).toEqual([{ path: "cursor", message: "not a cursor of this list" }]);
    }
  });

  it("refuses text that is not base64url JSON of [scope, value, tie]", () => {
    for (const bad of [
      "",
      "%%%",
      "abc def",
      "YWJj=",
      "abc", // base64url of bytes that are not JSON
      "x".repeat(2001),
      b64("not json"),
      b64({ scope: SCOPE, value: null, tie: ID }),
      b64([SCOPE, "2026-11-22T10:00:00.000Z"]),
      b64([SCOPE, "2026-11-22T10:00:00.000Z", ID, "extra"]),
      b64(null),
      b64(42),
      b64([]),
    ])
      expect(refusalOf(bad, DATE), bad.slice(0, 40)).not.toBeNull();
  });

  it("refuses dates outside 1970–9999 and values of the wrong type", () => {
    for (const value of [
      "0000-01-01T00:00:00.000Z",
      "1969-12-31T23:59:59.999Z",
      "+010000-01-01T00:00:00.000Z",
      "10000-01-01T00:00:00.000Z",
      "soon",
      "",
      1_700_000_000_000,
      null,
      "2026-11-22T10:00:00.000Z" + " ".repeat(40),
    ])
      expect(refusalOf(b64([SCOPE, value, ID]), DATE), String(value)).not.toBeNull();
    expect(refusalOf(b64([SCOPE, "1970-01-01T00:00:00.000Z", ID]), DATE)).toBeNull();
    expect(refusalOf(b64([SCOPE, "9999-12-31T23:59:59.000Z", ID]), DATE)).toBeNull();
  });

  it("refuses 1e300, 2^31 and fractions for int fields and int ties", () => {
    for (const value of [1e300, 2 ** 31, -(2 ** 31), 1.5, "5", null, true])
      expect(refusalOf(b64([SCOPE, value, ID]), INT), String(value)).not.toBeNull();
    for (const tie of [1e300, 2 ** 31, 0.5, "1", null])
      expect(refusalOf(b64([SCOPE, 1, tie]), INT, SEQ_TIE), String(tie)).not.toBeNull();
    expect(refusalOf(b64([SCOPE, 2 ** 31 - 1, 2 ** 31 - 1]), INT, SEQ_TIE)).toBeNull();
  });

  it("refuses NUL, lone surrogates and overlong text in string fields", () => {
    for (const value of ["a\u0000b", "\ud800", "x\udc00", "\udbff", "y".repeat(1001), 5, ["a"]])
      expect(refusalOf(encodeCursor(SCOPE, { value: value as string, tie: 1 }), TEXT, SEQ_TIE)).not.toBeNull();
    // a well-formed pair is fine
    expect(refusalOf(encodeCursor(SCOPE, { value: "\ud83d\ude00", tie: 1 }), TEXT, SEQ_TIE)).toBeNull();
  });

  it("refuses ties of the wrong type, unknown enum values and NULL in a column that has none", () => {
    for (const tie of ["not-a-uuid", 42, null, ID.toUpperCase() + "0"])
      expect(refusalOf(b64([SCOPE, "2026-11-22T10:00:00.000Z", tie]), DATE), String(tie)).not.toBeNull();
    expect(refusalOf(b64([SCOPE, "2026-11-22T10:00:00.000Z", ID.toUpperCase()]), DATE)).toBeNull();
    expect(refusalOf(b64([SCOPE, "D", ID]), STATUS)).not.toBeNull();
    expect(refusalOf(b64([SCOPE, null, ID]), STATUS)).not.toBeNull();
    expect(refusalOf(b64([SCOPE, null, ID]), ENDED)).toBeNull();
  });

  it("never throws anything but a 400, whatever the text", () => {
    const fields = [DATE, ENDED, INT, TEXT, STATUS];
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom(...fields), fc.boolean(), (text, field, uuid) => {
        refusalOf(text, field, uuid ? UUID_TIE : SEQ_TIE);
      }),
    );
    fc.assert(
      fc.property(
        fc.tuple(fc.constantFrom(SCOPE, "x"), fc.jsonValue(), fc.jsonValue()),
        fc.constantFrom(...fields),
        fc.boolean(),
        (triple, field, uuid) => {
          const tie = uuid ? UUID_TIE : SEQ_TIE;
          if (refusalOf(b64(triple), field, tie) === null) {
            // accepted: it is exactly what a cursor of this list could hold
            expect(triple[0]).toBe(SCOPE);
            if (triple[1] === null) expect(field.nullable).toBe(true);
          }
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Conditions and orders
// ---------------------------------------------------------------------------------------------

describe("orderBy and keysetWhere", () => {
  it("orders NULLs last in ASC and first in DESC, the tie in the same direction", () => {
    expect(orderBy(ENDED, UUID_TIE, "desc")).toEqual([{ endedAt: { sort: "desc", nulls: "first" } }, { id: "desc" }]);
    expect(orderBy(ENDED, UUID_TIE, "asc")).toEqual([{ endedAt: { sort: "asc", nulls: "last" } }, { id: "asc" }]);
    expect(orderBy(DATE, UUID_TIE, "asc")).toEqual([{ createdAt: "asc" }, { id: "asc" }]);
    // sorting by the tie itself: one key
    expect(orderBy({ column: "sequence", nullable: false, kind: "int" }, SEQ_TIE, "desc")).toEqual([
      { sequence: "desc" },
    ]);
  });

  it("after a NULL: ASC sees only NULLs with a later tie, DESC the later NULLs and every value", () => {
    expect(keysetWhere(ENDED, UUID_TIE, "asc", { value: null, tie: "x" })).toEqual({ endedAt: null, id: { gt: "x" } });
    expect(keysetWhere(ENDED, UUID_TIE, "desc", { value: null, tie: "x" })).toEqual({
      OR: [{ endedAt: null, id: { lt: "x" } }, { endedAt: { not: null } }],
    });
  });

  it("after a value: ASC of a nullable column includes the NULLs that follow; DESC bounds the scan", () => {
    const d = "2026-01-01T00:00:00.000Z";
    expect(keysetWhere(ENDED, UUID_TIE, "asc", { value: d, tie: "x" })).toEqual({
      OR: [{ endedAt: { gt: new Date(d) } }, { endedAt: new Date(d), id: { gt: "x" } }, { endedAt: null }],
    });
    // no NULL follows a value in DESC; the redundant bound lets the index scan start at the cursor
    expect(keysetWhere(ENDED, UUID_TIE, "desc", { value: d, tie: "x" })).toEqual({
      AND: [
        { endedAt: { lte: new Date(d) } },
        { OR: [{ endedAt: { lt: new Date(d) } }, { endedAt: new Date(d), id: { lt: "x" } }] },
      ],
    });
    expect(keysetWhere(INT, SEQ_TIE, "asc", { value: 3, tie: 9 })).toEqual({
      AND: [
        { totalObjectErrors: { gte: 3 } },
        { OR: [{ totalObjectErrors: { gt: 3 } }, { totalObjectErrors: 3, sequence: { gt: 9 } }] },
      ],
    });
  });

  it("compares enums by declaration order, with the values listed", () => {
    expect(keysetWhere(STATUS, UUID_TIE, "asc", { value: "B", tie: "x" })).toEqual({
      AND: [{ status: { in: ["B", "C"] } }, { OR: [{ status: { in: ["C"] } }, { status: "B", id: { gt: "x" } }] }],
    });
    expect(keysetWhere(STATUS, UUID_TIE, "desc", { value: "B", tie: "x" })).toEqual({
      AND: [{ status: { in: ["A", "B"] } }, { OR: [{ status: { in: ["A"] } }, { status: "B", id: { lt: "x" } }] }],
    });
    expect(keysetWhere(STATUS, UUID_TIE, "desc", { value: "A", tie: "x" })).toEqual({
      AND: [{ status: { in: ["A"] } }, { OR: [{ status: { in: [] } }, { status: "A", id: { lt: "x" } }] }],
    });
  });

  it("sorting by the tie column seeks on the tie alone", () => {
    const seq: KeysetField = { column: "sequence", nullable: false, kind: "int" };
    expect(keysetWhere(seq, SEQ_TIE, "asc", { value: 5, tie: 5 })).toEqual({ sequence: { gt: 5 } });
    expect(keysetWhere(seq, SEQ_TIE, "desc", { value: 5, tie: 5 })).toEqual({ sequence: { lt: 5 } });
  });
});

// ---------------------------------------------------------------------------------------------
// paginate() against an in-memory source with PostgreSQL's semantics
// ---------------------------------------------------------------------------------------------

/** Orders two non-null column values; enums by their declaration order. */
function compareValues(a: unknown, b: unknown, enumValues?: readonly string[]): number {
  if (enumValues) {
    if (typeof a !== "string" || typeof b !== "string") throw new Error("enum value expected");
    return enumValues.indexOf(a) - enumValues.indexOf(b);
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  throw new Error(`cannot compare ${String(a)} with ${String(b)}`);
}

/** Evaluates the subset of Prisma's where input paginate builds; range operators on enums are an error. */
function matches(row: Row, where: Where, enums: Map<string, readonly string[]>): boolean {
  return Object.entries(where).every(([key, cond]) => {
    if (key === "AND") return (cond as Where[]).every((w) => matches(row, w, enums));
    if (key === "OR") return (cond as Where[]).some((w) => matches(row, w, enums));
    const v = row[key];
    const eq = (x: unknown) => v !== null && compareValues(v, x, enums.get(key)) === 0;
    if (cond === null) return v === null;
    if (cond instanceof Date || typeof cond !== "object") return eq(cond);
    return Object.entries(cond as Where).every(([op, arg]) => {
      if (op === "not") return arg === null ? v !== null : v !== null && !eq(arg);
      if (op === "in") return (arg as unknown[]).some(eq);
      if (enums.has(key)) throw new Error(`range operator ${op} on enum column ${key}`);
      if (v === null) return false;
      const c = compareValues(v, arg);
      if (op === "gt") return c > 0;
      if (op === "gte") return c >= 0;
      if (op === "lt") return c < 0;
      if (op === "lte") return c <= 0;
      throw new Error(`unknown operator ${op}`);
    });
  });
}

/** Sorts by Prisma orderBy entries; a plain direction sorts NULLs as PostgreSQL does (last in ASC). */
function sorter(order: Where[], enums: Map<string, readonly string[]>) {
  return (a: Row, b: Row) => {
    for (const entry of order) {
      const [col, spec] = Object.entries(entry)[0];
      const { sort, nulls } =
        typeof spec === "string"
          ? { sort: spec as Dir, nulls: spec === "asc" ? "last" : "first" }
          : (spec as { sort: Dir; nulls: "first" | "last" });
      const x = a[col];
      const y = b[col];
      if (x === null && y === null) continue;
      if (x === null || y === null) return (x === null) === (nulls === "first") ? -1 : 1;
      const c = compareValues(x, y, enums.get(col));
      if (c !== 0) return sort === "asc" ? c : -c;
    }
    return 0;
  };
}

function memorySource(rows: Row[], enums: Map<string, readonly string[]>) {
  const calls = { findMany: [] as { skip: number; take: number }[], count: [] as (number | undefined)[] };
  const source: PageSource<Row> = {
    async findMany({ where, orderBy: order, skip, take }) {
      calls.findMany.push({ skip, take });
      return rows
        .filter((r) => matches(r, where, enums))
        .sort(sorter(order, enums))
        .slice(skip, skip + take);
    },
    async count({ where, take }) {
      calls.count.push(take);
      return Math.min(take ?? Infinity, rows.filter((r) => matches(r, where, enums)).length);
    },
  };
  return { source, calls };
}

/** The order PostgreSQL gives: the field (NULLs last in ASC, first in DESC), then the tie, both in `dir`. */
function expectedOrder(rows: Row[], field: KeysetField, tie: Tie, dir: Dir): Row[] {
  const sign = dir === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[field.column];
    const y = b[field.column];
    if (x === null && y !== null) return sign;
    if (y === null && x !== null) return -sign;
    if (x !== null && y !== null) {
      const c = compareValues(x, y, field.enumValues);
      if (c !== 0) return sign * c;
    }
    return sign * compareValues(a[tie.column], b[tie.column]);
  });
}

const DATES = [
  "1970-01-01T00:00:00.000Z",
  "2026-11-22T10:00:00.000Z",
  "2026-11-22T10:00:00.001Z",
  "9999-12-31T00:00:00.000Z",
];
const TEXTS = ["", "A", "a", "Zoë", "ä", "b b", "😀"];

function valueArb(field: KeysetField): fc.Arbitrary<unknown> {
  const base =
    field.kind === "date"
      ? fc.constantFrom(...DATES).map((d) => new Date(d))
      : field.kind === "int"
        ? fc.integer({ min: -3, max: 3 })
        : field.kind === "enum"
          ? fc.constantFrom(...(field.enumValues ?? []))
          : fc.constantFrom(...TEXTS);
  return field.nullable ? fc.oneof(base, fc.constant(null)) : base;
}

/**
 * One list per kind of column the lists sort by (the lists' own definitions are private to
 * lib/repo): dates, ints, text and enums, with and without NULLs, with a uuid or an int tie, and
 * sorting by the tie itself.
 */
const FIELDS: Record<string, KeysetField> = {
  created: { column: "createdAt", nullable: false, kind: "date" },
  ended: { column: "endedAt", nullable: true, kind: "date" },
  duration: { column: "executionTimeMs", nullable: true, kind: "int" },
  errors: { column: "totalObjectErrors", nullable: false, kind: "int" },
  name: { column: "name", nullable: false, kind: "string" },
  displayName: { column: "displayName", nullable: true, kind: "string" },
  status: { column: "status", nullable: false, kind: "enum", enumValues: ACTIVITY_STATUSES },
  errorType: { column: "errorType", nullable: true, kind: "enum", enumValues: ERROR_TYPES },
  sequence: { column: "sequence", nullable: false, kind: "int" },
};
const LISTS: ListDef<string>[] = [
  { name: "activities", sorts: FIELDS, tie: UUID_TIE },
  { name: "items", sorts: FIELDS, tie: SEQ_TIE },
];

const FRESH: Counting = { cap: 1000, cache: "fresh" };
const NONE: Counting = { cap: 10, cache: "none" };
const query = (sort: string, order: Dir, pageSize: number, extra: Partial<PageQuery<string>> = {}) => ({
  sort,
  order,
  page: 1,
  pageSize,
  ...extra,
});

async function walk(source: PageSource<Row>, list: ListDef<string>, sort: string, order: Dir, size: number) {
  const seen: Row[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await paginate(source, list, {}, query(sort, order, size, { cursor }), FRESH);
    seen.push(...page.rows);
    expect(page.cursorUsed).toBe(Boolean(cursor));
    expect(page.hasMore).toBe(page.nextCursor !== null);
    if (!page.nextCursor) return seen;
    expect(page.rows).toHaveLength(size);
    cursor = page.nextCursor;
  }
  throw new Error("paging did not end");
}

describe("paginate", () => {
  it("following nextCursor visits every row once, in PostgreSQL's order, for every kind of column and direction", async () => {
    for (const list of LISTS)
      for (const [sort, field] of Object.entries(list.sorts)) {
        const enums = new Map(field.enumValues ? [[field.column, field.enumValues]] : []);
        await fc.assert(
          fc.asyncProperty(
            fc.uniqueArray(fc.uuid(), { minLength: 0, maxLength: 25 }),
            fc.constantFrom<Dir>("asc", "desc"),
            fc.integer({ min: 1, max: 6 }),
            fc.infiniteStream(valueArb(field)),
            async (ids, dir, size, values) => {
              const rows = ids.map((id, i) => {
                const row: Row = { id: id.toLowerCase(), sequence: i * 7 - 40 };
                if (field.column !== "sequence") row[field.column] = values.next().value;
                return row;
              });
              const { source } = memorySource(rows, enums);
              const expected = expectedOrder(rows, field, list.tie, dir);
              expect(await walk(source, list, sort, dir, size), `${list.name}:${sort}:${dir}`).toEqual(expected);
              // offset paging agrees with the same order
              const second = await paginate(source, list, {}, query(sort, dir, size, { page: 2 }), NONE);
              expect(second.rows).toEqual(expected.slice(size, 2 * size));
            },
          ),
          { numRuns: 25 },
        );
      }
  });

  it("a cursor is valid only for the list, sort and order that made it", async () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({
      id: `00000000-0000-4000-8000-00000000000${i}`,
      sequence: i,
      createdAt: new Date(Date.UTC(2026, 0, i + 1)),
      name: `n${i}`,
    }));
    const { source } = memorySource(rows, new Map());
    const [activities, items] = LISTS;
    const first = await paginate(source, activities, {}, query("created", "desc", 2), NONE);
    expect(first.nextCursor).not.toBeNull();
    const cursor = first.nextCursor!;
    // the same list, sort and order accept it
    await paginate(source, activities, {}, query("created", "desc", 2, { cursor }), NONE);
    for (const [list, sort, order] of [
      [activities, "created", "asc"],
      [activities, "name", "desc"],
      [items, "created", "desc"],
    ] as const) {
      const e = await paginate(source, list, {}, query(sort, order, 2, { cursor }), NONE).catch((x) => x);
      expect(e, `${list.name}:${sort}:${order}`).toBeInstanceOf(BadRequestError);
    }
  });

  it("counts up to the cap, says when it was capped, and skips counting for exports", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    }));
    const list: ListDef<string> = {
      name: "t",
      sorts: { id: { column: "id", nullable: false, kind: "string" } },
      tie: UUID_TIE,
    };
    const { source, calls } = memorySource(rows, new Map());
    const q = query("id", "asc", 10);
    const capped = await paginate(source, list, {}, q, { cap: 20, cache: "fresh" });
    expect(calls.count).toEqual([21]);
    expect([capped.total, capped.hasMore]).toEqual([{ count: 20, status: "atLeast" }, true]);
    const exact = await paginate(source, list, {}, q, { cap: 30, cache: "fresh" });
    expect(exact.total).toEqual({ count: 30, status: "exact" });
    const asked = await paginate(source, list, {}, { ...q, count: "exact" }, { cap: 20, cache: "fresh" });
    expect(asked.total, "count=exact counts past the cap").toEqual({ count: 30, status: "exact" });
    expect(calls.count.at(-1)).toBeUndefined();
    const none = await paginate(source, list, {}, q, { cap: 30, cache: "none" });
    expect(none.total).toEqual({ count: null, status: "unknown" });
    expect(calls.count).toHaveLength(3);
    const last = await paginate(source, list, {}, { ...q, page: 3 }, NONE);
    expect([last.rows.length, last.hasMore, last.nextCursor]).toEqual([10, false, null]);
  });

  it("a count that overruns its budget says unknown at once (never a bound posing as a total), and the exact count to the next request", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    }));
    const list: ListDef<string> = {
      name: `slow-count-${Date.now()}`,
      sorts: { id: { column: "id", nullable: false, kind: "string" } },
      tie: UUID_TIE,
    };
    const { source: fast, calls } = memorySource(rows, new Map());
    const slow: PageSource<Row> = {
      findMany: fast.findMany,
      count: async (args) => {
        await new Promise((r) => setTimeout(r, 150));
        return fast.count(args);
      },
    };
    const counting: Counting = { cap: 1000, cache: "cached", budgetMs: 20 };
    const started = performance.now();
    const first = await paginate(slow, list, {}, query("id", "asc", 10), counting);
    expect(performance.now() - started).toBeLessThan(140);
    expect([first.rows.length, first.total, first.hasMore]).toEqual([10, { count: null, status: "unknown" }, true]);
    const lastPage = await paginate(slow, list, {}, query("id", "asc", 10, { page: 3 }), counting);
    expect(lastPage.total, "the last page knows the total without the count").toEqual({ count: 30, status: "exact" });
    await new Promise((r) => setTimeout(r, 200));
    const next = await paginate(slow, list, {}, query("id", "asc", 10), counting);
    expect(next.total).toEqual({ count: 30, status: "exact" });
    expect(calls.count, "one count, shared by the requests that overlapped it").toHaveLength(1);
  });

  it("a page past the end waits for the count (it has nothing else to say), and count=exact ignores the budget", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    }));
    const list: ListDef<string> = {
      name: `slow-past-end-${Date.now()}`,
      sorts: { id: { column: "id", nullable: false, kind: "string" } },
      tie: UUID_TIE,
    };
    const { source: fast } = memorySource(rows, new Map());
    const slow: PageSource<Row> = {
      findMany: fast.findMany,
      count: async (args) => {
        await new Promise((r) => setTimeout(r, 80));
        return fast.count(args);
      },
    };
    const counting: Counting = { cap: 1000, cache: "cached", budgetMs: 10 };
    const past = await paginate(slow, list, {}, query("id", "asc", 10, { page: 9 }), counting);
    expect([past.rows.length, past.total]).toEqual([0, { count: 30, status: "exact" }]);
    const other = { ...list, name: `${list.name}-exact` };
    const exact = await paginate(slow, other, {}, { ...query("id", "asc", 10), count: "exact" }, counting);
    expect(exact.total).toEqual({ count: 30, status: "exact" });
  });

  it("states a total only when it is known", () => {
    const page = { cursor: false, skip: 0, rows: 10, hasMore: true };
    expect(totalOf(12, 100, page)).toEqual({ count: 12, status: "exact" });
    expect(totalOf(101, 100, page)).toEqual({ count: 100, status: "atLeast" });
    expect(totalOf(null, 100, page)).toEqual({ count: null, status: "unknown" });
    expect(totalOf(null, 100, { ...page, hasMore: false })).toEqual({ count: 10, status: "exact" });
    expect(totalOf(null, 100, { ...page, skip: 20, hasMore: false })).toEqual({ count: 30, status: "exact" });
    expect(
      totalOf(null, 100, { ...page, cursor: true, hasMore: false }),
      "a cursor page does not know what came before",
    ).toEqual({ count: null, status: "unknown" });
    expect(totalOf(null, 100, { ...page, skip: 20, rows: 0, hasMore: false })).toEqual({
      count: null,
      status: "unknown",
    });
    expect(totalOf(null, 100, { ...page, rows: 0, hasMore: false })).toEqual({ count: 0, status: "exact" });
  });

  it("refuses offset pages deeper than 1,000,000 rows, pointing to the cursor", async () => {
    expect(MAX_OFFSET_ROWS).toBe(1_000_000);
    const { source, calls } = memorySource([], new Map());
    const list = LISTS[0];
    const e = await paginate(source, list, {}, query("created", "desc", 25, { page: 40_001 }), NONE).catch((x) => x);
    expect(asSyncwatchError(e)?.code).toBe("BAD_REQUEST");
    expect(e.message).toMatch(/nextCursor/);
    expect(e.details).toEqual([{ path: "page", message: "page × pageSize must be at most 1000000" }]);
    expect(calls.findMany).toEqual([]);
    // exactly at the limit it is served
    await paginate(source, list, {}, query("created", "desc", 25, { page: 40_000 }), NONE);
    expect(calls.findMany).toEqual([{ skip: 999_975, take: 26 }]);
    // with a cursor the page number is ignored: any depth
    const cursor = encodeCursor("activities:created:desc", { value: "2026-11-22T10:00:00.000Z", tie: ID });
    const deep = await paginate(source, list, {}, query("created", "desc", 25, { page: 1_000_000, cursor }), NONE);
    expect(deep.cursorUsed).toBe(true);
    expect(calls.findMany.at(-1)).toEqual({ skip: 0, take: 26 });
  });

  it("a tampered cursor is a 400 before anything is read", async () => {
    const { source, calls } = memorySource([], new Map());
    const cursor = encodeCursor("activities:created:desc", { value: "0000-01-01T00:00:00.000Z", tie: ID });
    const e = await paginate(source, LISTS[0], {}, query("created", "desc", 25, { cursor }), FRESH).catch((x) => x);
    expect(e).toBeInstanceOf(BadRequestError);
    expect(calls).toEqual({ findMany: [], count: [] });
  });
});
