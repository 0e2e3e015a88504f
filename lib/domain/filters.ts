/** Rules about list filters shared by the server and the browser. */
import type { ActivityStatus, RunType } from "./enums";

/** Statuses of runs that went wrong. */
const FAILED_STATUSES: readonly ActivityStatus[] = ["FailedWithError", "CompleteWithError"];

/**
 * Whether the activity list (the page, and a saved view's webhook, which matches what the view lists)
 * includes the steps of schedule executions when topLevelOnly was not chosen; the API's own default
 * stays true. A filter by connected system, run profile or run type matches runs, never a schedule
 * execution, and most runs are steps inside schedules; a filter for runs that went wrong (with errors,
 * or only failed statuses) looks for what failed, and that is a step.
 */
export function stepsImplied(f: {
  connectedSystemId?: number | null;
  runProfileId?: number | null;
  runType?: readonly RunType[] | null;
  status?: readonly ActivityStatus[] | null;
  hasErrors?: boolean | null;
}): boolean {
  return (
    f.connectedSystemId != null ||
    f.runProfileId != null ||
    !!f.runType?.length ||
    f.hasErrors === true ||
    (!!f.status?.length && f.status.every((s) => FAILED_STATUSES.includes(s)))
  );
}
