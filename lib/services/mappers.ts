import type {
  ActivityDetail,
  ActivitySummary,
  ExecutionItemDetail,
  ExecutionItemSummary,
  ExecutionStats,
  ProgressSample,
  ApiKeyInfo,
} from "@/lib/api/schemas";
import { COUNTER_FIELDS, type Counters } from "@/lib/domain/counters";
import type { ActivityRow } from "@/lib/repo/activities";
import type { ItemRow } from "@/lib/repo/items";
import type { ApiKeyRow } from "@/lib/repo/api-keys";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function countersOf(row: Record<string, unknown>): ExecutionStats {
  const out = {} as Counters;
  for (const f of COUNTER_FIELDS) out[f] = Number(row[f] ?? 0);
  return out;
}

export function percentOf(row: Pick<ActivityRow, "objectsToProcess" | "objectsProcessed" | "status">): number | null {
  if (row.objectsToProcess === null || row.objectsToProcess === undefined)
    return row.status === "InProgress" ? null : 100;
  if (row.objectsToProcess <= 0) return row.status === "InProgress" ? 0 : 100;
  return Math.min(100, Math.round((row.objectsProcessed / row.objectsToProcess) * 1000) / 10);
}

type SummaryRow = Omit<ActivityRow, "errorStackTrace"> & { errorStackTrace?: string | null };

export function toSummary(a: SummaryRow, now = Date.now()): ActivitySummary {
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
    targetName: a.targetName,
    status: a.status,
    initiatedBy: { type: a.initiatorType, id: a.initiatorId, name: a.initiatorName },
    created: a.createdAt.toISOString(),
    started: iso(a.startedAt),
    ended: iso(a.endedAt),
    executionTimeMs,
    totalActivityTimeMs: running ? Math.max(0, now - a.createdAt.getTime()) : a.totalActivityTimeMs,
    progress: {
      objectsToProcess: a.objectsToProcess,
      objectsProcessed: a.objectsProcessed,
      percent: percentOf(a),
      message: a.message,
    },
    totalObjectsProcessed: a.totalObjectsProcessed,
    totalObjectChangeCount: a.totalObjectChangeCount,
    totalObjectErrors: a.totalObjectErrors,
    errorMessage: a.errorMessage,
    warningCount: a.warnings?.length ?? 0,
    parentActivityId: a.parentActivityId,
    childCount: a.childCount,
  };
}

export function toDetail(a: ActivityRow, now = Date.now()): ActivityDetail {
  return {
    ...toSummary(a, now),
    warnings: a.warnings ?? [],
    errorStackTrace: a.errorStackTrace,
    cancelRequested: a.cancelRequested,
    counters: countersOf(a),
    version: a.version,
  };
}

export function toItemSummary(
  i: Pick<
    ItemRow,
    | "id"
    | "externalIdValue"
    | "displayName"
    | "connectedSystemObjectType"
    | "objectChangeType"
    | "errorType"
    | "outcomeSummary"
    | "errorMessage"
    | "sequence"
    | "processedAt"
  >,
): ExecutionItemSummary {
  return {
    id: i.id,
    externalIdValue: i.externalIdValue,
    displayName: i.displayName,
    connectedSystemObjectType: i.connectedSystemObjectType,
    objectChangeType: i.objectChangeType,
    errorType: i.errorType,
    outcomeSummary: i.outcomeSummary,
    errorMessage: i.errorMessage,
    sequence: i.sequence,
    processedAt: i.processedAt.toISOString(),
  };
}

export function toItemDetail(i: ItemRow, connectedSystemName: string | null): ExecutionItemDetail {
  return {
    ...toItemSummary(i),
    activityId: i.activityId,
    errorDetail: i.errorDetail,
    outcomes: (Array.isArray(i.outcomes) ? i.outcomes : []) as ExecutionItemDetail["outcomes"],
    attributeChanges: (Array.isArray(i.attributeChanges)
      ? i.attributeChanges
      : []) as ExecutionItemDetail["attributeChanges"],
    connectedSystemId: i.connectedSystemId,
    connectedSystemName,
    connectedSystemObjectId: i.connectedSystemObjectId,
    metaverseObjectId: i.metaverseObjectId,
  };
}

export function toSample(s: {
  at: Date;
  objectsToProcess: number | null;
  objectsProcessed: number;
  totalObjectChangeCount: number;
  totalObjectErrors: number;
  counters: unknown;
}): ProgressSample {
  return {
    at: s.at.toISOString(),
    objectsToProcess: s.objectsToProcess,
    objectsProcessed: s.objectsProcessed,
    totalObjectChangeCount: s.totalObjectChangeCount,
    totalObjectErrors: s.totalObjectErrors,
    counters: (s.counters && typeof s.counters === "object" ? s.counters : {}) as ProgressSample["counters"],
  };
}

export function toKeyInfo(k: ApiKeyRow): ApiKeyInfo {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    created: k.createdAt.toISOString(),
    lastUsed: iso(k.lastUsedAt),
    revoked: iso(k.revokedAt),
  };
}
