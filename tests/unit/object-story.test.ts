/** An object's story across runs (lib/domain/failures.ts objectStory), as the failure tracker decides New/Recurring. */
import { describe, expect, it } from "vitest";
import { objectStory, type StoryEvent, type StoryItem } from "@/lib/domain/failures";

const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h)).toISOString();
const failed = (run: string, h: number, message = `fail in ${run}`): StoryEvent => ({
  kind: "Failed",
  at: at(h),
  activityId: run,
  activityName: `Run ${run}`,
  errorType: "ConnectorConfigurationError",
  errorMessage: message,
});
const recovered = (run: string, h: number): StoryEvent => ({
  kind: "Recovered",
  at: at(h),
  activityId: run,
  activityName: `Run ${run}`,
  errorType: null,
  errorMessage: null,
});
const ok = (run: string, h: number): StoryItem => ({
  itemId: `item-${run}`,
  activityId: run,
  activityName: `Run ${run}`,
  at: at(h),
  errorType: null,
  errorMessage: null,
});

describe("objectStory", () => {
  // nightly A fails it; deltas d1, d2 succeed (another profile: no recovery); nightly B fails it again;
  // nightly C recovers it; nightly D fails it: a new streak.
  const events = [failed("A", 2), failed("B", 26), recovered("C", 50), failed("D", 74)];
  const items = [ok("d1", 10), ok("d2", 18), { ...ok("B", 26), errorType: "X", itemId: "item-B" }, ok("C", 50)];

  it("merges the tracker's failures and recoveries with the successes of kept runs, oldest first", () => {
    const { runs } = objectStory(events, items);
    expect(runs.map((r) => [r.activityId, r.outcome, r.recovered, r.streak])).toEqual([
      ["A", "Failed", false, 1],
      ["d1", "Succeeded", false, null],
      ["d2", "Succeeded", false, null],
      ["B", "Failed", false, 2],
      ["C", "Succeeded", true, null],
      ["D", "Failed", false, 1],
    ]);
    expect(runs.find((r) => r.activityId === "B")).toMatchObject({ itemId: "item-B", firstOccurred: at(2) });
    expect(runs.find((r) => r.activityId === "D")!.firstOccurred).toBe(at(74));
  });

  it("as of a run: New only where the streak began, the streak and first occurrence then, and what came later", () => {
    expect(objectStory(events, items, "A").asOf).toEqual({
      activityId: "A",
      outcome: "Failed",
      new: true,
      streak: 1,
      firstOccurred: at(2),
      recovered: false,
      laterFailures: 2,
      laterRecoveredAt: at(50),
    });
    expect(objectStory(events, items, "B").asOf).toMatchObject({ new: false, streak: 2, firstOccurred: at(2) });
    // a success that did not settle the failure: still failing since A, as of then
    expect(objectStory(events, items, "d2").asOf).toMatchObject({
      outcome: "Succeeded",
      new: false,
      recovered: false,
      streak: 1,
      firstOccurred: at(2),
    });
    expect(objectStory(events, items, "C").asOf).toMatchObject({
      outcome: "Succeeded",
      recovered: true,
      streak: 0,
      firstOccurred: null,
      laterFailures: 1,
      laterRecoveredAt: null,
    });
    expect(objectStory(events, items, "D").asOf).toMatchObject({ new: true, streak: 1, laterFailures: 0 });
  });

  it("never says New next to a streak longer than one, nor Recovered before a later failure of the same streak", () => {
    const { runs } = objectStory(events, items);
    for (const r of runs) {
      const asOf = objectStory(events, items, r.activityId).asOf!;
      if (asOf.new) expect(asOf.streak).toBe(1);
      if (asOf.outcome === "Failed") expect(asOf.streak).toBeGreaterThan(0);
    }
  });

  it("knows nothing as of a run it does not hold, and tells a story with items only", () => {
    expect(objectStory(events, items, "unknown").asOf).toBeNull();
    const { runs } = objectStory([], [ok("x", 1)]);
    expect(runs).toEqual([expect.objectContaining({ activityId: "x", outcome: "Succeeded", streak: null })]);
  });
});
