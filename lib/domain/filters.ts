/**
 * What a list can be filtered by, in the API's own names. The repository builds its where clauses
 * from these types, and the contract's query schemas conform to them (checked by the compiler
 * where they are declared, like the write bodies), so lib/repo never imports the contract.
 */
import type { ActivityStatus, ActivityTargetType, InitiatorType, RunType } from "./enums";

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
