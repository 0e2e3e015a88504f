/**
 * What the engine needs from the rest of Syncwatch, wired by the server runtime: the recorder,
 * a few reads and writes of its own, and the trigger path (the same one the API uses).
 */
import type { InitiatedBy } from "@/lib/domain/activity";
import type {
  ConnectedSystemDef,
  DemoHistoryMark,
  DemoHistoryState,
  ScheduleDef,
  StoredConfiguration,
} from "@/lib/domain/configuration";
import type { Counters } from "@/lib/domain/counters";
import type { ActivityStatus, ActivityTargetType } from "@/lib/domain/enums";
import type { ActivityRecorder } from "@/lib/domain/recorder";
import type { PlannedStep } from "@/lib/domain/schedule";

export interface RunRecord {
  id: string;
  targetType: ActivityTargetType;
  status: ActivityStatus;
  connectedSystemId: number | null;
  runProfileId: number | null;
  scheduleId: number | null;
  plannedSteps: PlannedStep[] | null;
  objectsProcessed: number;
  counters: Counters;
}

export interface EngineStore {
  ensureConfiguration(systems: ConnectedSystemDef[], schedules: ScheduleDef[]): Promise<StoredConfiguration>;
  countActivities(): Promise<number>;
  /** Where the demo history's back-fill stands; null before one began in this store. */
  demoHistory(): Promise<DemoHistoryState | null>;
  saveDemoHistory(mark: DemoHistoryMark, completed: boolean): Promise<void>;
  setNextRun(scheduleId: number, at: Date | null): Promise<void>;
  /**
   * Moves a schedule's next run from `due` to `next` only if it still is `due` (and, on a server,
   * only while this instance holds the scheduler lease): true when this caller may fire it now.
   */
  claimScheduleFire(scheduleId: number, due: Date | null, next: Date): Promise<boolean>;
  /** The stored next run of a schedule (after a claim was refused, or leadership came back). */
  nextRunOf(scheduleId: number): Promise<Date | null>;
  /** Queued runs of every lane, oldest first. */
  queued(): Promise<{ id: string; queueKey: string }[]>;
  /** Lanes with a started, unfinished run. */
  busyLanes(): Promise<Set<string>>;
  run(id: string): Promise<RunRecord | null>;
  /** Unfinished activities this instance runs (shutdown). */
  ownedOpen(instanceId: string): Promise<string[]>;
}

/**
 * Whether this instance may start runs and fire schedules now: it holds the scheduler lease and
 * its term has not run out (a process that was frozen past its lease must not act before it has
 * renewed it). The claims themselves are checked against the lease by the store as well.
 */
export interface EngineLeadership {
  leading(): boolean;
  /** The fencing token the claims carry; null where the store needs none. */
  fence(): { holder: string; token: string } | null;
}

export interface EnginePorts {
  recorder: ActivityRecorder;
  /** Absent: always leading (one process, no lease; tests). */
  leadership?: EngineLeadership;
  store: EngineStore;
  trigger: {
    runProfile(connectedSystemId: number, runProfileId: number, by: InitiatedBy): Promise<unknown>;
    schedule(scheduleId: number, by: InitiatedBy): Promise<unknown>;
  };
  instanceId: string;
}
