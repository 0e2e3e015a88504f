/**
 * Building blocks of the /api/v1 schemas: text, ids, dates, enums, list filters, page envelopes and
 * the error body. Browser-safe: no server imports.
 */
import { z } from "zod";
import {
  ACTIVITY_STATUSES,
  ACTIVITY_TARGET_TYPES,
  API_KEY_ROLES,
  ATTRIBUTE_OPERATIONS,
  CONNECTED_SYSTEM_KINDS,
  ERROR_TYPES,
  FAILURE_RECURRENCES,
  INITIATOR_TYPES,
  ITEMS_KEPT,
  OBJECT_CHANGE_TYPES,
  OBJECT_FAILURE_STATES,
  OUTCOME_TYPES,
  RUN_TYPES,
  SAVED_VIEW_SCOPES,
} from "@/lib/domain/enums";
import { COUNT_STATUSES } from "@/lib/domain/counts";
import { ERROR_CODES } from "@/lib/domain/errors";
import { DEFAULT_PAGE_SIZE, INT4_MAX, MAX_PAGE_SIZE, MAX_WAIT_SECONDS } from "./limits";

// ---------- building blocks ----------

/** Text PostgreSQL can store and JSON can carry: no NUL characters, no unpaired surrogates. */
const STORABLE_TEXT = /^(?:[^\u0000\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
export const Text = (max: number) =>
  z.string().max(max).regex(STORABLE_TEXT, { error: "Text may not contain NUL characters or unpaired surrogates" });
export const Name = (max: number) => Text(max).trim().min(1);

export const Uuid = z.uuid().describe("A UUID");
/** A non-negative 32-bit integer: counters, sequences, object counts (the store's column type). */
export const Count = z.number().int().min(0).max(INT4_MAX);
export const PositiveId = z.number().int().min(1).max(INT4_MAX);
export const QueryId = z.coerce.number().int().min(1).max(INT4_MAX);
/** An id inside a list-valued query filter (the list's items arrive as text). */
export const ListedId = z
  .string()
  .regex(/^\d{1,10}$/, "A positive whole number")
  .transform(Number)
  .pipe(z.number().int().min(1).max(INT4_MAX));

const MIN_DATE = Date.parse("1970-01-01T00:00:00Z");
const MAX_DATE = Date.parse("9999-12-31T23:59:59.999Z");
/** ISO 8601 date-time with an offset, from 1970 to 9999. */
export const IsoDateTime = z.iso
  .datetime({ offset: true })
  .refine((v) => {
    const t = Date.parse(v);
    return t >= MIN_DATE && t <= MAX_DATE;
  }, "Dates must lie between 1970-01-01 and 9999-12-31")
  .describe("ISO 8601 date-time with offset, between 1970 and 9999");

export const ActivityStatus = z.enum(ACTIVITY_STATUSES).meta({
  id: "ActivityStatus",
  description: "Lifecycle status: InProgress (queued or running), then one terminal status.",
});
export const ActivityTargetType = z
  .enum(ACTIVITY_TARGET_TYPES)
  .meta({ id: "ActivityTargetType", description: "What the activity ran against." });
export const InitiatorType = z
  .enum(INITIATOR_TYPES)
  .meta({ id: "InitiatorType", description: "Who triggered the activity." });
export const RunType = z.enum(RUN_TYPES).meta({ id: "RunType", description: "The operation of a run profile." });
export const ObjectChangeType = z
  .enum(OBJECT_CHANGE_TYPES)
  .meta({ id: "ObjectChangeType", description: "What happened to the object." });
export const ErrorType = z.enum(ERROR_TYPES).meta({ id: "ErrorType", description: "Why processing an object failed." });
export const FailureRecurrence = z.enum(FAILURE_RECURRENCES).meta({
  id: "FailureRecurrence",
  description:
    "New: the object's failing streak began in this run (it was not failing before: never failed, or had recovered). Recurring: it was already failing when this run failed it (an open failure from an earlier run, of any run profile). " +
    "The Failures page's new objects are the same: objects whose streak began within the range.",
});
export const ItemsKept = z.enum(ITEMS_KEPT).meta({
  id: "ItemsKept",
  description:
    "What retention kept of a run's execution items: All; Failed (the failed items, kept as long as the run, " +
    "i.e. SYNCWATCH_RETENTION_DAYS; the others were purged); None (purged before failed items were kept, or the run had none).",
});
export const ObjectFailureState = z
  .enum(OBJECT_FAILURE_STATES)
  .meta({ id: "ObjectFailureState", description: "Open while it keeps failing." });
export const OutcomeType = z.enum(OUTCOME_TYPES).describe("One outcome of processing an object");
export const AttributeOperation = z.enum(ATTRIBUTE_OPERATIONS).describe("The change made to the attribute");
export const ApiKeyRole = z
  .enum(API_KEY_ROLES)
  .meta({ id: "ApiKeyRole", description: "Administrator may write; ReadOnly may read activities." });
export const ConnectedSystemKind = z.enum(CONNECTED_SYSTEM_KINDS).describe("The kind of connected system");
export const SavedViewScope = z.enum(SAVED_VIEW_SCOPES).describe("The list the view belongs to");

/** The item schema of each list-valued query filter, so the OpenAPI document keeps their enums. */
export const LIST_ITEM_SCHEMAS = new WeakMap<z.ZodType, z.ZodType>();

/** Query values arrive as strings; lists may be repeated (?status=A&status=B) or comma-separated. */
export const listOf = <T extends z.ZodType<unknown, string>>(item: T) => {
  const list = z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(","))
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(50));
  LIST_ITEM_SCHEMAS.set(list, item);
  return list;
};
export const queryBoolean = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
export const sortOrder = z.enum(["asc", "desc"]).describe("Sort direction");
export const QueryText = (max: number) => Text(max).trim().min(1);

/** The connected system a row belongs to, as answers name it. */
export const ConnectedSystemRef = {
  connectedSystemId: z.number().int().describe("Id of the connected system"),
  connectedSystemName: z.string().describe("Name of the connected system"),
};

export const PageQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).describe("Page number, 1-based (offset paging)"),
  pageSize: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .describe(`Rows per page, at most ${MAX_PAGE_SIZE}`),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .describe("The nextCursor of the previous page: keyset paging, as fast at any depth (page is then ignored)"),
  count: z
    .enum(["exact"])
    .optional()
    .describe(
      "exact: count every matching row however long it takes (default: counted up to a cap within a time budget; see countStatus)",
    ),
};
/** What a list query holds besides its filters: paging, order, counting, waiting, "new since". */
export const NOT_FILTERS = ["page", "pageSize", "cursor", "count", "sort", "order", "wait", "newerThan"] as const;
export type NotFilter = (typeof NOT_FILTERS)[number];

/** A list query's filters (what the repository reads). */
export function filtersOf<Q extends object>(q: Q): Omit<Q, NotFilter> {
  const out: Record<string, unknown> = { ...(q as Record<string, unknown>) };
  for (const k of NOT_FILTERS) delete out[k];
  return out as Omit<Q, NotFilter>;
}

export const WaitQuery = {
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_WAIT_SECONDS)
    .optional()
    .describe(
      `Long poll: with If-None-Match, wait up to this many seconds (at most ${MAX_WAIT_SECONDS}) for a change before answering 304`,
    ),
};

export const ErrorCode = z.enum(ERROR_CODES).meta({ id: "ErrorCode", description: "Machine-readable error code" });
export type ErrorCode = z.infer<typeof ErrorCode>;
export const ErrorBody = z
  .object({
    code: ErrorCode,
    message: z.string().describe("What went wrong, for people"),
    details: z.unknown().optional().describe("Structured detail: e.g. the invalid fields [{ path, code, message }]"),
    requestId: z.string().optional().describe("Quote it when reporting a server error (500)"),
  })
  .meta({
    id: "ErrorBody",
    description: "Every error answer",
    examples: [{ code: "NOT_FOUND", message: "Activity 0195c0de-7a10-7f3b-9a9e-5d2f3c4b1a00 does not exist." }],
  });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const CountStatus = z.enum(COUNT_STATUSES).meta({
  id: "CountStatus",
  description:
    "How well totalCount is known: exact; atLeast (more rows match than were counted: totalCount is a lower bound); unknown (the count was not ready in time: totalCount is null; ask again, or with count=exact)",
});
export const pageFields = {
  totalCount: z
    .number()
    .int()
    .nullable()
    .describe("Rows that match: exact, a lower bound or null, as countStatus says"),
  countStatus: CountStatus,
  totalCountCapped: z.boolean().meta({
    deprecated: true,
    description: "Deprecated since 1.1 (read countStatus): true when countStatus is not exact",
  }),
  page: z.number().int().describe("This page's number (1 when paging by cursor)"),
  pageSize: z.number().int().describe("Rows per page"),
  totalPages: z.number().int().nullable().describe("Pages of totalCount rows; null unless countStatus is exact"),
  hasNextPage: z.boolean().describe("Whether another page follows"),
  hasPreviousPage: z.boolean().describe("Whether a page precedes this one"),
  nextCursor: z
    .string()
    .nullable()
    .describe("Cursor of the next page (deep paging without OFFSET); null on the last page"),
};
/** A whole list (not paged): its items, described as the list orders them. */
export const listEnvelope = <T extends z.ZodType>(item: T, description: string) =>
  z.object({ items: z.array(item).describe(description) });
/** A page of a list: its rows and the page fields. */
export const pageEnvelope = <T extends z.ZodType>(item: T, description = "The rows of this page") =>
  z.object({ items: z.array(item).describe(description), ...pageFields });

export const IdParam = z.strictObject({ id: Uuid });
export const NumericIdParam = z.strictObject({ id: QueryId.describe("The id") });

/** Execution items and their counters exist only for run profiles. */
export const ITEMS_RULE = "Only for activities of target type ConnectedSystemRunProfile (400 for others).";

// The write bodies are the domain's inputs (checked by the compiler where they are declared).
export type Conforms<Target, Source extends Target> = Source;
/**
 * A list query's filters are what the repository reads: each is a field of its filter type, of the same
 * type (checked by the compiler in the service that hands the parsed query to the repository).
 */
export type FiltersConform<Filter, Query extends Filter & Record<Exclude<keyof Query, keyof Filter>, never>> = Query;
