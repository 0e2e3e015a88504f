/** Connected systems, run profiles and schedules as they are declared and as they are stored. */
import type { ConnectedSystemKind, RunType } from "./enums";

export interface ConnectedSystemDef {
  name: string;
  kind: ConnectedSystemKind;
  description: string;
  externalIdAttribute: string;
  objectTypes: string[];
  runProfiles: { name: string; runType: RunType }[];
}

export interface ScheduleDef {
  name: string;
  description: string;
  intervalMinutes: number;
  /** In order; consecutive steps with the same parallelGroup start together. */
  steps: { system: string; runProfile: string; parallelGroup?: number }[];
}

export interface StoredConfiguration {
  systems: { id: number; name: string; runProfiles: { id: number; name: string; runType: RunType }[] }[];
  schedules: {
    id: number;
    name: string;
    intervalMinutes: number;
    enabled: boolean;
    nextRunAt: Date | null;
    steps: { position: number; runProfileId: number; connectedSystemId: number; parallelGroup: number | null }[];
  }[];
}

/**
 * Where the demo history's back-fill stands, kept in the store as it goes: a start after a kill
 * rebuilds the same plan (from `endsAt` and the seed) and writes the entries not written yet.
 */
export interface DemoHistoryMark {
  /** The end of the week the history fills. */
  endsAt: Date;
  days: number;
  /** The plan's entries written, in order. */
  written: number;
  /** The history's (virtual) clock after the last entry written. */
  clockAt: Date;
}

export interface DemoHistoryState {
  mark: DemoHistoryMark;
  completed: boolean;
  /**
   * When the entry after the last one written created its last activity, if it created any: it
   * was cut off half-way (those of its runs that ended stay; the others ended Interrupted), and is
   * not written a second time; the resumed history goes on after it.
   */
  cutOffAt: Date | null;
}
