/** Old links keep working: the list's short keys and the item grid's "item…" keys map once, at the edge. */
import { describe, expect, it } from "vitest";
import { translateLegacyItemQuery, translateLegacyListQuery } from "@/lib/client/legacy-links";

describe("legacy links", () => {
  it("maps the list's old short keys to the API's names", () => {
    const next = translateLegacyListQuery(
      new URLSearchParams("q=Delta&errors=1&topLevel=0&cs=3&page=1&status=Complete"),
    );
    expect(Object.fromEntries(next)).toEqual({
      search: "Delta",
      hasErrors: "true",
      topLevelOnly: "false",
      connectedSystemId: "3",
      status: "Complete",
    });
  });

  it("maps the item grid's old keys to i.<API name>, keeping the rest and never overriding a new key", () => {
    const next = translateLegacyItemQuery(
      new URLSearchParams("itemPageSize=100&itemErrorType=any&item=42&i.page=2&itemPage=7&tab=x"),
    );
    expect(Object.fromEntries(next)).toEqual({
      "i.pageSize": "100",
      "i.errorType": "any",
      "i.item": "42",
      "i.page": "2",
      tab: "x",
    });
  });
});
