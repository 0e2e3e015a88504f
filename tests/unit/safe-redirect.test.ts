/**
 * The sign-in page's `next` (lib/client/safe-redirect.ts): same-origin paths only. Each variant is
 * also resolved the way a browser resolves a relative URL, to show where it would really go.
 */
import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/client/safe-redirect";

const ORIGIN = "https://dash.example.com";
/** Where a browser on ORIGIN would go after router.replace(value). */
const landsOn = (value: string) => new URL(value, `${ORIGIN}/sign-in`).origin;

/** As the page reads them: URLSearchParams has already decoded the query string once. */
const HOSTILE_QUERIES = [
  "next=%2F%5Cevil.example",
  "next=%2F%09%2Fevil.example",
  "next=%2F%0A%2Fevil.example",
  "next=%2F%0D%2Fevil.example",
  "next=%2F%2Fevil.example",
  "next=//evil.example",
  "next=%5C%5Cevil.example",
  "next=%2F%5C%5Cevil.example%2Fpath",
  "next=%2F%252F%252Fevil.example",
  "next=%2F%255Cevil.example",
  "next=%252F%252Fevil.example",
  "next=https%3A%2F%2Fevil.example",
  "next=https:evil.example",
  "next=javascript%3Aalert(1)",
  "next=%20%2F%2Fevil.example",
  "next=%2F.%2F%2Fevil.example",
  "next=%2F%2E%2F%2Fevil.example",
  "next=/%09/evil.example",
  "next=%E2%80%AE%2F%2Fevil.example",
  "next=evil.example",
  "next=",
  "next=%2Fsign-in",
];

describe("safeNextPath", () => {
  it("keeps same-origin paths with their query and fragment", () => {
    expect(safeNextPath("/")).toBe("/");
    expect(safeNextPath("/activities/0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00?i.page=2#items")).toBe(
      "/activities/0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00?i.page=2#items",
    );
    expect(safeNextPath("/?search=a%2Fb&status=Complete")).toBe("/?search=a%2Fb&status=Complete");
    expect(safeNextPath("/?search=back%5Cslash")).toBe("/?search=back%5Cslash");
    expect(safeNextPath("/failures")).toBe("/failures");
  });

  it("sends every hostile variant to / (and nowhere off the origin)", () => {
    for (const query of HOSTILE_QUERIES) {
      const next = new URLSearchParams(query).get("next");
      const safe = safeNextPath(next);
      expect(safe, query).toBe("/");
      expect(landsOn(safe), query).toBe(ORIGIN);
      // Without the sanitiser most of these would have left: the check above is not vacuous.
    }
    const unsafe = HOSTILE_QUERIES.map((q) => new URLSearchParams(q).get("next")!).filter(
      (n) => n && landsOn(n) !== ORIGIN,
    );
    expect(unsafe.length).toBeGreaterThanOrEqual(8);
  });

  it("refuses what is not a string of a sane length", () => {
    expect(safeNextPath(null)).toBe("/");
    expect(safeNextPath(undefined)).toBe("/");
    expect(safeNextPath("/" + "a".repeat(5000))).toBe("/");
  });
});
