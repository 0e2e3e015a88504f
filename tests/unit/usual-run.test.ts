/**
 * The usual run of a run profile and the "unusual" flag (lib/domain/usual-run.ts): median and
 * median absolute deviation, the floors that keep a steady history from flagging trivia, the
 * direction rules, and the running-run rule (only what cannot come back).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  BASELINE_RUNS,
  FAR_SPREADS,
  MAD_TO_SIGMA,
  MIN_BASELINE_RUNS,
  unusualReasons,
  usualRange,
  usualRunOf,
  type BaselineRun,
} from "@/lib/domain/usual-run";

const completed = (errors: number, durationMs: number | null): BaselineRun => ({
  status: "CompleteWithError",
  totalObjectErrors: errors,
  executionTimeMs: durationMs,
});

describe("usualRange", () => {
  it("gives no range with fewer than MIN_BASELINE_RUNS values", () => {
    expect(usualRange([1, 2, 3, 4], "errors")).toBeNull();
    expect(usualRange([1, 2, 3, 4, Number.NaN], "errors")).toBeNull();
    expect(usualRange([1, 2, 3, 4, 5], "errors")).not.toBeNull();
    expect(MIN_BASELINE_RUNS).toBe(5);
  });

  it("is median ± 3 × 1.4826 × MAD when the spread is wider than the floors", () => {
    // errors 10, 20, 30, 40, 50: median 30, deviations 20,10,0,10,20 → MAD 10
    const r = usualRange([50, 10, 30, 20, 40], "errors")!;
    expect(r.median).toBe(30);
    expect(r.mad).toBe(10);
    const far = FAR_SPREADS * MAD_TO_SIGMA * 10; // 44.478
    expect(r.high).toBeCloseTo(30 + far, 6);
    expect(r.low).toBe(0); // never below zero
  });

  it("ignores one wild outlier in the history (the median and MAD are robust)", () => {
    const steady = [100, 102, 98, 101, 99, 100, 5000];
    const r = usualRange(steady, "errors")!;
    expect(r.median).toBe(100);
    expect(r.mad).toBe(1);
    // the floor (half the median) decides, not the outlier
    expect(r.high).toBe(150);
    expect(r.low).toBe(50);
  });

  it("keeps a steady history (MAD 0) from flagging trivial differences: absolute and relative floors", () => {
    const zero = usualRange([0, 0, 0, 0, 0, 0], "errors")!;
    expect(zero.mad).toBe(0);
    expect(zero.high).toBe(3); // 3 errors above a profile that never fails
    const minute = usualRange([60_000, 60_000, 60_000, 60_000, 60_000], "durationMs")!;
    expect(minute.high).toBe(90_000); // half the median
    expect(minute.low).toBe(30_000);
    const short = usualRange([4000, 4000, 4000, 4000, 4000], "durationMs")!;
    expect(short.high).toBe(14_000); // at least 10 s
    expect(short.low).toBe(0);
  });

  it("property: the median always lies inside the range, and the range is never narrower than the floors", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 5, maxLength: 40 }), (values) => {
        const r = usualRange(values, "errors")!;
        expect(r.low).toBeLessThanOrEqual(r.median);
        expect(r.high).toBeGreaterThanOrEqual(r.median);
        expect(r.high - r.median).toBeGreaterThanOrEqual(Math.max(3, 0.5 * r.median) - 1e-9);
      }),
    );
  });
});

describe("usualRunOf", () => {
  it("uses only completed runs, the most recent BASELINE_RUNS of them (newest first)", () => {
    const failed: BaselineRun = { status: "FailedWithError", totalObjectErrors: 900, executionTimeMs: 1 };
    const cancelled: BaselineRun = { status: "Cancelled", totalObjectErrors: 900, executionTimeMs: 1 };
    const recent = Array.from({ length: BASELINE_RUNS }, () => completed(2, 60_000));
    const old = Array.from({ length: 30 }, () => completed(500, 600_000));
    const u = usualRunOf([failed, cancelled, ...recent, ...old]);
    expect(u.errors!.median).toBe(2);
    expect(u.errors!.runs).toBe(BASELINE_RUNS);
    expect(u.durationMs!.median).toBe(60_000);
  });

  it("leaves out unknown durations but still judges errors", () => {
    const u = usualRunOf(Array.from({ length: 6 }, () => completed(1, null)));
    expect(u.durationMs).toBeNull();
    expect(u.errors!.median).toBe(1);
  });
});

describe("unusualReasons", () => {
  const history = [
    completed(2, 60_000),
    completed(3, 62_000),
    completed(1, 58_000),
    completed(2, 61_000),
    completed(2, 59_000),
    completed(4, 60_500),
  ];
  const usual = usualRunOf(history);

  it("flags errors far above the usual, with the figures that explain it", () => {
    const reasons = unusualReasons({ status: "CompleteWithError", totalObjectErrors: 37, durationMs: 60_000 }, usual);
    expect(reasons).toEqual([expect.objectContaining({ metric: "errors", direction: "higher", value: 37, usual: 2 })]);
    expect(reasons[0].high).toBeLessThan(37);
  });

  it("does not flag errors below the usual (fewer errors is good news), nor a run within the range", () => {
    expect(unusualReasons({ status: "Complete", totalObjectErrors: 0, durationMs: 60_000 }, usual)).toEqual([]);
    expect(unusualReasons({ status: "CompleteWithError", totalObjectErrors: 5, durationMs: 70_000 }, usual)).toEqual(
      [],
    );
  });

  it("flags a duration far from the usual both ways, for completed runs", () => {
    expect(unusualReasons({ status: "Complete", totalObjectErrors: 2, durationMs: 200_000 }, usual)).toEqual([
      expect.objectContaining({ metric: "durationMs", direction: "higher", value: 200_000, usual: 60_250 }),
    ]);
    expect(unusualReasons({ status: "Complete", totalObjectErrors: 2, durationMs: 5_000 }, usual)).toEqual([
      expect.objectContaining({ metric: "durationMs", direction: "lower" }),
    ]);
  });

  it("does not judge the duration of a run that failed or was cancelled (it stopped early)", () => {
    expect(unusualReasons({ status: "FailedWithError", totalObjectErrors: 0, durationMs: 2_000 }, usual)).toEqual([]);
    expect(unusualReasons({ status: "Cancelled", totalObjectErrors: 0, durationMs: 2_000 }, usual)).toEqual([]);
    // its errors are still judged
    expect(unusualReasons({ status: "FailedWithError", totalObjectErrors: 50, durationMs: 2_000 }, usual)).toHaveLength(
      1,
    );
  });

  it("flags a running run only for what cannot come back: errors or time already above the range", () => {
    expect(unusualReasons({ status: "InProgress", totalObjectErrors: 1, durationMs: 5_000 }, usual)).toEqual([]);
    expect(unusualReasons({ status: "InProgress", totalObjectErrors: 40, durationMs: 5_000 }, usual)).toEqual([
      expect.objectContaining({ metric: "errors", direction: "higher" }),
    ]);
    expect(unusualReasons({ status: "InProgress", totalObjectErrors: 0, durationMs: 300_000 }, usual)).toEqual([
      expect.objectContaining({ metric: "durationMs", direction: "higher" }),
    ]);
  });

  it("says nothing without enough history", () => {
    const thin = usualRunOf(history.slice(0, 4));
    expect(thin).toEqual({ errors: null, durationMs: null });
    expect(unusualReasons({ status: "CompleteWithError", totalObjectErrors: 999, durationMs: 1 }, thin)).toEqual([]);
  });
});
