/** Failures across runs: groups with trends, the objects, one object's history, and the CSV export. */
import { filtersOf, type FiltersConform } from "@/lib/api/kit";
import {
  GROUP_TEMPLATES,
  type FailureGroupList,
  type FailureObjectDetail,
  type FailureObjectList,
  type FailureQueryFilters,
  type FailureTemplate,
} from "@/lib/api/failures";
import { BadRequestError, NotFoundError } from "@/lib/domain/errors";
import type { ErrorType } from "@/lib/domain/enums";
import { bucketStarts, objectStory, trendBucketOf } from "@/lib/domain/failures";
import { findItemsOfObject } from "@/lib/repo/items";
import { findExistingActivityIds } from "@/lib/repo/activities";
import {
  failureTemplates,
  failureTrends,
  findFailure,
  findFailureEvents,
  groupFailures,
  listFailures,
  type FailureFilter,
  type FailureRow,
  type FailureSort,
} from "@/lib/repo/failures";
import { envelope, offsetEnvelope } from "./activities";
import { csvStream, exportBatch } from "./csv-export";
import { toFailureObject } from "./mappers";

type _FailureFilterConforms = FiltersConform<FailureFilter, FailureQueryFilters>;

const DAY = 86_400_000;

/** The time range (default: the last 7 days) and the size of its trend buckets. */
function rangeOf(q: FailureFilter, now = Date.now()) {
  const to = q.to ? new Date(q.to) : new Date(now);
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * DAY);
  if (from > to)
    throw new BadRequestError("from is after to: the range is empty.", [
      { path: "from", message: "must not be after to" },
    ]);
  return { from, to, bucket: trendBucketOf(from, to) };
}

/** The query's filters (its paging and sort are not), over the resolved range. */
function filterOf(q: FailureFilter, range: { from: Date; to: Date }): FailureFilter {
  return { ...filtersOf(q), from: range.from.toISOString(), to: range.to.toISOString() };
}

export async function listFailureGroups(
  q: FailureFilter & { page: number; pageSize: number },
): Promise<FailureGroupList> {
  const range = rangeOf(q);
  const filter = filterOf(q, range);
  const { rows, total } = await groupFailures(filter, range.from, {
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  const [trends, templateRows] = await Promise.all([
    failureTrends(rows, range.from, range.to, range.bucket),
    failureTemplates(filter, rows, GROUP_TEMPLATES),
  ]);
  const starts = bucketStarts(range.from, range.to, range.bucket);
  const key = (g: { errorType: string; connectedSystemId: number; objectType: string | null }) =>
    `${g.errorType}|${g.connectedSystemId}|${g.objectType ?? ""}`;
  const templates = new Map<string, { count: number; list: FailureTemplate[] }>();
  for (const { errorType, connectedSystemId, objectType, templateCount, firstSeen, lastSeen, ...t } of templateRows) {
    const k = key({ errorType, connectedSystemId, objectType });
    const of = templates.get(k) ?? { count: templateCount, list: [] };
    of.list.push({ ...t, firstSeen: firstSeen.toISOString(), lastSeen: lastSeen.toISOString() });
    templates.set(k, of);
  }
  const byGroup = new Map<string, Map<number, { failed: number; recovered: number }>>();
  for (const t of trends) {
    const m = byGroup.get(key(t)) ?? new Map();
    m.set(t.bucket.getTime(), { failed: t.failed, recovered: t.recovered });
    byGroup.set(key(t), m);
  }
  const items = rows.map((g) => {
    const series = byGroup.get(key(g)) ?? new Map();
    const trend = starts.map((s) => ({
      start: new Date(s).toISOString(),
      failed: series.get(s)?.failed ?? 0,
      recovered: series.get(s)?.recovered ?? 0,
    }));
    return {
      ...g,
      failedInRange: trend.reduce((n, b) => n + b.failed, 0),
      recoveredInRange: trend.reduce((n, b) => n + b.recovered, 0),
      trend,
      templates: templates.get(key(g))?.list ?? [],
      templateCount: templates.get(key(g))?.count ?? 0,
    };
  });
  return {
    ...offsetEnvelope(items, total, q),
    range: { from: range.from.toISOString(), to: range.to.toISOString(), bucket: range.bucket },
  };
}

type ObjectQuery = FailureFilter & {
  sort: FailureSort;
  order: "asc" | "desc";
  page: number;
  pageSize: number;
  cursor?: string;
};

export async function listFailureObjects(q: ObjectQuery): Promise<FailureObjectList> {
  const range = rangeOf(q);
  const page = await listFailures(filterOf(q, range), { ...q, counting: "cached" });
  return envelope(page.rows.map(toFailureObject), page, q);
}

/** Newest failures and recoveries the story reads (the history shows as many), and newest items. */
const STORY_EVENTS = 200;

export type ObjectItems = Awaited<ReturnType<typeof findItemsOfObject>>;
/** The object's items in every run whose items are kept, newest first. */
export const itemsOfObject = async (connectedSystemId: number | null, externalIdValue: string | null) =>
  connectedSystemId !== null && externalIdValue
    ? findItemsOfObject(connectedSystemId, externalIdValue, null, STORY_EVENTS)
    : [];

/**
 * The object's story: its failures and recoveries (kept for the retention window) with its items
 * in runs whose items are kept, and, with `asOf`, the object as of that run.
 */
export async function storyOf(
  f: FailureRow,
  asOf: string | undefined,
  known: { events?: Awaited<ReturnType<typeof findFailureEvents>>; items?: ObjectItems } = {},
) {
  const [evs, items] = await Promise.all([
    known.events ?? findFailureEvents(f.id, STORY_EVENTS),
    known.items ?? itemsOfObject(f.connectedSystemId, f.externalIdValue),
  ]);
  return objectStory(
    evs.map((e) => ({
      kind: e.kind,
      at: e.at.toISOString(),
      activityId: e.activityId,
      activityName: e.activityName,
      errorType: e.errorType,
      errorMessage: e.errorMessage,
    })),
    items.map((i) => ({
      itemId: i.id,
      activityId: i.activityId,
      activityName: i.activity.name,
      at: i.processedAt.toISOString(),
      errorType: i.errorType,
      errorMessage: i.errorMessage,
    })),
    asOf,
  );
}

export async function getFailureObject(id: string, asOf?: string): Promise<FailureObjectDetail> {
  const [f, events] = await Promise.all([findFailure(id), findFailureEvents(id, STORY_EVENTS)]);
  if (!f) throw new NotFoundError(`Failure ${id} does not exist.`, { id });
  const story = await storyOf(f, asOf, { events });
  const runIds = new Set([...events.map((e) => e.activityId), ...story.runs.map((r) => r.activityId)]);
  const existing = await findExistingActivityIds([...runIds]);
  return {
    ...toFailureObject(f),
    runs: story.runs
      .map((r) => ({ ...r, errorType: r.errorType as ErrorType | null, activityExists: existing.has(r.activityId) }))
      .reverse(),
    asOf: story.asOf,
    history: events.map((e) => ({
      kind: e.kind,
      at: e.at.toISOString(),
      activityId: e.activityId,
      activityName: e.activityName,
      activityExists: existing.has(e.activityId),
      errorType: e.errorType,
      errorMessage: e.errorMessage,
    })),
  };
}

export const FAILURE_CSV_COLUMNS = [
  "connectedSystemName",
  "objectType",
  "externalIdValue",
  "displayName",
  "state",
  "lastErrorType",
  "lastErrorMessage",
  "lastErrorTemplate",
  "firstSeen",
  "lastSeen",
  "consecutiveRuns",
  "totalFailures",
  "lastRunProfileName",
  "lastActivityId",
  "recoveredAt",
] as const;

export async function exportFailuresCsv(q: Omit<ObjectQuery, "page" | "pageSize" | "cursor">) {
  const range = rangeOf(q);
  const filter = filterOf(q, range);
  return csvStream(FAILURE_CSV_COLUMNS, async (cursor) => {
    const page = await listFailures(filter, {
      sort: q.sort,
      order: q.order,
      ...exportBatch(cursor),
    });
    return {
      rows: page.rows.map((r) => toFailureObject(r) as unknown as Record<string, unknown>),
      nextCursor: page.nextCursor,
    };
  });
}
