/**
 * The numbers and sort columns of /api/v1 that pages need as plain values: no zod, so the
 * browser imports them without the schemas.
 */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;
export const PAGE_SIZES = [25, 50, 100] as const;
export const MAX_ITEMS_PER_BATCH = 1000;
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Longest wait of a long poll (?wait=). */
export const MAX_WAIT_SECONDS = 25;
export const INT4_MAX = 2_147_483_647;

export const ACTIVITY_SORT_FIELDS = [
  "created",
  "started",
  "ended",
  "duration",
  "name",
  "target",
  "type",
  "initiator",
  "status",
  "errors",
  "processed",
  "changes",
] as const;
export const ITEM_SORT_FIELDS = [
  "sequence",
  "displayName",
  "externalIdValue",
  "objectChangeType",
  "errorType",
  "connectedSystemObjectType",
] as const;
export const FAILURE_SORT_FIELDS = ["lastSeen", "firstSeen", "consecutiveRuns", "displayName"] as const;
