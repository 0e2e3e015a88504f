/**
 * Domain vocabularies. The stored ones come from the Prisma schema's enums (the one source; the
 * generated module has no server imports, so pages use it too), in declaration order, which is
 * PostgreSQL's sort order for the type.
 */
import * as Db from "@/lib/generated/prisma/enums";

type Values<T extends Record<string, string>> = [T[keyof T], ...T[keyof T][]];
const valuesOf = <T extends Record<string, string>>(e: T) => Object.values(e) as Values<T>;

export const ACTIVITY_STATUSES = valuesOf(Db.ActivityStatus);
export type ActivityStatus = Db.ActivityStatus;
export const TERMINAL_STATUSES = ACTIVITY_STATUSES.filter((s) => s !== "InProgress");

export const ACTIVITY_TARGET_TYPES = valuesOf(Db.ActivityTargetType);
export type ActivityTargetType = Db.ActivityTargetType;

export const INITIATOR_TYPES = valuesOf(Db.InitiatorType);
export type InitiatorType = Db.InitiatorType;

export const RUN_TYPES = valuesOf(Db.RunType);
export type RunType = Db.RunType;
/** Full runs look at every object of the system, so an object they do not fail has recovered. */
export const FULL_RUN_TYPES: readonly RunType[] = ["FullImport", "FullSynchronisation"];

export const OBJECT_CHANGE_TYPES = valuesOf(Db.ObjectChangeType);
export type ObjectChangeType = Db.ObjectChangeType;

export const ERROR_TYPES = valuesOf(Db.ExecutionErrorType);
export type ErrorType = Db.ExecutionErrorType;

export const FAILURE_RECURRENCES = valuesOf(Db.FailureRecurrence);
export type FailureRecurrence = Db.FailureRecurrence;

export const OBJECT_FAILURE_STATES = valuesOf(Db.ObjectFailureState);
export type ObjectFailureState = Db.ObjectFailureState;

export const API_KEY_ROLES = valuesOf(Db.ApiKeyRole);
export type ApiKeyRole = Db.ApiKeyRole;
export type ApiKeySource = Db.ApiKeySource;

export const CONNECTED_SYSTEM_KINDS = valuesOf(Db.ConnectedSystemKind);
export type ConnectedSystemKind = Db.ConnectedSystemKind;

export const SAVED_VIEW_SCOPES = valuesOf(Db.SavedViewScope);
export type SavedViewScope = Db.SavedViewScope;

/** What each error type means and what usually fixes it, in plain words. */
export const ERROR_TYPE_INFO: Record<ErrorType, { label: string; meaning: string; usualFix: string }> = {
  AmbiguousMatch: {
    label: "Ambiguous match",
    meaning: "The join rule matched more than one metaverse object, so the object was not joined.",
    usualFix: "Remove the duplicate identity in the source, or make the join rule stricter.",
  },
  CouldNotMatchObjectType: {
    label: "Unknown object type",
    meaning: "The object's type is not in the connected system's schema, or it has no external id.",
    usualFix: "Import the schema again, or add the object type to the connected system.",
  },
  MissingExternalIdAttributeValue: {
    label: "Missing external id",
    meaning: "The object has no value in the attribute chosen as the external id.",
    usualFix: "Fill in the external id attribute in the source system, then run the import again.",
  },
  DuplicateObject: {
    label: "Duplicate object",
    meaning: "Two objects had the same external id in one import.",
    usualFix: "Remove or correct the duplicate record in the source system.",
  },
  UnresolvedReference: {
    label: "Unresolved reference",
    meaning: "A reference attribute (a manager, a group member) points to an object that is not known.",
    usualFix: "Import the referenced object first, or clear the reference in the source.",
  },
  UnhandledError: {
    label: "Unhandled error",
    meaning: "An unexpected error stopped the processing of this object.",
    usualFix: "Read the error detail; it usually names the connector or rule that failed.",
  },
};

/** Outcomes behind an item's outcomeSummary ("Projected:1,AttributeFlow:12"). */
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

/** Attribute-level change operations, as identity-governance products name them. */
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

/** Phases a run reports while it works; a phase ends when the next starts or the run ends. */
export const PHASE_STATUSES = ["Running", "Complete", "Failed", "Cancelled"] as const;
export type PhaseStatus = (typeof PHASE_STATUSES)[number];
