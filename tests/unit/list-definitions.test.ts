/**
 * The lists' definitions (lib/client/lists/define-list.ts): each list's URL state round-trips in
 * the API's own names (the item grid's prefixed "i."), "clear filters" clears the filters and the
 * paging but not the sort, and "filtered" means what each list has always meant.
 */
import { createLoader } from "nuqs";
import { describe, expect, it } from "vitest";
import { activityList, activityListParsers } from "@/lib/client/list-params";
import { checkRange, failureList, failureParsers, filterQuery } from "@/components/failures/failure-params";
import { itemList, itemParsers } from "@/components/execution-items/item-list";
import { toggled } from "@/lib/client/lists/define-list";
import { fromLocalInput, toLocalInput } from "@/lib/client/format";

const activityDefaults = createLoader(activityListParsers)("");
const failureDefaults = createLoader(failureParsers)("");
const itemDefaults = createLoader(itemParsers, { urlKeys: itemList.urlKeys })("");

describe("the activity list's definition", () => {
  it("round-trips its state through the URL in the API's names", () => {
    const state = {
      ...activityDefaults,
      status: ["Complete" as const, "FailedWithError" as const],
      connectedSystemId: 3,
      search: "Delta",
      topLevelOnly: false,
      hasErrors: true,
      page: 2,
    };
    const query = activityList.serialize(state);
    expect(query).toBe(
      "?status=Complete,FailedWithError&connectedSystemId=3&search=Delta&topLevelOnly=false&hasErrors=true&page=2",
    );
    expect(createLoader(activityListParsers)(query)).toEqual(state);
  });

  it("counts every filter, not the sort or the paging", () => {
    expect(activityList.hasFilters(activityDefaults)).toBe(false);
    expect(activityList.hasFilters({ ...activityDefaults, sort: "name", order: "asc", page: 3, pageSize: 100 })).toBe(
      false,
    );
    expect(activityList.hasFilters({ ...activityDefaults, runType: ["FullImport"] })).toBe(true);
    expect(activityList.hasFilters({ ...activityDefaults, topLevelOnly: false })).toBe(true);
    expect(activityList.hasFilters({ ...activityDefaults, hasErrors: false })).toBe(true);
    expect(activityList.hasFilters({ ...activityDefaults, range: "24h" })).toBe(true);
    expect(activityList.hasFilters({ ...activityDefaults, search: "x" })).toBe(true);
  });

  it("clears the filters and the page, keeping the sort and the page size", () => {
    expect(activityList.clear).toEqual({
      status: null,
      runType: null,
      targetType: null,
      connectedSystemId: null,
      runProfileId: null,
      scheduleId: null,
      initiatorType: null,
      initiatorName: null,
      search: null,
      range: null,
      from: null,
      to: null,
      topLevelOnly: null,
      hasErrors: null,
      page: null,
    });
    expect(activityList.reset).toEqual({ page: null });
  });
});

describe("the failures page's definition", () => {
  it("round-trips its state, the groups' paging under g.", () => {
    const state = {
      ...failureDefaults,
      state: ["Open" as const, "Recovered" as const],
      errorType: ["UnhandledError" as const],
      connectedSystemId: [1, 2],
      range: "30d" as const,
      "g.page": 2,
    };
    const query = failureList.serialize(state);
    expect(query).toBe("?state=Open,Recovered&errorType=UnhandledError&connectedSystemId=1,2&range=30d&g.page=2");
    expect(createLoader(failureParsers)(query)).toEqual(state);
  });

  it("is filtered by anything but Open and the time range", () => {
    expect(failureList.hasFilters(failureDefaults)).toBe(false);
    expect(failureList.hasFilters({ ...failureDefaults, range: "90d", from: "2026-01-01" })).toBe(false);
    expect(failureList.hasFilters({ ...failureDefaults, state: ["Open", "Recovered"] })).toBe(true);
    expect(failureList.hasFilters({ ...failureDefaults, state: ["Recovered"] })).toBe(true);
    expect(failureList.hasFilters({ ...failureDefaults, objectType: ["user"] })).toBe(true);
    expect(failureList.hasFilters({ ...failureDefaults, search: "ann" })).toBe(true);
    expect(failureList.hasFilters({ ...failureDefaults, activityId: ["0190c0de-0000-7000-8000-000000000001"] })).toBe(
      true,
    );
    expect(failureList.hasFilters({ ...failureDefaults, template: "Timeout after {number} seconds" })).toBe(true);
  });

  it("keeps a template whole in the URL, commas, braces and all", () => {
    const template = "HTTP 403 Forbidden: Operation against {table} is not allowed by ACL ({op}, {field})";
    const state = { ...failureDefaults, errorType: ["ExportConfirmationFailed" as const], template };
    const query = failureList.serialize(state);
    expect(createLoader(failureParsers)(query)).toEqual(state);
    expect(filterQuery(state, checkRange(state)).template).toBe(template);
    expect(filterQuery(failureDefaults, checkRange(failureDefaults)).template).toBeUndefined();
  });

  it("clears the filters (the range too) and both tables' page", () => {
    expect(Object.keys(failureList.clear)).toEqual([
      "state",
      "errorType",
      "connectedSystemId",
      "objectType",
      "search",
      "activityId",
      "template",
      "range",
      "from",
      "to",
      "page",
      "g.page",
    ]);
    expect(failureList.reset).toEqual({ page: null, "g.page": null });
  });
});

describe("the item grid's definition", () => {
  it("round-trips its state under i.<API name>", () => {
    const state = { ...itemDefaults, errorType: ["any" as const], recurrence: ["New" as const], item: "42", page: 3 };
    const query = itemList.serialize(state);
    expect(query).toBe("?i.page=3&i.errorType=any&i.recurrence=New&i.item=42");
    expect(createLoader(itemParsers, { urlKeys: itemList.urlKeys })(query)).toEqual(state);
  });

  it("is filtered by a chip or a search, not by spaces, the sort or the open item", () => {
    expect(itemList.hasFilters(itemDefaults)).toBe(false);
    expect(itemList.hasFilters({ ...itemDefaults, search: "   ", item: "7", sort: "displayName" })).toBe(false);
    expect(itemList.hasFilters({ ...itemDefaults, search: " a " })).toBe(true);
    expect(itemList.hasFilters({ ...itemDefaults, changeType: ["Add"] })).toBe(true);
  });

  it("clears the chips, the search and the page; the sort and the open item stay", () => {
    expect(itemList.clear).toEqual({
      errorType: null,
      changeType: null,
      objectType: null,
      recurrence: null,
      search: null,
      page: null,
    });
  });
});

describe("list helpers", () => {
  it("toggles a chip's value", () => {
    expect(toggled(["a", "b"], "a")).toEqual(["b"]);
    expect(toggled(["b"], "a")).toEqual(["b", "a"]);
  });

  it("turns date-time inputs into ISO and back in the viewer's zone", () => {
    const iso = fromLocalInput("2026-03-04T05:06");
    expect(iso).toBe(new Date("2026-03-04T05:06").toISOString());
    expect(toLocalInput(iso)).toBe("2026-03-04T05:06");
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("not a date")).toBeNull();
    expect(toLocalInput(null)).toBe("");
    expect(toLocalInput("nope")).toBe("");
  });
});
