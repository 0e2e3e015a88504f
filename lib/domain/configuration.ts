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
