// Domain vocabularies, spelled exactly as the seeds spell them. Safe to import in the browser;
// tests/unit/enums.test.ts checks they match the Prisma schema's enums.

export const ACTIVITY_STATUSES = [
  "InProgress",
  "Complete",
  "CompleteWithWarning",
  "CompleteWithError",
  "FailedWithError",
  "Cancelled",
] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export const TERMINAL_STATUSES: readonly ActivityStatus[] = ACTIVITY_STATUSES.filter((s) => s !== "InProgress");
export const isTerminalStatus = (status: ActivityStatus) => status !== "InProgress";

export const ACTIVITY_TARGET_TYPES = [
  "ConnectedSystemRunProfile",
  "Schedule",
  "SchemaImport",
  "DataGeneration",
  "Certificate",
  "ConfigurationChange",
] as const;
export type ActivityTargetType = (typeof ACTIVITY_TARGET_TYPES)[number];

export const INITIATOR_TYPES = ["User", "ApiKey", "System"] as const;
export type InitiatorType = (typeof INITIATOR_TYPES)[number];

export const RUN_TYPES = [
  "FullImport",
  "DeltaImport",
  "FullSynchronisation",
  "DeltaSynchronisation",
  "Export",
] as const;
export type RunType = (typeof RUN_TYPES)[number];

export const OBJECT_CHANGE_TYPES = ["Add", "Update", "Delete", "Disconnect"] as const;
export type ObjectChangeType = (typeof OBJECT_CHANGE_TYPES)[number];

export const ERROR_TYPES = [
  "AmbiguousMatch",
  "CouldNotMatchObjectType",
  "MissingExternalIdAttributeValue",
  "DuplicateObject",
  "UnresolvedReference",
  "UnhandledError",
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export const ERROR_TYPE_DESCRIPTIONS: Record<ErrorType, string> = {
  AmbiguousMatch: "Multiple metaverse objects matched one connector space object",
  CouldNotMatchObjectType: "No matching object type in schema or missing external ID",
  MissingExternalIdAttributeValue: "Object missing its external ID attribute",
  DuplicateObject: "Multiple objects with the same external ID in one import",
  UnresolvedReference: "Reference attribute points to an unknown object",
  UnhandledError: "Unexpected exception during processing",
};

/** Outcomes behind seed 002's outcomeSummary ("Projected:1,AttributeFlow:12"). */
export const OUTCOME_TYPES = [
  "Added",
  "Updated",
  "Deleted",
  "Projected",
  "Joined",
  "AttributeFlow",
  "Disconnected",
  "DisconnectedOutOfScope",
  "OutOfScopeRetainJoin",
  "DriftCorrection",
  "Provisioned",
  "PendingExportCreated",
  "PendingExportConfirmed",
  "Exported",
  "Deprovisioned",
  "ExportRetrying",
  "ExportFailed",
] as const;
export type OutcomeType = (typeof OUTCOME_TYPES)[number];

/** Attribute-level change operations, as peer 003's account-activity items name them. */
export const ATTRIBUTE_OPERATIONS = [
  "ADD",
  "CREATE",
  "MODIFY",
  "DELETE",
  "DISABLE",
  "ENABLE",
  "REMOVE",
  "SET",
] as const;
export type AttributeOperation = (typeof ATTRIBUTE_OPERATIONS)[number];

export const API_KEY_ROLES = ["Administrator", "ReadOnly"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export const CONNECTED_SYSTEM_KINDS = ["HrSource", "Directory", "Application"] as const;
export type ConnectedSystemKind = (typeof CONNECTED_SYSTEM_KINDS)[number];
