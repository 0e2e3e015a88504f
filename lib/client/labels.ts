/** Display labels for the domain vocabularies (the vocabularies themselves live in lib/domain/enums). */
import type { ActivityStatus, ActivityTargetType, InitiatorType, RunType } from "@/lib/domain/enums";
import type { ObjectFailureState } from "@/lib/domain/enums";

export const STATUS_LABELS: Record<ActivityStatus, string> = {
  InProgress: "In progress",
  Complete: "Complete",
  CompleteWithWarning: "Complete with warning",
  CompleteWithError: "Complete with error",
  FailedWithError: "Failed with error",
  Cancelled: "Cancelled",
};

export const TARGET_TYPE_LABELS: Record<ActivityTargetType, string> = {
  ConnectedSystemRunProfile: "Run profile",
  Schedule: "Schedule",
  SchemaImport: "Schema import",
  DataGeneration: "Data generation",
  Certificate: "Certificate",
  ConfigurationChange: "Configuration change",
};

export const RUN_TYPE_LABELS: Record<RunType, string> = {
  FullImport: "Full import",
  DeltaImport: "Delta import",
  FullSynchronisation: "Full sync",
  DeltaSynchronisation: "Delta sync",
  Export: "Export",
};

export const INITIATOR_LABELS: Record<InitiatorType, string> = {
  User: "User",
  ApiKey: "API key",
  System: "System",
};

export const FAILURE_STATE_LABELS: Record<ObjectFailureState, string> = {
  Open: "Open",
  Recovered: "Recovered",
};
