/** Latency samples and their summaries. */
export interface LatencySummary {
  n: number;
  /** The first (cold) request, before any warm-up. */
  firstMs: number;
  p50: number;
  p95: number;
  p99: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function summarise(samples: number[], firstMs: number): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    firstMs,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

/** Runs `fn` once cold, `warmup` times untimed, then `n` times timed (one at a time). */
export async function measure(n: number, fn: () => Promise<unknown>, warmup = 3): Promise<LatencySummary> {
  let t = performance.now();
  await fn();
  const firstMs = performance.now() - t;
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return summarise(samples, firstMs);
}
