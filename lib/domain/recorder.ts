import type { ActivityStatus } from "./enums";
import type { Completion, InitiatedBy, NewActivity, NewExecutionItem, ProgressReport } from "./activity";

/**
 * How anything that runs work records it: the write API's route handlers and the built-in run
 * engine call the same implementation (lib/services/recorder.ts). `at` lets the demo back-fill
 * write history with past timestamps; it defaults to now.
 */
export interface ActivityRecorder {
  /**
   * A new activity, started at once. With `owner`, a server instance runs it (its lease covers
   * it) in `lane`; without, an outside reporter does (its heartbeat covers it). With `queue` it
   * waits in that lane instead (started stays null) until `start` claims it; with `queue.dedupe`,
   * a queued (not started) top-level run of the same run profile or schedule is returned instead.
   */
  create(
    input: NewActivity,
    initiatedBy: InitiatedBy,
    opts?: {
      at?: Date;
      owner?: { instanceId: string; lane?: string };
      queue?: { key: string; dedupe?: boolean };
      /** The new activity's id, chosen by the caller (a create retried after a lost answer inserts nothing twice). */
      id?: string;
    },
  ): Promise<{ id: string; deduplicated: boolean }>;
  /**
   * Claims a queued activity for this instance and starts it; false when it is no longer queued,
   * or when `fence` (the scheduler lease the claim is made under) is no longer held.
   */
  start(
    activityId: string,
    opts: { instanceId: string; at?: Date; fence?: { holder: string; token: string } | null },
  ): Promise<boolean>;
  /** Sets progress and absolute counter values (last writer wins), and appends a progress sample. */
  reportProgress(activityId: string, progress: ProgressReport, at?: Date): Promise<void>;
  /** Idempotent per (activity, sequence): a retried batch inserts nothing twice. */
  appendItems(
    activityId: string,
    items: NewExecutionItem[],
    at?: Date,
  ): Promise<{ inserted: number; duplicates: number }>;
  /** Ends the activity; without an explicit status it is derived from errors and warnings. */
  complete(activityId: string, result: Completion, at?: Date): Promise<ActivityStatus>;
  /** Ends the activity (and its running descendants) as Cancelled. */
  cancel(activityId: string, reason: string | undefined, at?: Date): Promise<void>;
  /** True once the activity was cancelled (or otherwise ended) by someone else: the runner must stop. */
  shouldStop(activityId: string): Promise<boolean>;
}
