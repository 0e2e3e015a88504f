/**
 * What the engine needs from the rest of Syncwatch, wired by the server runtime: the recorder,
 * a few reads and writes of its own, and the trigger path (the same one the API uses).
 */
import type { InitiatedBy } from "@/lib/domain/activity";
import type { ConnectedSystemDef, ScheduleDef, StoredConfiguration } from "@/lib/domain/configuration";
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
  setNextRun(scheduleId: number, at: Date | null): Promise<void>;
  /** Queued runs of every lane, oldest first. */
  queued(): Promise<{ id: string; queueKey: string }[]>;
  /** Lanes with a started, unfinished run. */
  busyLanes(): Promise<Set<string>>;
  run(id: string): Promise<RunRecord | null>;
  /** Unfinished activities this instance runs (shutdown). */
  ownedOpen(instanceId: string): Promise<string[]>;
}

export interface EnginePorts {
  recorder: ActivityRecorder;
  store: EngineStore;
  trigger: {
    runProfile(connectedSystemId: number, runProfileId: number, by: InitiatedBy): Promise<unknown>;
    schedule(scheduleId: number, by: InitiatedBy): Promise<unknown>;
  };
  instanceId: string;
}
