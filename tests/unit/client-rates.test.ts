import { describe, expect, it } from "vitest";
import type { ProgressSample } from "@/lib/api/schemas";
import { currentRate, etaMs, throughputSeries } from "@/lib/client/rates";

function sample(
  atSeconds: number,
  objectsProcessed: number,
  counters: ProgressSample["counters"] = {},
): ProgressSample {
  return {
    at: new Date(Date.UTC(2026, 10, 23, 12, 0, atSeconds)).toISOString(),
    objectsToProcess: 1000,
    objectsProcessed,
    totalObjectChangeCount: 0,
    totalObjectErrors: 0,
    counters,
  };
}

describe("throughputSeries", () => {
  it("gives objects per second between consecutive samples", () => {
    const series = throughputSeries([sample(0, 0), sample(2, 400), sample(4, 500)]);
    expect(series.map((p) => p.rate)).toEqual([200, 50]);
  });

  it("counts a parent's objects from its counters, not its finished steps", () => {
    // a schedule: objectsProcessed counts steps, counters carry the children's objects
    const series = throughputSeries([
      sample(0, 0),
      sample(10, 1, { totalObjectsProcessed: 83 }),
      sample(20, 2, { totalObjectsProcessed: 160 }),
    ]);
    expect(series.map((p) => p.rate)).toEqual([8.3, 7.7]);
  });

  it("skips samples without elapsed time and never reports a negative rate", () => {
    const series = throughputSeries([sample(0, 100), sample(0, 150), sample(5, 120)]);
    expect(series).toHaveLength(1);
    expect(series[0].rate).toBe(0);
  });
});

describe("currentRate and etaMs", () => {
  it("measures the rate over the last window and projects the remaining time", () => {
    const samples = [sample(0, 0), sample(10, 100), sample(20, 300), sample(30, 500)];
    const rate = currentRate(samples, 15_000);
    expect(rate).toBe(20); // from the last sample at least 15 s old: (500 - 100) objects / 20 s
    expect(etaMs(500, 1000, rate)).toBe(25_000);
  });

  it("has no rate with fewer than two samples and no ETA without a total or a rate", () => {
    expect(currentRate([sample(0, 0)])).toBeNull();
    expect(etaMs(10, null, 5)).toBeNull();
    expect(etaMs(10, 100, null)).toBeNull();
    expect(etaMs(100, 100, 5)).toBe(0);
  });
});
