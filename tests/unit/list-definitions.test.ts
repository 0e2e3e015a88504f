/**
 * The lists' definitions (lib/client/lists/define-list.ts): each list's URL state round-trips in
 * the API's own names (the item grid's prefixed "i."), "clear filters" clears the filters and the
 * paging but not the sort, and "filtered" means what each list has always meant.
 */
import { createLoader } from "nuqs";
import { describe, expect, it } from "vitest";
import { activityList, activityListParsers, includesSteps, listApiQuery } from "@/lib/client/list-params";
import { checkRange, failureList, failureParsers, filterQuery } from "@/components/failures/failure-params";
import { itemList, itemParsers } from "@/components/execution-items/item-list";
import { CHOICE_FILTERS, TARGET_TYPE_FILTER } from "@/lib/client/list-params";
import { choiceChips, choiceQuery, offered } from "@/lib/client/lists/choices";
import { ITEM_CHOICES, itemFilterQuery } from "@/components/execution-items/item-list";
import { chooseRange, lastNight, rangeChoice } from "@/lib/client/lists/time-range";
import { searchProblem } from "@/lib/client/lists/search";
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

describe("steps inside schedules on the activity list", () => {
  const s = (over: Partial<typeof activityDefaults>) => ({ ...activityDefaults, ...over });

  it("are left out by default and included when the filters imply them", () => {
    expect(activityDefaults.topLevelOnly).toBeNull(); // unset: implied, not the API's default written down
    expect(includesSteps(activityDefaults)).toBe(false);
    for (const over of [
      { runProfileId: 7 },
      { connectedSystemId: 3 },
      { runType: ["Export" as const] },
      { hasErrors: true },
      { status: ["FailedWithError" as const] },
      { status: ["FailedWithError" as const, "CompleteWithError" as const] },
    ])
      expect(includesSteps(s(over)), JSON.stringify(over)).toBe(true);
    for (const over of [
      { search: "Delta" },
      { status: ["Complete" as const] },
      { status: ["FailedWithError" as const, "Complete" as const] },
      { hasErrors: false },
      { targetType: ["ConnectedSystemRunProfile" as const] },
    ])
      expect(includesSteps(s(over)), JSON.stringify(over)).toBe(false);
    expect(activityList.isImplied(s({ runProfileId: 7 }), "topLevelOnly")).toBe(true);
  });

  it("follow what the person chose over what the filters imply", () => {
    expect(includesSteps(s({ runProfileId: 7, topLevelOnly: true }))).toBe(false);
    expect(includesSteps(s({ topLevelOnly: false }))).toBe(true);
    expect(activityList.isImplied(s({ runProfileId: 7, topLevelOnly: true }), "topLevelOnly")).toBe(false);
  });

  it("ask the API in its own vocabulary, whose default (true) stays unsaid", () => {
    expect(listApiQuery(activityDefaults).topLevelOnly).toBeUndefined();
    expect(listApiQuery(s({ runProfileId: 7 })).topLevelOnly).toBe("false");
    expect(listApiQuery(s({ runProfileId: 7, topLevelOnly: true })).topLevelOnly).toBeUndefined();
    expect(listApiQuery(s({ topLevelOnly: false })).topLevelOnly).toBe("false");
  });

  it("are written to the URL only when the choice differs from what the filters imply", () => {
    // "Hide steps" on a run profile's runs, then "Show them" again: back to following the filters
    expect(activityList.choose(s({ runProfileId: 7 }), "topLevelOnly", true)).toEqual({ topLevelOnly: true });
    expect(activityList.choose(s({ runProfileId: 7, topLevelOnly: true }), "topLevelOnly", false)).toEqual({
      topLevelOnly: null,
    });
    // "Include schedule steps" without such a filter
    expect(activityList.choose(activityDefaults, "topLevelOnly", false)).toEqual({ topLevelOnly: false });
    expect(activityList.choose(s({ topLevelOnly: false }), "topLevelOnly", true)).toEqual({ topLevelOnly: null });
  });
});

describe("quick filters (presets) add up", () => {
  const failed = { status: ["FailedWithError" as const] };
  const withErrors = { hasErrors: true };
  /** A chip pressed, as the page does it: the patch (and back to page 1) into the URL, read back. */
  const press = (state: typeof activityDefaults, preset: object) =>
    createLoader(activityListParsers)(
      activityList.serialize({ ...state, ...activityList.reset, ...activityList.togglePreset(state, preset) }),
    );

  it("set only their own filter and keep every other one", () => {
    // an export filter, steps shown by the person, then "With errors"
    let state: typeof activityDefaults = {
      ...activityDefaults,
      runType: ["Export"],
      connectedSystemId: 2,
      topLevelOnly: false,
    };
    state = press(state, withErrors);
    expect(activityList.serialize(state)).toBe("?runType=Export&connectedSystemId=2&topLevelOnly=false&hasErrors=true");
    expect(activityList.hasPreset(state, withErrors)).toBe(true);
    state = press(state, failed);
    expect(activityList.serialize(state)).toBe(
      "?status=FailedWithError&runType=Export&connectedSystemId=2&topLevelOnly=false&hasErrors=true",
    );
    expect(activityList.hasPreset(state, failed) && activityList.hasPreset(state, withErrors)).toBe(true);
  });

  it("pressed again, clear only what they set", () => {
    const state = { ...activityDefaults, runProfileId: 4, search: "HR", hasErrors: true, page: 3 };
    expect(activityList.togglePreset(state, withErrors)).toEqual({ hasErrors: null });
    expect(activityList.serialize(press(state, withErrors))).toBe("?runProfileId=4&search=HR");
  });

  it("are on exactly when their filter has their value", () => {
    expect(activityList.hasPreset(activityDefaults, failed)).toBe(false);
    expect(activityList.hasPreset({ ...activityDefaults, status: ["FailedWithError", "Complete"] }, failed)).toBe(
      false,
    );
    expect(activityList.hasPreset({ ...activityDefaults, status: ["FailedWithError"] }, failed)).toBe(true);
    expect(activityList.hasPreset({ ...activityDefaults, hasErrors: false }, withErrors)).toBe(false);
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

describe("multi-valued filters declared in a list's choices", () => {
  it("reach the API query under their own names, with no code per filter", () => {
    const q = listApiQuery({ ...activityDefaults, status: ["Complete"], targetType: ["Schedule"] });
    expect(q).toMatchObject({ status: ["Complete"], runType: [], targetType: ["Schedule"] });
    expect(itemFilterQuery({ ...itemDefaults, objectType: ["person"] })).toMatchObject({
      errorType: [],
      recurrence: [],
      changeType: [],
      objectType: ["person"],
    });
    expect(choiceQuery(CHOICE_FILTERS, activityDefaults)).toEqual({ status: [], runType: [] });
  });

  it("say each chosen value as a removable chip whose patch removes only that value", () => {
    const state = { ...activityDefaults, status: ["Complete" as const, "FailedWithError" as const] };
    const chips = choiceChips({ ...CHOICE_FILTERS, ...TARGET_TYPE_FILTER }, state);
    expect(chips.map((c) => `${c.name}: ${c.value}`)).toEqual(["Status: Complete", "Status: Failed with error"]);
    expect(chips[0].patch).toEqual({ status: ["FailedWithError"] });
    expect(choiceChips(CHOICE_FILTERS, { ...activityDefaults, runType: ["Export"] })[0].patch).toEqual({
      runType: null,
    });
  });

  it("offer what the list counts, the chosen values always, free values sorted", () => {
    const counts = { UnhandledError: 3, none: 9, AmbiguousMatch: 0 };
    expect(offered(ITEM_CHOICES.errorType, [], counts)).toEqual(["UnhandledError"]);
    // in the declared order; "any" is not an error type
    expect(offered(ITEM_CHOICES.errorType, ["UnhandledError", "AmbiguousMatch", "any"], counts)).toEqual([
      "AmbiguousMatch",
      "UnhandledError",
    ]);
    expect(offered(ITEM_CHOICES.objectType, ["group"], { person: 4, device: 0 })).toEqual(["group", "person"]);
  });
});

describe("the time range of every list", () => {
  const at = (local: string) => new Date(local);
  const presets = { "24h": 86_400_000, "7d": 7 * 86_400_000 };

  it("takes last night as yesterday 18:00 to today 06:00 in the viewer's zone, morning or evening", () => {
    const night = { from: at("2026-12-05T18:00").toISOString(), to: at("2026-12-06T06:00").toISOString() };
    expect(lastNight(at("2026-12-06T08:30"))).toEqual(night);
    expect(lastNight(at("2026-12-06T02:10"))).toEqual(night);
    expect(lastNight(at("2026-12-06T21:45"))).toEqual(night);
    // the first of the month: yesterday is in the previous month
    expect(lastNight(at("2027-01-01T09:00"))).toEqual({
      from: at("2026-12-31T18:00").toISOString(),
      to: at("2027-01-01T06:00").toISOString(),
    });
  });

  it("writes last night as a custom range, and shows it as last night while it is", () => {
    const now = at("2026-12-06T08:30");
    const chosen = chooseRange({ range: "24h", from: null, to: null }, "night", presets, "", now);
    expect(chosen).toEqual({ range: "custom", ...lastNight(now) });
    expect(rangeChoice(chosen, "", now)).toBe("night");
    // the next morning the same link is the night it named: a custom range
    expect(rangeChoice(chosen, "", at("2026-12-07T08:30"))).toBe("custom");
  });

  it("starts a custom range as the preset it replaces, and leaves the fallback preset unsaid", () => {
    const now = at("2026-12-06T08:30");
    expect(chooseRange({ range: "24h", from: null, to: null }, "custom", presets, "", now)).toEqual({
      range: "custom",
      from: new Date(now.getTime() - 86_400_000).toISOString(),
      to: now.toISOString(),
    });
    // no range on the Failures page is the last 7 days
    expect(rangeChoice({ range: null, from: null, to: null }, "7d")).toBe("7d");
    expect(chooseRange({ range: null, from: null, to: null }, "custom", presets, "7d", now).from).toBe(
      new Date(now.getTime() - 7 * 86_400_000).toISOString(),
    );
    expect(chooseRange({ range: "24h", from: null, to: null }, "7d", presets, "7d")).toEqual({
      range: null,
      from: null,
      to: null,
    });
    expect(chooseRange({ range: "custom", from: "x", to: null }, "", presets)).toEqual({
      range: null,
      from: null,
      to: null,
    });
    // dates without a range are a custom range
    expect(rangeChoice({ range: null, from: "2026-12-01T00:00:00.000Z", to: null })).toBe("custom");
  });
});

describe("search text", () => {
  it("is limited to 200 characters, spaces around not counted", () => {
    expect(searchProblem(` ${"x".repeat(200)} `)).toBeNull();
    expect(searchProblem("x".repeat(201))).toMatch(/limited to 200 characters \(this one has 201\)/);
  });
});
