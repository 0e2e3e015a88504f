import { describe, expect, it } from "vitest";
import { countNoun, formatTotal, isEmpty, isPastEnd, knownTotal } from "@/lib/client/counts";

const page = (over: Partial<Parameters<typeof knownTotal>[0]>) => ({
  totalCount: null,
  countStatus: "unknown" as const,
  hasNextPage: false,
  items: [],
  ...over,
});

describe("what a page says of its total", () => {
  it("an exact count is the total", () => {
    const t = knownTotal(page({ totalCount: 1234, countStatus: "exact" }), 1, 25);
    expect([formatTotal(t), countNoun(t, "activity", "activities")]).toEqual(["1,234", "1,234 activities"]);
    expect(countNoun(knownTotal(page({ totalCount: 1, countStatus: "exact" }), 1, 25), "object", "objects")).toBe(
      "1 object",
    );
  });

  it("a count past the cap is a lower bound, said with a plus, and has no last page", () => {
    const t = knownTotal(page({ totalCount: 10_000, countStatus: "atLeast", hasNextPage: true }), 500, 25);
    expect(formatTotal(t)).toBe("10,000+");
    expect(isPastEnd(500, 25, t), "page 500 of an open-ended list is not past its end").toBe(false);
  });

  it("a count still being made says the rows up to this page, with a plus, never a total", () => {
    const items = Array.from({ length: 25 }, (_, i) => i);
    const t = knownTotal(page({ hasNextPage: true, items }), 2, 25);
    expect([formatTotal(t), countNoun(t, "activity", "activities")]).toEqual(["50+", "50+ activities"]);
    expect(isEmpty(t)).toBe(false);
    expect(countNoun(knownTotal(page({ items: [1] }), 1, 25), "object", "objects"), "never singular").toBe(
      "1+ objects",
    );
  });

  it("only an exact count says a list is empty or a page past its end", () => {
    expect(isEmpty(knownTotal(page({ totalCount: 0, countStatus: "exact" }), 1, 25))).toBe(true);
    expect(isEmpty(knownTotal(page({}), 3, 25))).toBe(false);
    expect(isPastEnd(3, 25, knownTotal(page({ totalCount: 30, countStatus: "exact" }), 3, 25))).toBe(true);
    expect(isPastEnd(2, 25, knownTotal(page({ totalCount: 30, countStatus: "exact" }), 2, 25))).toBe(false);
  });
});
