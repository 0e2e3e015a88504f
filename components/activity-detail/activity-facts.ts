/** Facts about an activity the detail page's parts agree on. */
import type { ActivityDetail } from "@/lib/api/activities";
import type { ProgressSnapshot } from "@/lib/api/progress";

export const isScheduleActivity = (a: Pick<ActivityDetail, "targetType">) => a.targetType === "Schedule";
export const isRunActivity = (a: Pick<ActivityDetail, "targetType">) => a.targetType === "ConnectedSystemRunProfile";

/** Objects per second: the server's recent rate while running; processed ÷ execution time once ended. */
export function runRate(a: ActivityDetail, p: ProgressSnapshot): number | null {
  if (a.status === "InProgress") return a.started ? p.objectsPerSecond : null;
  if (!a.executionTimeMs || a.executionTimeMs <= 0) return null;
  return p.objectsProcessed / (a.executionTimeMs / 1000);
}

/** A run too short to chart, or one that failed before it processed anything. */
export function chartsCollapsedByDefault(a: ActivityDetail, p: ProgressSnapshot): boolean {
  if (a.status === "InProgress") return false;
  if ((a.executionTimeMs ?? 0) < 10_000) return true;
  if (p.objectsProcessed === 0) return true;
  return a.totalObjectErrors > 0;
}
