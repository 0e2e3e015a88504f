/** Stored rows as the API's shapes. */
import type { ActivityDetail, ActivitySummary, ExecutionStats } from "@/lib/api/activities";
import type { ApiKeyInfo } from "@/lib/api/access";
import type { ExecutionItemSummary } from "@/lib/api/items";
import type { FailureObject } from "@/lib/api/failures";
import type { ProgressSample } from "@/lib/api/progress";
import type { SavedView } from "@/lib/api/saved-views";
import { COUNTER_FIELDS, type Counters } from "@/lib/domain/counters";
import type { Phase } from "@/lib/domain/activity";
import { percentComplete } from "@/lib/domain/progress";
import type { ActivityListRow, ActivityRow, QueueSlot, SampleRow } from "@/lib/repo/activities";
import type { ApiKeyRow } from "@/lib/repo/api-keys";
import type { FailureRow } from "@/lib/repo/failures";
import type { ItemListRow } from "@/lib/repo/items";
import type { SavedViewRow } from "@/lib/repo/saved-views";

export const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

type Timed = {
  status: string;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  updatedAt: Date;
  heartbeatAt: Date | null;
};

/**
 * The moment an activity's time-based figures (running time, rate, time remaining, elapsed) are
 * computed at: its end once it ended; while it runs, its last change (the last report). So an
 * activity that did not change always reads the same, and an answer's bytes (and ETag) change
 * only when the activity does. Clients tick the clock themselves from `started` and `sampledAt`.
 */
export function asOfMs(a: Timed): number {
  if (a.status !== "InProgress") return (a.endedAt ?? a.updatedAt).getTime();
  return Math.max(
    a.updatedAt.getTime(),
    a.heartbeatAt?.getTime() ?? 0,
    a.startedAt?.getTime() ?? 0,
    a.createdAt.getTime(),
  );
}

export function countersOf(row: Record<string, unknown>): ExecutionStats {
  const out = {} as Counters;
  for (const f of COUNTER_FIELDS) out[f] = Number(row[f] ?? 0);
  return out;
}

export const countsOf = (v: unknown): Record<string, number> =>
  v && typeof v === "object" && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, n]) => [k, Number(n)]))
    : {};

export function phasesOf(v: unknown): Phase[] {
  if (!Array.isArray(v)) return [];
  return v.map((p: Record<string, unknown>) => ({
    name: String(p.name),
    status: p.status as Phase["status"],
    started: iso(p.started as string) ?? new Date(0).toISOString(),
    ended: iso(p.ended as string | null),
  }));
}

export function toSummary(a: ActivityListRow, queue: QueueSlot | undefined, now = asOfMs(a)): ActivitySummary {
  const running = a.status === "InProgress";
  const executionTimeMs = running ? (a.startedAt ? Math.max(0, now - a.startedAt.getTime()) : null) : a.executionTimeMs;
  return {
    id: a.id,
    name: a.name,
    targetType: a.targetType,
    connectedSystemId: a.connectedSystemId,
    connectedSystemName: a.connectedSystemName,
    runProfileId: a.runProfileId,
    runProfileName: a.runProfileName,
    runType: a.runType,
    scheduleId: a.scheduleId,
    scheduleName: a.scheduleName,
    scheduleExecutionId: a.scheduleExecutionId,
    stepIndex: a.stepIndex,
    targetName: a.targetName,
    status: a.status,
    queue:
      running && !a.startedAt && queue
        ? {
            position: queue.position,
            lane: queue.queueKey,
            behind: queue.behindId ? { id: queue.behindId, name: queue.behindName ?? "" } : null,
          }
        : null,
    initiatedBy: { type: a.initiatorType, id: a.initiatorId, name: a.initiatorName },
    created: a.createdAt.toISOString(),
    started: iso(a.startedAt),
    ended: iso(a.endedAt),
    executionTimeMs,
    totalActivityTimeMs: running ? Math.max(0, now - a.createdAt.getTime()) : a.totalActivityTimeMs,
    progress: {
      objectsToProcess: a.objectsToProcess,
      objectsProcessed: a.objectsProcessed,
      // A run that completed without ever knowing its total is done: 100 %; a failed one is not.
      percent:
        a.objectsToProcess === null && a.status.startsWith("Complete")
          ? 100
          : percentComplete(a.objectsProcessed, a.objectsToProcess),
      message: a.message,
    },
    totalObjectsProcessed: a.totalObjectsProcessed,
    totalObjectChangeCount: a.totalObjectChangeCount,
    totalObjectErrors: a.totalObjectErrors,
    errorMessage: a.errorMessage,
    warningCount: a.warnings?.length ?? 0,
    parentActivityId: a.parentActivityId,
    childCount: a.childCount,
    itemCount: a.itemCount,
    itemsRetained: a.itemsKept === "All",
    itemsPurgedAt: iso(a.itemsPurgedAt),
    itemsKept: a.itemsKept,
    failedItemCount: a.failedItemCount,
    previousRunId: a.previousRunId,
  };
}

export function toDetail(a: ActivityRow, queue: QueueSlot | undefined, now = asOfMs(a)): ActivityDetail {
  return {
    ...toSummary(a, queue, now),
    warnings: a.warnings ?? [],
    errorStackTrace: a.errorStackTrace,
    cancelRequested: a.cancelRequested,
    counters: countersOf(a),
    errorTypeCounts: countsOf(a.errorTypeCounts),
    objectTypeCounts: countsOf(a.objectTypeCounts),
    phases: phasesOf(a.phases),
    reportedBy: a.queueKey || a.ownerInstanceId ? "engine" : "api",
    lastReportAt: iso(a.heartbeatAt),
    version: a.version,
  };
}

export function toItemSummary(i: ItemListRow): ExecutionItemSummary {
  return {
    id: i.id,
    externalIdValue: i.externalIdValue,
    displayName: i.displayName,
    connectedSystemObjectType: i.connectedSystemObjectType,
    objectChangeType: i.objectChangeType,
    errorType: i.errorType,
    recurrence: i.recurrence,
    outcomeSummary: i.outcomeSummary,
    errorMessage: i.errorMessage,
    sequence: i.sequence,
    processedAt: i.processedAt.toISOString(),
  };
}

export function toSample(s: SampleRow): ProgressSample {
  return {
    at: new Date(s.at).toISOString(),
    objectsToProcess: s.objectsToProcess === null ? null : Number(s.objectsToProcess),
    objectsProcessed: Number(s.objectsProcessed),
    totalObjectChangeCount: Number(s.totalObjectChangeCount),
    totalObjectErrors: Number(s.totalObjectErrors),
    counters: (s.counters && typeof s.counters === "object" ? s.counters : {}) as ProgressSample["counters"],
  };
}

export function toKeyInfo(k: ApiKeyRow): ApiKeyInfo {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    source: k.source,
    created: k.createdAt.toISOString(),
    lastUsed: iso(k.lastUsedAt),
    revoked: iso(k.revokedAt),
  };
}

export function toFailureObject(f: FailureRow): FailureObject {
  return {
    id: f.id,
    connectedSystemId: f.connectedSystemId,
    connectedSystemName: f.connectedSystemName,
    externalIdValue: f.externalIdValue,
    displayName: f.displayName,
    objectType: f.objectType,
    state: f.state,
    firstSeen: f.firstSeenAt.toISOString(),
    lastSeen: f.lastSeenAt.toISOString(),
    consecutiveRuns: f.consecutiveRuns,
    totalFailures: f.totalFailures,
    lastErrorType: f.lastErrorType,
    lastErrorMessage: f.lastErrorMessage,
    lastErrorTemplate: f.lastErrorTemplate,
    lastActivityId: f.lastActivityId,
    lastRunProfileId: f.lastRunProfileId,
    lastRunProfileName: f.lastRunProfileName,
    recoveredAt: iso(f.recoveredAt),
    recoveredActivityId: f.recoveredActivityId,
  };
}

export function toSavedView(v: SavedViewRow): SavedView {
  return {
    id: v.id,
    scope: v.scope,
    name: v.name,
    query: v.query,
    isDefault: v.isDefault,
    webhook: v.webhook ? { url: v.webhook.url, enabled: v.webhook.enabled } : null,
    created: new Date(v.createdAt).toISOString(),
    updated: new Date(v.updatedAt).toISOString(),
  };
}
