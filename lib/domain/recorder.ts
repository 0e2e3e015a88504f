import type { CompleteActivityBody, CreateActivityBody, NewExecutionItem, ProgressBody } from "@/lib/api/schemas";
import type { ActivityStatus, InitiatorType } from "./enums";

export interface InitiatedBy {
  type: InitiatorType;
  id: string | null;
  name: string;
}

/**
 * How anything that runs work records it: the write API's route handlers and the built-in run
 * engine call the same implementation (lib/services/activity-recorder.ts). `at` lets the demo
 * back-fill write history with past timestamps; it defaults to now.
 */
export interface ActivityRecorder {
  create(input: CreateActivityBody, initiatedBy: InitiatedBy, at?: Date): Promise<{ id: string }>;
  /** Sets progress and absolute counter values, and appends a progress sample. */
  reportProgress(activityId: string, progress: ProgressBody, at?: Date): Promise<void>;
  /** Idempotent per (activity, sequence): a retried batch inserts nothing twice. */
  appendItems(
    activityId: string,
    items: NewExecutionItem[],
    at?: Date,
  ): Promise<{ inserted: number; duplicates: number }>;
  /** Ends the activity; without an explicit status it is derived from errors and warnings. */
  complete(activityId: string, result: CompleteActivityBody, at?: Date): Promise<ActivityStatus>;
  /** Ends the activity (and its running descendants) as Cancelled. */
  cancel(activityId: string, reason: string | undefined, at?: Date): Promise<void>;
  /** True once the activity was cancelled (or otherwise ended) by someone else: the runner must stop. */
  shouldStop(activityId: string): Promise<boolean>;
}

/** Raised when a write targets an activity that already reached a terminal status (HTTP 409). */
export class ActivityAlreadyEndedError extends Error {
  constructor(
    public readonly activityId: string,
    public readonly status: ActivityStatus,
  ) {
    super(`Activity ${activityId} has already ended with status ${status}.`);
  }
}
