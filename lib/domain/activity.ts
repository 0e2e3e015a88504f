/**
 * What an activity is made of when it is recorded, and the rules its status obeys. The write
 * API's bodies (lib/api/activities.ts, progress.ts, items.ts) conform to these types; the run engine
 * builds them directly.
 */
import { COUNTER_FIELDS, type Counters } from "./counters";
import type {
  ActivityStatus,
  ActivityTargetType,
  AttributeOperation,
  ErrorType,
  InitiatorType,
  ObjectChangeType,
  OutcomeType,
  PhaseStatus,
} from "./enums";

/**
 * Lanes of the runs the demo back-fill writes ("history:cs:3"). While one of them is being written
 * (InProgress, started days ago) it is not shown: the lists and Operations leave it out until it ends.
 */
export const HISTORY_LANE_PREFIX = "history:";

export interface InitiatedBy {
  type: InitiatorType;
  /** Metaverse object id of a user, API key id, or e.g. the schedule id for the system. */
  id: string | null;
  name: string;
}

export interface NewActivity {
  name: string;
  targetType: ActivityTargetType;
  connectedSystemId?: number;
  runProfileId?: number;
  scheduleId?: number;
  parentActivityId?: string;
  /** 1-based step of the parent schedule execution. */
  stepIndex?: number;
  objectsToProcess?: number;
  message?: string;
}

export interface ProgressReport {
  objectsToProcess?: number;
  objectsProcessed?: number;
  message?: string;
  /** Current absolute values (not increments): a repeated report changes nothing. */
  counters?: Partial<Counters>;
  warnings?: string[];
  /** The phase the run is in now ("Connecting", "Importing", ...); the previous one ends. */
  phase?: string;
}

export interface Outcome {
  type: OutcomeType;
  count: number;
}

export interface AttributeChange {
  attribute: string;
  operation: AttributeOperation;
  oldValue: string | null;
  newValue: string | null;
}

export interface NewExecutionItem {
  sequence: number;
  id?: string;
  externalIdValue: string | null;
  displayName: string | null;
  connectedSystemObjectType: string | null;
  objectChangeType: ObjectChangeType;
  errorType: ErrorType | null;
  errorMessage: string | null;
  errorDetail: string | null;
  outcomes: Outcome[];
  attributeChanges: AttributeChange[];
  connectedSystemObjectId: string | null;
  metaverseObjectId: string | null;
  processedAt?: string;
}

export type CompletionStatus = Exclude<ActivityStatus, "InProgress" | "Cancelled">;

export interface Completion {
  /** Omitted: derived from the errors and warnings. */
  status?: CompletionStatus;
  errorMessage?: string;
  errorStackTrace?: string;
  warnings?: string[];
  counters?: Partial<Counters>;
  objectsProcessed?: number;
  /** The closing message for people; omitted: the last progress message stays. */
  message?: string;
}

export interface Phase {
  name: string;
  status: PhaseStatus;
  started: string;
  ended: string | null;
}

const SEVERITY: Record<CompletionStatus, number> = {
  Complete: 0,
  CompleteWithWarning: 1,
  CompleteWithError: 2,
  FailedWithError: 3,
};

/** The status a finished run earns: object errors make it CompleteWithError, warnings alone CompleteWithWarning. */
export function completionStatus(input: { objectErrors: number; warnings: number }): CompletionStatus {
  if (input.objectErrors > 0) return "CompleteWithError";
  if (input.warnings > 0) return "CompleteWithWarning";
  return "Complete";
}

/**
 * The terminal status of a completion: derived when not given; a given status may be more severe
 * than the counters say (a reporter knows of a failure), never less ("Complete" with 3 errors).
 * Returns the status, or the reason it is refused.
 */
export function resolveCompletionStatus(
  requested: CompletionStatus | undefined,
  facts: { objectErrors: number; warnings: number },
): { status: CompletionStatus } | { refused: string } {
  const derived = completionStatus(facts);
  if (!requested) return { status: derived };
  if (SEVERITY[requested] < SEVERITY[derived]) {
    const why = facts.objectErrors > 0 ? `${facts.objectErrors} object errors` : `${facts.warnings} warnings`;
    return {
      refused: `Status ${requested} contradicts the ${why} recorded; send ${derived} or omit status to derive it.`,
    };
  }
  return { status: requested };
}

/** Objects processed can never exceed the objects to process, when both are known. */
export function progressContradiction(objectsProcessed: number, objectsToProcess: number | null): string | null {
  if (objectsToProcess === null || objectsProcessed <= objectsToProcess) return null;
  return `objectsProcessed (${objectsProcessed}) is more than objectsToProcess (${objectsToProcess}).`;
}

/**
 * A schedule execution's status summarises its children: still running while a step runs;
 * otherwise the worst outcome, where a failed or cancelled step makes the whole run
 * CompleteWithError unless every step failed.
 */
export function summariseChildStatuses(statuses: ActivityStatus[], parentCancelled = false): ActivityStatus {
  if (statuses.some((s) => s === "InProgress")) return "InProgress";
  if (parentCancelled) return "Cancelled";
  if (statuses.length === 0) return "Complete";
  if (statuses.every((s) => s === "FailedWithError")) return "FailedWithError";
  if (statuses.some((s) => s === "FailedWithError" || s === "CompleteWithError" || s === "Cancelled"))
    return "CompleteWithError";
  if (statuses.some((s) => s === "CompleteWithWarning")) return "CompleteWithWarning";
  return "Complete";
}

/** The non-zero counters (the compact form progress samples store). */
export function nonZeroCounters(counters: Counters): Partial<Counters> {
  const out: Partial<Counters> = {};
  for (const f of COUNTER_FIELDS) if (counters[f]) out[f] = counters[f];
  return out;
}
