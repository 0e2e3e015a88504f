import type {
  ActivityList,
  ActivityListQuery,
  ActivityTree,
  ActivityTreeNode,
  ChildrenQuery,
  ExecutionStats,
  ProgressSampleList,
} from "@/lib/api/schemas";
import { BadRequestError, NotFoundError } from "@/lib/domain/errors";
import { sumCounters } from "@/lib/domain/counters";
import {
  ACTIVITY_SORTS,
  activityWhere,
  findActivity,
  findActivityHeader,
  findActivitiesByIds,
  findActivityPage,
  findProgressSamples,
  findSubtreeIds,
  type ActivityRow,
} from "@/lib/repo/activities";
import { countersOf, toDetail, toSample, toSummary } from "./mappers";
import { envelope, nextCursorOf, readCursor } from "./paging";

export interface ListResult {
  body: ActivityList;
  /** Versions of the rows on the page and the count: the list's ETag. */
  fingerprint: unknown[];
  capped: boolean;
}

async function page(
  where: ReturnType<typeof activityWhere>,
  q: { page: number; pageSize: number; cursor?: string; sort: ActivityListQuery["sort"]; order: "asc" | "desc" },
): Promise<ListResult> {
  const field = ACTIVITY_SORTS[q.sort];
  const sortKey = `a:${q.sort}:${q.order}`;
  const cursor = readCursor(q.cursor, sortKey, field, "uuid") as
    { value: string | number | null; tie: string } | undefined;
  const r = await findActivityPage(where, { field, dir: q.order, page: q.page, pageSize: q.pageSize, cursor });
  const now = Date.now();
  const body = envelope(
    r.rows.map((row) => toSummary(row, now)),
    {
      total: r.total,
      page: q.page,
      pageSize: q.pageSize,
      hasMore: r.hasMore,
      cursorUsed: Boolean(cursor),
      nextCursor: nextCursorOf(sortKey, field, "id", r.rows.at(-1) as Record<string, unknown> | undefined, r.hasMore),
    },
  );
  return { body, fingerprint: [r.total, r.hasMore, r.rows.map((x) => [x.id, x.version])], capped: r.capped };
}

export function listActivities(q: ActivityListQuery): Promise<ListResult> {
  return page(activityWhere(q), q);
}

export async function getActivityRow(id: string): Promise<ActivityRow> {
  const row = await findActivity(id);
  if (!row) throw new NotFoundError(`Activity ${id} does not exist.`, { id });
  return row;
}

/** What identifies the current representation of an activity: enough for an ETag, without the row. */
export async function getActivityVersion(id: string) {
  const header = await findActivityHeader(id);
  if (!header) throw new NotFoundError(`Activity ${id} does not exist.`, { id });
  return header;
}

export async function getActivity(id: string) {
  return toDetail(await getActivityRow(id));
}

/** Seed 001: stats exist for run-profile activities only (400 for any other). */
export function assertRunProfileActivity(a: { id: string; targetType: ActivityRow["targetType"] }): void {
  if (a.targetType !== "ConnectedSystemRunProfile")
    throw new BadRequestError("Activity is not a run profile activity.", { id: a.id, targetType: a.targetType });
}

/** Seed 001: exactly the 23 counters (check assertRunProfileActivity first). */
export async function getStats(id: string): Promise<ExecutionStats> {
  return countersOf(await getActivityRow(id));
}

export async function listChildren(id: string, q: ChildrenQuery): Promise<ListResult> {
  await getActivityRow(id);
  return page(activityWhere({ parentId: id }), q);
}

/** The activity and every descendant (recursive CTE), with counters rolled up over run-profile descendants. */
export async function getTree(id: string): Promise<{ tree: ActivityTree; fingerprint: unknown[] }> {
  const ids = await findSubtreeIds(id);
  if (ids.length === 0) throw new NotFoundError(`Activity ${id} does not exist.`, { id });
  const rows = await findActivitiesByIds(ids);
  const now = Date.now();
  const nodes = new Map<string, ActivityTreeNode>();
  for (const r of rows) nodes.set(r.id, { ...toSummary(r, now), counters: countersOf(r), children: [] });
  const sorted = [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  for (const r of sorted) {
    if (r.id === id || !r.parentActivityId) continue;
    nodes.get(r.parentActivityId)?.children.push(nodes.get(r.id)!);
  }
  const rollup = sumCounters(
    rows.filter((r) => r.id !== id && r.targetType === "ConnectedSystemRunProfile").map((r) => countersOf(r)),
  );
  const root = nodes.get(id)!;
  // A run-profile activity without descendants rolls up to its own counters.
  const effective = rows.length === 1 && root.targetType === "ConnectedSystemRunProfile" ? root.counters : rollup;
  return {
    tree: { root, rollup: effective, nodeCount: rows.length },
    fingerprint: rows.map((r) => [r.id, r.version]).sort(),
  };
}

/** The samples of an activity whose existence and status the caller has read (getActivityVersion). */
export async function getProgress(
  activity: { id: string; status: ActivityRow["status"] },
  since?: string,
): Promise<ProgressSampleList> {
  const samples = await findProgressSamples(activity.id, since ? new Date(since) : undefined);
  return { activityId: activity.id, status: activity.status, samples: samples.map(toSample) };
}
