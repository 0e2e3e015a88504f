/** Chart series from progress samples: time from start, a smoothed rate that does not fall to 0 at the end. */
import type { ProgressSample } from "@/lib/api/progress";

export interface ChartPoint {
  t: number;
  processed: number;
  changes: number;
  errors: number;
  rate: number | null;
}

/** Seconds of samples a rate point averages over (one sample step at least). */
const RATE_WINDOW_S = 5;

export function chartPoints(samples: ProgressSample[], started: string | null, ended: boolean): ChartPoint[] {
  if (!samples.length) return [];
  let list = samples;
  if (ended) {
    // samples taken after the last object was processed say "0 per second": the run had stopped, not slowed
    let last = list.length - 1;
    while (last > 0 && list[last].objectsProcessed === list[last - 1].objectsProcessed) last--;
    list = list.slice(0, last + 1);
  }
  const t0 = started ? Date.parse(started) : Date.parse(list[0].at);
  const times = list.map((s) => (Date.parse(s.at) - t0) / 1000);
  return list.map((s, i) => {
    // the window reaches back at least RATE_WINDOW_S (to the start at the most): samples taken
    // moments apart (a step ending, a report) never read as a stop
    let j = Math.max(0, i - 1);
    while (j > 0 && times[i] - times[j] < RATE_WINDOW_S) j--;
    const dt = times[i] - times[j];
    const rate = i === 0 || dt <= 0 ? null : Math.max(0, (s.objectsProcessed - list[j].objectsProcessed) / dt);
    return {
      t: Math.max(0, Math.round(times[i] * 10) / 10),
      processed: s.objectsProcessed,
      changes: s.totalObjectChangeCount,
      errors: s.totalObjectErrors,
      rate: rate === null ? null : Math.round(rate * 10) / 10,
    };
  });
}
