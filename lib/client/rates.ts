/** Throughput, rate and ETA derived from progress samples. */
import type { ProgressSample } from "@/lib/api/schemas";

export interface ThroughputPoint {
  t: number;
  rate: number;
}

/**
 * Objects processed so far. A parent's progress counts steps (objectsProcessed = steps done),
 * while its samples' counters carry the objects its children processed: prefer those.
 */
export function objectsIn(sample: ProgressSample): number {
  return sample.counters.totalObjectsProcessed ?? sample.objectsProcessed;
}

export function throughputSeries(samples: ProgressSample[]): ThroughputPoint[] {
  const out: ThroughputPoint[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    const dt = (Date.parse(b.at) - Date.parse(a.at)) / 1000;
    if (dt <= 0) continue;
    out.push({ t: Date.parse(b.at), rate: Math.max(0, (objectsIn(b) - objectsIn(a)) / dt) });
  }
  return out;
}

/** Objects per second over the last windowMs of samples (or over the whole run if shorter). */
export function currentRate(samples: ProgressSample[], windowMs = 15_000): number | null {
  if (samples.length < 2) return null;
  const last = samples[samples.length - 1];
  const lastT = Date.parse(last.at);
  let first = samples[0];
  for (let i = samples.length - 2; i >= 0; i--) {
    first = samples[i];
    if (lastT - Date.parse(samples[i].at) >= windowMs) break;
  }
  const dt = (lastT - Date.parse(first.at)) / 1000;
  if (dt <= 0) return null;
  return Math.max(0, (last.objectsProcessed - first.objectsProcessed) / dt);
}

export function etaMs(processed: number, total: number | null, rate: number | null): number | null {
  if (total === null || rate === null || rate <= 0) return null;
  const remaining = total - processed;
  return remaining <= 0 ? 0 : (remaining / rate) * 1000;
}
