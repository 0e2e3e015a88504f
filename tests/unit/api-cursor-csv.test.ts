import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "@/lib/http/cursor";
import { csvField, csvRow } from "@/lib/http/csv";
import { keysetWhere, orderBy, validCursorValue } from "@/lib/repo/keyset";

describe("keyset cursors", () => {
  it("round-trip sort key, value and tie-breaker as base64url", () => {
    for (const c of [
      { key: "a:created:desc", value: "2026-11-22T10:00:00.000Z", tie: "01a2-x" },
      { key: "i:displayName:asc", value: null, tie: 42 },
      { key: "a:errors:asc", value: 7, tie: "id" },
      { key: "i:displayName:asc", value: 'Zoë "quoted", ünïcode/+=', tie: 3 },
    ]) {
      const text = encodeCursor(c);
      expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(text)).toEqual(c);
    }
  });

  it("rejects junk", () => {
    for (const bad of [
      "",
      "%%%",
      "abc",
      Buffer.from("[1,2,3]").toString("base64url"),
      Buffer.from('["k",{},1]').toString("base64url"),
      Buffer.from('{"a":1}').toString("base64url"),
    ])
      expect(decodeCursor(bad)).toBeNull();
  });

  it("checks cursor values against the field type", () => {
    expect(validCursorValue({ column: "createdAt", nullable: false, kind: "date" }, "2026-01-01T00:00:00Z")).toBe(true);
    expect(validCursorValue({ column: "createdAt", nullable: false, kind: "date" }, "soon")).toBe(false);
    expect(validCursorValue({ column: "createdAt", nullable: false, kind: "date" }, null)).toBe(false);
    expect(validCursorValue({ column: "endedAt", nullable: true, kind: "date" }, null)).toBe(true);
    expect(validCursorValue({ column: "status", nullable: false, kind: "enum", enumValues: ["A", "B"] }, "C")).toBe(
      false,
    );
    expect(validCursorValue({ column: "n", nullable: false, kind: "number" }, 1.5)).toBe(false);
  });

  it("builds seek conditions that follow PostgreSQL's NULL ordering", () => {
    const ended = { column: "endedAt", nullable: true, kind: "date" as const };
    expect(orderBy(ended, "id", "desc")).toEqual([{ endedAt: { sort: "desc", nulls: "first" } }, { id: "desc" }]);
    expect(orderBy(ended, "id", "asc")).toEqual([{ endedAt: { sort: "asc", nulls: "last" } }, { id: "asc" }]);
    expect(keysetWhere(ended, "id", "asc", null, "x")).toEqual({ endedAt: null, id: { gt: "x" } });
    expect(keysetWhere(ended, "id", "desc", null, "x")).toEqual({
      OR: [{ endedAt: null, id: { lt: "x" } }, { endedAt: { not: null } }],
    });
    const d = "2026-01-01T00:00:00.000Z";
    expect(keysetWhere(ended, "id", "asc", d, "x")).toEqual({
      OR: [{ endedAt: { gt: new Date(d) } }, { endedAt: new Date(d), id: { gt: "x" } }, { endedAt: null }],
    });
    // after a non-NULL value in DESC no NULL follows; the bound lets the index scan start at the cursor
    expect(keysetWhere(ended, "id", "desc", d, "x")).toEqual({
      AND: [
        { endedAt: { lte: new Date(d) } },
        { OR: [{ endedAt: { lt: new Date(d) } }, { endedAt: new Date(d), id: { lt: "x" } }] },
      ],
    });
    const status = { column: "status", nullable: false, kind: "enum" as const, enumValues: ["A", "B", "C"] };
    expect(keysetWhere(status, "id", "asc", "B", "x")).toEqual({
      AND: [{ status: { in: ["B", "C"] } }, { OR: [{ status: { in: ["C"] } }, { status: "B", id: { gt: "x" } }] }],
    });
    expect(keysetWhere(status, "id", "desc", "B", "x")).toEqual({
      AND: [{ status: { in: ["A", "B"] } }, { OR: [{ status: { in: ["A"] } }, { status: "B", id: { lt: "x" } }] }],
    });
    expect(keysetWhere({ column: "sequence", nullable: false, kind: "number" }, "sequence", "asc", 5, 5)).toEqual({
      sequence: { gt: 5 },
    });
  });
});

describe("CSV escaping", () => {
  it("quotes commas, quotes and line breaks; doubles quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField(12)).toBe("12");
    expect(csvField(new Date("2026-01-02T03:04:05.000Z"))).toBe("2026-01-02T03:04:05.000Z");
  });

  it("neutralises spreadsheet formulas", () => {
    expect(csvField("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("@x")).toBe("'@x");
    expect(csvField("-2,3")).toBe(`"'-2,3"`);
  });

  it("ends rows with CRLF", () => {
    expect(csvRow(["a", null, 'b"c'])).toBe('a,,"b""c"\r\n');
  });
});
