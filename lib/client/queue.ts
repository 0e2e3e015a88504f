/** How a queued run is described: "Queued · 2nd behind HR: Delta Import". */
import type { ActivitySummary } from "@/lib/api/activities";

const ORDINAL = new Intl.PluralRules("en-US", { type: "ordinal" });
const SUFFIX: Record<string, string> = { one: "st", two: "nd", few: "rd", other: "th" };
export const ordinal = (n: number) => `${n}${SUFFIX[ORDINAL.select(n)] ?? "th"}`;

/** True while the activity waits to start. */
export const isQueued = (a: Pick<ActivitySummary, "status" | "started" | "queue">) =>
  a.status === "InProgress" && (!!a.queue || !a.started);

/** "2nd behind <run>" or "next to start"; null when the activity does not wait. */
export function queuePlace(a: Pick<ActivitySummary, "queue">): string | null {
  const q = a.queue;
  if (!q) return null;
  return q.behind ? `${ordinal(q.position)} behind ${q.behind.name}` : `${ordinal(q.position)} in line`;
}

/** "connected system 3" / "schedule 1" from a lane id ("cs:3", "schedule:1"). */
export function laneLabel(lane: string, names: { systems?: Map<number, string>; schedules?: Map<number, string> }) {
  const [kind, id] = lane.split(":");
  const n = Number(id);
  if (kind === "cs") return names.systems?.get(n) ?? `Connected system ${id}`;
  if (kind === "schedule") return names.schedules?.get(n) ?? `Schedule ${id}`;
  return lane;
}
