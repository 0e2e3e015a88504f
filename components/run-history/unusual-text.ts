/** Words for what makes a run unusual for its run profile (the API's UnusualReason). */
import type { UnusualReason } from "@/lib/api/activities";
import { formatDuration, formatInt } from "@/lib/client/format";
import { plural } from "@/lib/client/error-types";

const figure = (metric: UnusualReason["metric"], n: number) =>
  metric === "durationMs" ? formatDuration(n) : formatInt(Math.round(n));

/** "37 errors, usually 2 (up to 5)", "took 5 m 10 s, usually 1 m 30 s (1 m 00 s – 2 m 00 s)". */
export function describeReason(r: UnusualReason, running = false): string {
  const so = running ? "already " : "";
  if (r.metric === "errors")
    return `${so}${plural(Math.round(r.value), "error")}, usually ${figure("errors", r.usual)} (up to ${figure("errors", Math.floor(r.high))})`;
  const verb = running ? "running for" : r.direction === "higher" ? "took" : "took only";
  return `${verb} ${formatDuration(r.value)}, usually ${formatDuration(r.usual)} (${formatDuration(r.low)} – ${formatDuration(r.high)})`;
}

/** The reasons in one sentence fragment: "37 errors, usually 2 (up to 5); took …". */
export const describeReasons = (reasons: UnusualReason[], running = false) =>
  reasons.map((r) => describeReason(r, running)).join("; ");
