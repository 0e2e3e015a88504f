/**
 * Domain vocabularies. The stored ones come from the Prisma schema's enums (the one source; the
 * generated module has no server imports, so pages use it too), in declaration order, which is
 * PostgreSQL's sort order for the type.
 */
import * as Db from "@/lib/generated/prisma/enums";

type Values<T extends Record<string, string>> = [T[keyof T], ...T[keyof T][]];
const valuesOf = <T extends Record<string, string>>(e: T) => Object.values(e) as Values<T>;

export type {
  ActivityStatus,
  ActivityTargetType,
  InitiatorType,
  RunType,
  ObjectChangeType,
  ExecutionErrorType as ErrorType,
  FailureRecurrence,
  ItemsKept,
  ObjectFailureState,
  ApiKeyRole,
  ApiKeySource,
  ConnectedSystemKind,
  SavedViewScope,
} from "@/lib/generated/prisma/enums";

export const ACTIVITY_STATUSES = valuesOf(Db.ActivityStatus);
export const ACTIVITY_TARGET_TYPES = valuesOf(Db.ActivityTargetType);
export const INITIATOR_TYPES = valuesOf(Db.InitiatorType);
export const RUN_TYPES = valuesOf(Db.RunType);
export const OBJECT_CHANGE_TYPES = valuesOf(Db.ObjectChangeType);
export const ERROR_TYPES = valuesOf(Db.ExecutionErrorType);
export const FAILURE_RECURRENCES = valuesOf(Db.FailureRecurrence);
/** What retention kept of a run's items: All, Failed (only the failed ones), None. */
export const ITEMS_KEPT = valuesOf(Db.ItemsKept);
export const OBJECT_FAILURE_STATES = valuesOf(Db.ObjectFailureState);
export const API_KEY_ROLES = valuesOf(Db.ApiKeyRole);
export const CONNECTED_SYSTEM_KINDS = valuesOf(Db.ConnectedSystemKind);
export const SAVED_VIEW_SCOPES = valuesOf(Db.SavedViewScope);

/** Full runs look at every object of the system, so an object they do not fail has recovered. */
export const FULL_RUN_TYPES: readonly Db.RunType[] = ["FullImport", "FullSynchronisation"];

/** What each error type means and what usually fixes it, in plain words. */
export const ERROR_TYPE_INFO: Record<Db.ExecutionErrorType, { label: string; meaning: string; usualFix: string }> = {
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
    meaning:
      "Two objects had the same external id in one import, or an export met an object that already holds the value in the target.",
    usualFix: "Remove or correct the duplicate record in the source (or in the target system).",
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
  CouldNotJoinDueToExistingJoin: {
    label: "Already joined",
    meaning: "The metaverse object the join rule found is already joined to another object of this system.",
    usualFix: "Remove the duplicate record in the source, or make the join rule match one object only.",
  },
  DuplicateImportedAttributes: {
    label: "Duplicate attributes",
    meaning: "The imported object carries the same attribute twice (names differing only in case).",
    usualFix: "Correct the source data so each attribute appears once.",
  },
  UnexpectedAttribute: {
    label: "Unexpected attribute",
    meaning: "The imported object has an attribute the connected system's schema does not define.",
    usualFix: "Import the schema again (or add the attribute to it), or correct the source data.",
  },
  UnsupportedExternalIdAttributeType: {
    label: "Unsupported external id type",
    meaning: "The attribute chosen as external id has a data type that cannot identify objects.",
    usualFix: "Choose another external id attribute for the object type.",
  },
  ExportNotConfirmed: {
    label: "Export not confirmed",
    meaning: "The confirming import did not find some exported values on the object; the export will be retried.",
    usualFix: "Usually nothing: the next export retries. If it repeats, check what changes the values in the target.",
  },
  ExportConfirmationFailed: {
    label: "Export confirmation failed",
    meaning: "Exported values were still not confirmed after the last retry.",
    usualFix: "Look at the object in the target system: something there rejects or overwrites the values.",
  },
  CsoCreationFailed: {
    label: "Object not staged",
    meaning: "The import could not create the connector-space object, and recorded no more specific error.",
    usualFix: "Read the error detail and report it: this points at the engine, not the data.",
  },
  InvalidGeneratedExternalId: {
    label: "Invalid generated identifier",
    meaning:
      "The export built an identifier (a distinguished name, an account name) that the target refuses as invalid.",
    usualFix: "Fill in the source values the identifier is built from, or correct the rule that builds it.",
  },
  ExpressionEvaluationError: {
    label: "Expression failed",
    meaning: "An attribute-flow expression threw while it was evaluated; that value was not flowed.",
    usualFix: "Correct the synchronisation rule's expression, or the value it received.",
  },
  ExpressionMissingInput: {
    label: "Expression input missing",
    meaning: "An attribute-flow expression needed a value the object does not have.",
    usualFix: "Fill in the missing attribute in the source, or change the mapping's missing-input behaviour.",
  },
  MultiValuedToSingleValued: {
    label: "Several values for one",
    meaning: "A multi-valued source attribute held several values for a single-valued target; none was flowed.",
    usualFix: "Map it to a multi-valued attribute, reduce the source to one value, or pick one with an expression.",
  },
  DeltaImportFallbackToFullImport: {
    label: "Delta import fell back to full",
    meaning: "The system's change tracking was not available, so a full import ran instead (it succeeded).",
    usualFix: "If it repeats, give the connector's account access to the system's change log.",
  },
  ImportHashVerificationFailed: {
    label: "Import hash mismatch",
    meaning: "A verification run found changes that the import's content hash said were not there.",
    usualFix: "Report it: the changes were applied, but the engine's change detection disagrees with itself.",
  },
  ImportAttributeValueError: {
    label: "Attribute value unreadable",
    meaning: "One attribute value could not be read as the type the schema declares; the rest of the object imported.",
    usualFix: "Correct the value in the source, or the attribute's type in the schema.",
  },
  ConnectorConfigurationError: {
    label: "Connector configuration",
    meaning:
      "The target refused the change because of how the connection is set up (permissions, policies, settings), not the data.",
    usualFix: "Give the connector's account the right it lacks, or change the setting or rule the target refuses.",
  },
  CouldNotExportDueToExistingConnectedSystemObject: {
    label: "Object slot taken",
    meaning: "The metaverse object already has an object of another type in this system, so nothing could be exported.",
    usualFix: "Make the outbound rules' scopes not overlap, or export that object type through its own system.",
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
