/**
 * The numbers and sort columns of /api/v1 that pages need as plain values: no zod, so the
 * browser imports them without the schemas.
 */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;
export const PAGE_SIZES = [25, 50, 100] as const;
/** Items of one POST .../items: an engine's batch, large enough that the per-request cost fades. */
export const MAX_ITEMS_PER_BATCH = 5000;
/** Largest request body: a full item batch at 4 KiB an item (20 MiB), still bounded for every route. */
export const MAX_BODY_BYTES = MAX_ITEMS_PER_BATCH * 4 * 1024;
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

/** The list's relative time ranges (`range=` of its URL and saved views), in milliseconds back from now. */
export const TIME_RANGES = { "1h": 3600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
