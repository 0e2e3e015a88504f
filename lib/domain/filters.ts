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
