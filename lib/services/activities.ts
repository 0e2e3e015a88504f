/** Reads of activities: lists, one activity, its stats, tree, progress, samples and comparison. */
import { filtersOf, type FiltersConform } from "@/lib/api/kit";
import type {
  ActivityList,
  ActivityListItem,
  ActivityListQuery,
  ActivityQueryFilters,
  ActivityTree,
  ActivityTreeNode,
  ChildrenQuery,
  Comparison,
  StatsResponse,
} from "@/lib/api/activities";
import type { ProgressSampleList } from "@/lib/api/progress";
import { STEP_MATCHING_FILTERS } from "@/lib/api/activities";
import type { CountStatus } from "@/lib/domain/counts";
import { sumCounters } from "@/lib/domain/counters";
import { ERROR_TYPES } from "@/lib/domain/enums";
import { BadRequestError, activityNotFound } from "@/lib/domain/errors";
import {
  countActivities,
  countSamples,
  findActivitiesByIds,
  findActivity,
  findActivityHeader,
  findQueueSlots,
  findSamplesAfter,
  findSamplesDownsampled,
  findSubtreeIds,
  listActivities as listActivityRows,
  type ActivityFilter,
  type ActivityHeader,
  type ActivityListRow,
  type ActivityRow,
} from "@/lib/repo/activities";
import { countRecurrence, itemFacets } from "@/lib/repo/items";
import type { Page } from "@/lib/repo/paginate";
import type { Depends, Versioned } from "@/lib/live/answers";
import { asOfMs, countersOf, toDetail, toSample, toSummary } from "./mappers";
import { progressOf } from "./progress";
import { unusualOf } from "./run-history";

type _ActivityFilterConforms = FiltersConform<ActivityFilter, ActivityQueryFilters>;

/** The one check that an activity exists (404) and, when asked, is a run-profile activity (400). */
export async function requireActivity(id: string, opts: { runProfile?: boolean } = {}): Promise<ActivityHeader> {
  const a = await findActivityHeader(id);
  if (!a) throw activityNotFound(id);
  if (opts.runProfile && a.targetType !== "ConnectedSystemRunProfile")
    throw new BadRequestError("Activity is not a run profile activity.", { id, targetType: a.targetType });
  return a;
}

export async function requireRow(id: string): Promise<ActivityRow> {
  const row = await findActivity(id);
  if (!row) throw activityNotFound(id);
  return row;
}

export function envelope<T>(items: T[], page: Page<unknown>, q: { page: number; pageSize: number }) {
  const { count, status } = page.total;
  return {
    items,
    totalCount: count,
    countStatus: status,
    totalCountCapped: status !== "exact",
    page: page.cursorUsed ? 1 : q.page,
    pageSize: q.pageSize,
    totalPages: status === "exact" ? Math.ceil(count! / q.pageSize) : null,
    hasNextPage: page.hasMore,
    hasPreviousPage: page.cursorUsed || q.page > 1,
    nextCursor: page.nextCursor,
  };
}

/** The page envelope of an exactly counted offset page (no cursor, no cap). */
export function offsetEnvelope<T>(items: T[], total: number, q: { page: number; pageSize: number }) {
  return envelope(
    items,
    {
      rows: [],
      total: { count: total, status: "exact" },
      hasMore: q.page * q.pageSize < total,
      nextCursor: null,
      cursorUsed: false,
    },
    q,
  );
}

/** List rows as the API shows them: with their place in the queue and whether they are unusual for their profile. */
async function summaries(rows: ActivityListRow[]): Promise<ActivityListItem[]> {
  const queued = rows.filter((r) => r.status === "InProgress" && !r.startedAt).map((r) => r.id);
  const [slots, unusual] = await Promise.all([findQueueSlots(queued), unusualOf(rows)]);
  return rows.map((r) => ({ ...toSummary(r, slots.get(r.id)), unusual: unusual.get(r.id) ?? null }));
}

/** What an answer read from these rows depends on: their versions, and other rows' while one is queued. */
export function dependsOn(
  rows: { id: string; version: number; status: string; totalObjectErrors: number; startedAt: Date | null }[],
): Depends {
  return {
    activities: rows.map((r) => ({
      id: r.id,
      version: r.version,
      status: r.status,
      totalObjectErrors: r.totalObjectErrors,
    })),
    anyChange: rows.some((r) => r.status === "InProgress" && !r.startedAt),
  };
}

/** A list answer: current until any activity changes. */
export const LIST_DEPENDS: Depends = { anyChange: true };

/** What a page depends on: a total still being counted keeps it for 1 s only (the count fills it in). */
export const pageDepends = (status: CountStatus, base: Depends): Depends =>
  status === "unknown" ? { ...base, maxAgeMs: 1000 } : base;

export async function listActivities(q: ActivityListQuery): Promise<Versioned & { body: ActivityList }> {
  if (q.from && q.to && q.from > q.to)
    throw new BadRequestError("from is after to: the range is empty.", [
      { path: "from", message: "must not be after to" },
    ]);
  const filter = filtersOf(q);
  const stepsCounted =
    q.topLevelOnly && !q.parentId && !q.scheduleExecutionId && STEP_MATCHING_FILTERS.some((k) => q[k] !== undefined);
  // The rows' summaries (queue places, unusual runs) are read while the counts may still run.
  const early: { summaries?: Promise<ActivityListItem[]> } = {};
  const [page, steps, newer] = await Promise.all([
    listActivityRows(filter, q, (rows) => {
      early.summaries = summaries(rows);
      early.summaries.catch(() => undefined); // awaited below; never left unhandled meanwhile
    }),
    stepsCounted ? countActivities({ ...filter, topLevelOnly: false, stepsOnly: true }) : null,
    q.newerThan ? countNewer(filter, q.newerThan) : null,
  ]);
  const body: ActivityList = {
    ...envelope(await (early.summaries ?? summaries(page.rows)), page, q),
    stepMatches: steps ? { count: steps.count, capped: steps.capped } : null,
    newerCount: newer ? newer.count : null,
  };
  // A count asked for and still running makes the answer provisional, like an unknown total.
  const counting = (stepsCounted && !steps) || (q.newerThan !== undefined && !newer);
  return { body, depends: pageDepends(counting ? "unknown" : page.total.status, LIST_DEPENDS) };
}

/** The last instant an ISO date-time of four-digit years can name: nothing is created after it. */
const LAST_INSTANT = Date.parse("9999-12-31T23:59:59.999Z");

/** Matching activities created strictly after `newerThan` (and not before the filter's own `from`). */
async function countNewer(filter: ActivityFilter, newerThan: string) {
  const afterMs = Date.parse(newerThan) + 1;
  if (afterMs > LAST_INSTANT) return { count: 0, capped: false };
  const after = new Date(afterMs).toISOString();
  return countActivities({ ...filter, from: filter.from && filter.from > after ? filter.from : after });
}

/** A step's change bumps its parent's version: the children of an activity change with it. */
export async function listChildren(id: string, q: ChildrenQuery): Promise<Versioned & { body: ActivityList }> {
  const parent = await requireActivity(id);
  const page = await listActivityRows({ parentId: id }, { ...q, scope: `children:${id}` });
  const depends = dependsOn([parent]);
  return {
    body: { ...envelope(await summaries(page.rows), page, q), stepMatches: null, newerCount: null },
    depends: pageDepends(page.total.status, {
      ...depends,
      anyChange: depends.anyChange || page.rows.some((r) => r.status === "InProgress" && !r.startedAt),
    }),
  };
}

export const queuedSlot = async (row: ActivityRow) =>
  row.status === "InProgress" && !row.startedAt ? (await findQueueSlots([row.id])).get(row.id) : undefined;

export async function getActivity(id: string) {
  const row = await requireRow(id);
  return toDetail(row, await queuedSlot(row));
}

/** The activity, with what its answer depends on (one read). */
export async function readActivity(id: string): Promise<Versioned> {
  const row = await requireRow(id);
  return { body: toDetail(row, await queuedSlot(row)), depends: dependsOn([row]) };
}

/** The 23 counters and the per-type counts that outlive the items (run profiles only). */
export async function getStats(id: string): Promise<Versioned & { body: StatsResponse }> {
  const row = await requireRow(id);
  if (row.targetType !== "ConnectedSystemRunProfile")
    throw new BadRequestError("Activity is not a run profile activity.", { id, targetType: row.targetType });
  const detail = toDetail(row, undefined);
  return {
    body: { ...countersOf(row), errorTypeCounts: detail.errorTypeCounts, objectTypeCounts: detail.objectTypeCounts },
    depends: dependsOn([row]),
  };
}

/** The activity and every descendant, with counters rolled up over run-profile descendants. */
export async function getTree(id: string): Promise<Versioned & { body: ActivityTree }> {
  const ids = await findSubtreeIds(id);
  if (ids.length === 0) throw activityNotFound(id);
  const rows = await findActivitiesByIds(ids);
  const slots = await findQueueSlots(rows.filter((r) => r.status === "InProgress" && !r.startedAt).map((r) => r.id));
  const nodes = new Map<string, ActivityTreeNode>();
  for (const r of rows) nodes.set(r.id, { ...toSummary(r, slots.get(r.id)), counters: countersOf(r), children: [] });
  const sorted = [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  for (const r of sorted) {
    if (r.id === id || !r.parentActivityId) continue;
    nodes.get(r.parentActivityId)?.children.push(nodes.get(r.id)!);
  }
  const rollup = sumCounters(
    rows.filter((r) => r.id !== id && r.targetType === "ConnectedSystemRunProfile").map(countersOf),
  );
  const root = nodes.get(id)!;
  const effective = rows.length === 1 && root.targetType === "ConnectedSystemRunProfile" ? root.counters : rollup;
  return { body: { root, rollup: effective, nodeCount: rows.length }, depends: dependsOn(rows) };
}

export async function getProgress(id: string): Promise<Versioned> {
  const row = await requireRow(id);
  return { body: await progressOf(row, await queuedSlot(row)), depends: dependsOn([row]) };
}

export async function listSamples(
  id: string,
  q: { after?: string; limit: number; maxPoints?: number },
): Promise<Versioned & { body: ProgressSampleList }> {
  const a = await requireActivity(id);
  return { body: await samplesOf(a, q), depends: dependsOn([a]) };
}

async function samplesOf(
  a: ActivityHeader,
  q: { after?: string; limit: number; maxPoints?: number },
): Promise<ProgressSampleList> {
  const id = a.id;
  const total = await countSamples(id);
  if (q.after || q.maxPoints === undefined || total <= q.maxPoints) {
    const rows = await findSamplesAfter(id, q.after ? new Date(q.after) : null, q.limit + 1);
    return {
      activityId: id,
      status: a.status,
      samples: rows.slice(0, q.limit).map(toSample),
      totalSamples: total,
      downsampled: false,
      hasMore: rows.length > q.limit,
    };
  }
  const rows = await findSamplesDownsampled(id, q.maxPoints);
  return {
    activityId: id,
    status: a.status,
    samples: rows.map(toSample),
    totalSamples: total,
    downsampled: true,
    hasMore: false,
  };
}

/** This run next to the previous run of its run profile. */
export async function getComparison(id: string): Promise<Versioned & { body: Comparison }> {
  const row = await requireRow(id);
  if (row.targetType !== "ConnectedSystemRunProfile")
    throw new BadRequestError("Activity is not a run profile activity.", { id, targetType: row.targetType });
  const prev = row.previousRunId ? await findActivity(row.previousRunId) : null;
  return { body: await compare(row, prev), depends: dependsOn(prev ? [row, prev] : [row]) };
}

async function compare(row: ActivityRow, prev: ActivityRow | null): Promise<Comparison> {
  const id = row.id;
  const rate = (a: ActivityRow) => {
    const ms =
      a.executionTimeMs ?? (a.startedAt && a.status === "InProgress" ? asOfMs(a) - a.startedAt.getTime() : null);
    return ms && ms > 0 ? Math.round(((a.totalObjectsProcessed * 1000) / ms) * 10) / 10 : null;
  };
  const duration = (a: ActivityRow) => (a.status === "InProgress" ? null : a.executionTimeMs);
  const metric = (name: Comparison["metrics"][number]["metric"], of: (a: ActivityRow) => number | null) => {
    const current = of(row);
    const previous = prev ? of(prev) : null;
    const delta = current !== null && previous !== null ? Math.round((current - previous) * 10) / 10 : null;
    return {
      metric: name,
      current,
      previous,
      delta,
      deltaPercent: delta !== null && previous ? Math.round((delta / previous) * 1000) / 10 : null,
    };
  };
  const counts = (a: ActivityRow | null) => (a?.errorTypeCounts ?? {}) as Record<string, number>;
  // A running run's per-type counts are recorded when it ends; until then they come from its items.
  const currentCounts = row.status === "InProgress" ? (await itemFacets(id, {})).errorTypes : counts(row);
  return {
    activityId: id,
    previous: prev ? toSummary(prev, undefined) : null,
    metrics: [
      metric("errors", (a) => a.totalObjectErrors),
      metric("changes", (a) => a.totalObjectChangeCount),
      metric("processed", (a) => a.totalObjectsProcessed),
      metric("durationMs", duration),
      metric("objectsPerSecond", rate),
    ],
    errorTypes: ERROR_TYPES.map((t) => {
      const current = Number(currentCounts[t] ?? 0);
      const previous = Number(counts(prev)[t] ?? 0);
      return { errorType: t, current, previous, delta: current - previous };
    }).filter((e) => e.current || e.previous),
    recurrence: row.itemCount ? await countRecurrence(id) : { new: 0, recurring: 0 },
  };
}
