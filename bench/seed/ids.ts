/**
 * Time-ordered UUIDs (version 7 layout) from a timestamp and a unique counter: deterministic and
 * about ten times cheaper than lib/domain/ids.ts's random ones, which matters for 20M items.
 */
export function timeUuid(ms: number, counter: number): string {
  const t = Math.max(0, Math.floor(ms)).toString(16).padStart(12, "0");
  const c = Math.floor(counter).toString(16).padStart(18, "0");
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${c.slice(0, 3)}-8${c.slice(3, 6)}-${c.slice(6, 18)}`;
}
