/**
 * What a list can be filtered by, in the API's own names. The repository builds its where clauses
 * from these types, and the contract's query schemas conform to them (checked by the compiler
 * where they are declared, like the write bodies), so lib/repo never imports the contract.
 */
import type {
  ActivityStatus,
  ActivityTargetType,
  ErrorType,
  FailureRecurrence,
  InitiatorType,
  ObjectChangeType,
  ObjectFailureState,
  RunType,
} from "./enums";

/** The activity list's filters (ActivityListQuery without paging, sorting and waiting). */
export interface ActivityFilter {
  status?: ActivityStatus[];
  targetType?: ActivityTargetType[];
  runType?: RunType[];
  connectedSystemId?: number;
  runProfileId?: number;
  scheduleId?: number;
  scheduleExecutionId?: string;
  initiatorType?: InitiatorType;
  initiatorName?: string;
  search?: string;
  /** ISO date-times: created at or after, at or before. */
  from?: string;
  to?: string;
  topLevelOnly?: boolean;
  hasErrors?: boolean;
  parentId?: string;
  /** Only steps of schedule executions (to count what topLevelOnly left out); not a query parameter. */
  stepsOnly?: boolean;
}

/** The failures lists' filters (FailureObjectQuery without paging and sorting). */
export interface FailureFilter {
  state?: ObjectFailureState[];
  errorType?: ErrorType[];
  connectedSystemId?: number[];
  objectType?: string[];
  search?: string;
  /** Objects that failed in one of these runs (a schedule execution: in one of its steps). */
  activityId?: string[];
  /** Objects whose latest failure's message has this template (NO_TEMPLATE: none recorded). */
  template?: string;
  /** Objects last seen failing in [from, to]. */
  from?: string;
  to?: string;
}

/** A run's execution items' filters (ItemExportQuery without sorting). */
export interface ItemFilter {
  /** Error types, or "any" (some error) / "none" (no error). */
  errorType?: (ErrorType | "any" | "none")[];
  changeType?: ObjectChangeType[];
  objectType?: string[];
  recurrence?: FailureRecurrence[];
  search?: string;
  /** Only items with an error: a run whose other items retention purged; not a query parameter. */
  failedOnly?: boolean;
}

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
