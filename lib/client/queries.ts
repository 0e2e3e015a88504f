"use client";
/** react-query hooks for every /api/v1 read and action the pages use. */
import { keepPreviousData, useMutation, useQuery, useQueryClient, type Query } from "@tanstack/react-query";
import {
  ActivityDetail,
  ActivityList,
  ActivityTree,
  ConnectedSystemList,
  ExecutionItemDetail,
  ExecutionItemList,
  ExecutionStats,
  ProgressSampleList,
  ScheduleList,
  SessionInfo,
  TriggerResult,
} from "@/lib/api/schemas";
import type { ActivityStatus } from "@/lib/domain/enums";
import { ApiError, apiFetch, toQueryString, type QueryValue } from "./api";

type ActivityDetailT = import("@/lib/api/schemas").ActivityDetail;
type ProgressSampleListT = import("@/lib/api/schemas").ProgressSampleList;

export const LIVE_INTERVAL_MS = 2000;
export const HIDDEN_INTERVAL_MS = 10_000;
export const LIST_INTERVAL_MS = 3000;

const isHidden = () => typeof document !== "undefined" && document.hidden;

/** Polling interval for a live view: fast while visible, slow while the tab is hidden. */
export const liveInterval = (fast = LIVE_INTERVAL_MS) => (isHidden() ? HIDDEN_INTERVAL_MS : fast);

// ---------- session ----------
export const sessionKey = ["session"] as const;
export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: ({ signal }) => apiFetch("/api/v1/auth/session", { schema: SessionInfo, signal }),
    retry: (count, e) => !(e instanceof ApiError && (e.status === 401 || e.status === 403)) && count < 2,
    staleTime: 60_000,
  });
}
export function useIsAdmin(): boolean | undefined {
  const s = useSession();
  return s.data ? s.data.role === "Administrator" : undefined;
}
export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (apiKey: string) => apiFetch("/api/v1/auth/session", { method: "POST", body: { apiKey } }),
    onSuccess: async () => {
      qc.clear();
      await qc.fetchQuery({
        queryKey: sessionKey,
        queryFn: () => apiFetch("/api/v1/auth/session", { schema: SessionInfo }),
      });
    },
  });
}
export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch("/api/v1/auth/session", { method: "DELETE" }),
    onSettled: () => qc.clear(),
  });
}

// ---------- configuration ----------
export function useConnectedSystems() {
  return useQuery({
    queryKey: ["connected-systems"],
    queryFn: ({ signal }) => apiFetch("/api/v1/connected-systems", { schema: ConnectedSystemList, signal }),
    staleTime: 5 * 60_000,
  });
}
export function useSchedules(enabled = true) {
  return useQuery({
    queryKey: ["schedules"],
    enabled,
    queryFn: ({ signal }) => apiFetch("/api/v1/schedules", { schema: ScheduleList, signal }),
    staleTime: 5 * 60_000,
  });
}

// ---------- activity list ----------
export function useActivityList(
  params: Record<string, QueryValue>,
  opts: { resolve?: () => Record<string, QueryValue>; live: boolean },
) {
  return useQuery({
    queryKey: ["activities", params],
    queryFn: ({ signal }) =>
      apiFetch(`/api/v1/activities${toQueryString({ ...params, ...(opts.resolve?.() ?? {}) })}`, {
        schema: ActivityList,
        signal,
      }),
    placeholderData: keepPreviousData,
    refetchInterval: opts.live ? () => liveInterval(LIST_INTERVAL_MS) : false,
    refetchIntervalInBackground: true,
  });
}

// ---------- one activity ----------
const terminal = (s: ActivityStatus | undefined) => s !== undefined && s !== "InProgress";

export function useActivity(id: string, live: boolean) {
  return useQuery({
    queryKey: ["activity", id],
    queryFn: ({ signal }) => apiFetch(`/api/v1/activities/${id}`, { schema: ActivityDetail, signal }),
    refetchInterval: (q: Query<ActivityDetailT, Error, ActivityDetailT, readonly unknown[]>) => {
      const d = q.state.data;
      if (!live || !d || terminal(d.status)) return false;
      return liveInterval();
    },
    refetchIntervalInBackground: true,
    retry: (count, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && count < 2,
  });
}

/**
 * Progress samples, fetched incrementally with ?since= and merged. Refetched whenever the
 * activity's version changes (so it stops when the activity stops).
 */
export function useProgress(id: string, version: number | undefined) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: ["progress", id, version],
    enabled: version !== undefined,
    queryFn: async ({ signal }) => {
      const prev = findLatest<ProgressSampleListT>(qc, ["progress", id]);
      const since = prev?.samples.at(-1)?.at;
      const next = await apiFetch(`/api/v1/activities/${id}/progress${toQueryString({ since })}`, {
        schema: ProgressSampleList,
        signal,
      });
      if (!prev || !since) return next;
      const seen = new Set(prev.samples.map((s) => s.at));
      return { ...next, samples: [...prev.samples, ...next.samples.filter((s) => !seen.has(s.at))] };
    },
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    gcTime: 30_000,
  });
}

function findLatest<T>(qc: ReturnType<typeof useQueryClient>, prefix: readonly unknown[]): T | undefined {
  const all = qc.getQueriesData<T>({ queryKey: prefix });
  let best: { t: number; d: T } | undefined;
  for (const [key, data] of all) {
    if (!data) continue;
    const t = qc.getQueryState(key)?.dataUpdatedAt ?? 0;
    if (!best || t > best.t) best = { t, d: data };
  }
  return best?.d;
}

export function useStats(id: string, version: number | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ["stats", id, version],
    enabled: enabled && version !== undefined,
    queryFn: ({ signal }) => apiFetch(`/api/v1/activities/${id}/stats`, { schema: ExecutionStats, signal }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    gcTime: 30_000,
    retry: false,
  });
}

export function useTree(id: string, enabled: boolean, live: boolean) {
  return useQuery({
    queryKey: ["tree", id],
    enabled,
    queryFn: ({ signal }) => apiFetch(`/api/v1/activities/${id}/tree`, { schema: ActivityTree, signal }),
    refetchInterval: (q) => {
      const d = q.state.data as import("@/lib/api/schemas").ActivityTree | undefined;
      if (!live || !d || terminal(d.root.status)) return false;
      return liveInterval();
    },
    refetchIntervalInBackground: true,
  });
}

export function useItems(
  id: string,
  params: Record<string, QueryValue>,
  version: number | undefined,
  enabled: boolean,
) {
  return useQuery({
    queryKey: ["items", id, params, version],
    enabled: enabled && version !== undefined,
    queryFn: ({ signal }) =>
      apiFetch(`/api/v1/activities/${id}/items${toQueryString(params)}`, { schema: ExecutionItemList, signal }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    gcTime: 30_000,
    retry: false,
  });
}

export function useItem(id: string, itemId: string | undefined) {
  return useQuery({
    queryKey: ["item", id, itemId],
    enabled: !!itemId,
    queryFn: ({ signal }) =>
      apiFetch(`/api/v1/activities/${id}/items/${itemId}`, { schema: ExecutionItemDetail, signal }),
    staleTime: Infinity,
    retry: false,
  });
}

// ---------- actions ----------
export function useCancelActivity(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch(`/api/v1/activities/${id}/cancel`, { method: "POST", body: {} }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["activity", id] }),
  });
}

export function useRunAgain() {
  return useMutation({
    mutationFn: (a: Pick<ActivityDetailT, "targetType" | "connectedSystemId" | "runProfileId" | "scheduleId">) => {
      if (a.targetType === "Schedule" && a.scheduleId !== null)
        return apiFetch(`/api/v1/schedules/${a.scheduleId}/execute`, {
          method: "POST",
          body: {},
          schema: TriggerResult,
        });
      if (a.connectedSystemId !== null && a.runProfileId !== null)
        return apiFetch(`/api/v1/connected-systems/${a.connectedSystemId}/run-profiles/${a.runProfileId}/execute`, {
          method: "POST",
          body: {},
          schema: TriggerResult,
        });
      return Promise.reject(new Error("This activity cannot be run again"));
    },
  });
}

export const canRunAgain = (
  a: Pick<ActivityDetailT, "targetType" | "connectedSystemId" | "runProfileId" | "scheduleId">,
) =>
  (a.targetType === "Schedule" && a.scheduleId !== null) ||
  (a.targetType === "ConnectedSystemRunProfile" && a.connectedSystemId !== null && a.runProfileId !== null);
