/**
 * The time remaining as a range while it is unsure (issue 15.4): what makes an estimate unsure,
 * how wide its range is, and how it is said in human units.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  EARLY_SHARE,
  HISTORY_ONLY_MARGIN,
  OWN_RATE_SHARE,
  RATE_WINDOW_MS,
  UNSURE_MARGIN,
  describeRemaining,
  estimateSecondsRemaining,
  rangeFromHistory,
  remainingRange,
  type EstimateInput,
} from "@/lib/domain/progress";

const history = (objectsPerSecond: number | null, durationMs: number | null = 60_000) => ({
  objectsPerSecond,
  durationMs,
  leadMs: 0,
  tailMs: 0,
  runs: 10,
});
/** A run 30 % through 1,000 objects at 10 objects/s measured over a full window, like its history. */
const settled: EstimateInput = {
  processed: 300,
  total: 1000,
  recent: { rate: 10, spanMs: RATE_WINDOW_MS },
  history: history(10),
  elapsedMs: 30_000,
};

describe("remainingRange: what makes an estimate unsure", () => {
  it("is the estimate itself once the run's rate is measured over a full window and agrees with its history", () => {
    expect(estimateSecondsRemaining(settled)).toBe(70);
    expect(remainingRange(settled)).toEqual({ low: 70, high: 70 });
    // without any history the run's own settled rate is enough
    expect(remainingRange({ ...settled, history: null })).toEqual({ low: 70, high: 70 });
  });

  it("is null when there is no estimate", () => {
    expect(remainingRange({ ...settled, recent: null, history: null })).toBeNull();
  });

  it("is unsure early: fewer than EARLY_SHARE of the objects, or a rate window not yet full", () => {
    expect(EARLY_SHARE).toBe(0.1);
    const early = remainingRange({ ...settled, processed: 50 });
    // 950 left at 10/s = 95 s, widened by UNSURE_MARGIN either way
    expect(early).toEqual({ low: 95 * (1 - UNSURE_MARGIN), high: 95 * (1 + UNSURE_MARGIN) });
    const shortWindow = remainingRange({ ...settled, recent: { rate: 10, spanMs: RATE_WINDOW_MS / 2 } });
    expect(shortWindow!.low).toBeLessThan(70);
    expect(shortWindow!.high).toBeGreaterThan(70);
  });

  it("is unsure when the total is not known yet", () => {
    const r = remainingRange({ ...settled, total: null, elapsedMs: 20_000 });
    // from the history's duration: 60 s − 20 s
    expect(r).toEqual({ low: 40 * (1 - UNSURE_MARGIN), high: 40 * (1 + UNSURE_MARGIN) });
  });

  it("rests on earlier runs alone before the run has a rate: widened by HISTORY_ONLY_MARGIN", () => {
    const r = remainingRange({ ...settled, processed: 0, recent: null, elapsedMs: 0 });
    expect(r).toEqual({ low: 100 * (1 - HISTORY_ONLY_MARGIN), high: 100 * (1 + HISTORY_ONLY_MARGIN) });
    expect(rangeFromHistory(100)).toEqual(r);
  });

  it("spans the time left at either rate while the run's rate differs from its history's, until OWN_RATE_SHARE", () => {
    // the run goes at 10/s, its history at 5/s: 700 left is 70 s at its own rate, 140 s at the history's
    const slowerHistory = { ...settled, history: history(5) };
    expect(remainingRange(slowerHistory)).toEqual({ low: 70, high: 140 });
    // within RATE_DISAGREEMENT of each other (10 vs 9): confident
    expect(remainingRange({ ...settled, history: history(9) })).toEqual({ low: 70, high: 70 });
    // past half-way the run's own rate is the guide
    expect(OWN_RATE_SHARE).toBe(0.5);
    expect(remainingRange({ ...slowerHistory, processed: 600 })).toEqual({ low: 40, high: 40 });
  });

  it("is a point at the end", () => {
    expect(remainingRange({ ...settled, processed: 1000, recent: null })).toEqual({ low: 0, high: 0 });
  });

  it("always holds the estimate, low ≤ estimate ≤ high", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.option(
          fc.record({
            rate: fc.double({ min: 0.1, max: 5000, noNaN: true }),
            spanMs: fc.integer({ min: 2000, max: 20_000 }),
          }),
        ),
        fc.option(fc.double({ min: 0.1, max: 5000, noNaN: true })),
        (total, share, recent, historyRate) => {
          const input = {
            ...settled,
            total,
            processed: Math.floor(total * share),
            recent,
            history: history(historyRate),
          };
          const point = estimateSecondsRemaining(input);
          const range = remainingRange(input);
          if (point === null) return expect(range).toBeNull();
          expect(range!.low).toBeLessThanOrEqual(point + 1e-9);
          expect(range!.high).toBeGreaterThanOrEqual(point - 1e-9);
          expect(range!.low).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe("describeRemaining: human units", () => {
  const say = (low: number, high = low) => describeRemaining({ low, high });

  it("says one figure when both ends round alike", () => {
    expect(say(38)).toBe("about 40 s");
    expect(say(38, 41)).toBe("about 40 s");
    expect(say(300)).toBe("about 5 min");
    expect(say(3600, 3700)).toBe("about 1 h");
    expect(say(5400)).toBe("about 1.5 h");
  });

  it("says a range in the unit of its upper end", () => {
    expect(say(70, 110)).toBe("1–2 min");
    expect(say(300, 480)).toBe("5–8 min");
    expect(say(20, 40)).toBe("20–40 s");
    expect(say(2 * 3600, 3.2 * 3600)).toBe("2–3 h");
    expect(say(45, 150)).toBe("1–3 min");
  });

  it("says 'under' when the lower end rounds to nothing, and 'a few seconds' at the very end", () => {
    expect(say(20, 100)).toBe("under 2 min");
    expect(say(1, 12)).toBe("under 10 s");
    expect(say(0)).toBe("a few seconds");
    expect(say(0, 2)).toBe("a few seconds");
  });

  it("moves to the next unit where a figure would round up to it", () => {
    expect(say(55)).toBe("about 55 s");
    expect(say(58)).toBe("about 1 min");
    expect(say(59 * 60)).toBe("about 59 min");
    expect(say(59.6 * 60)).toBe("about 1 h");
  });
});
