"use client";
/**
 * The one live engine of the dashboard. A page that shows something that changes asks for it with
 *
 *     const q = useLiveQuery(endpoints.getOperations, keys.operations, {});
 *     const s = useLiveQuery(endpoints.getActivitySnapshot, keys.snapshot(id), {}, { params: { id }, live: running });
 *
 * and gets a TanStack Query result (`q.data`, `q.error`, `q.isPending`...), kept current by push:
 *
 * - the first answer is one GET (its ETag remembered);
 * - while `live`, the tab's one connection (./live-hub.ts: a Server-Sent-Events stream, or its
 *   long-poll twin behind a proxy that buffers; shared by the tabs of the browser) carries every
 *   later answer of that GET, which the hook writes into the query cache. The server builds each
 *   answer once per change for all its watchers, so an idle page costs a connection, not requests;
 * - an answer that can no longer be given (the activity was removed, the session ended) refetches
 *   the query, which then shows the error the GET gives (a 401 goes to sign-in as for any query).
 *
 * Options: `params` (path parameters), `live` (false: no push, e.g. a finished run; turning false
 * reads the answer once more), `enabled`
 * (false: no request at all, e.g. invalid filters), `resolve` (turns the query kept in the key,
 * e.g. a relative time range, into the one sent; applied again every RESOLVE_MS).
 * `useLiveStatus()` says whether the connection is up (the "Live" indicators).
 * Endpoints that can be watched: see lib/services/live-views.ts (any conditional GET).
 */
import { untilCounted } from "./counts";
import { keepPreviousData, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { RouteEntry } from "@/lib/api/route-table";
import { endpointUrl, requestConditional, type QueryInput, type ResponseOf } from "./http";
import { browserEnv, LiveHub, type HubEvent, type HubStatus } from "./live-hub";

/** How often a query with `resolve` (a relative range) is resolved again while watched. */
export const RESOLVE_MS = 5 * 60_000;

const slot = globalThis as unknown as { __syncwatchLiveHub?: LiveHub };

/** The tab's hub (created on first use, in the browser only). */
export function liveHub(): LiveHub | null {
  if (typeof window === "undefined") return null;
  if (!slot.__syncwatchLiveHub) {
    const hub = new LiveHub(browserEnv());
    slot.__syncwatchLiveHub = hub;
    window.addEventListener("pagehide", () => hub.close(), { once: true });
  }
  return slot.__syncwatchLiveHub;
}

export interface LiveQueryOptions {
  /** Path parameters of the endpoint ({ id }). */
  params?: Record<string, string | number>;
  /** Keep it current by push (default true); false reads once like a plain query. */
  live?: boolean;
  /** Computes the query sent from the query in the key at a moment (e.g. a relative time range). */
  resolve?: (q: QueryInput, now: number) => QueryInput;
  /** Do not ask at all (e.g. invalid filters). */
  enabled?: boolean;
}

/** A moment that moves on every `ms` while `on`. */
function useClock(ms: number, on: boolean): number {
  const [at, setAt] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setAt(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms, on]);
  return at;
}

export function useLiveQuery<E extends RouteEntry>(
  endpoint: E,
  queryKey: QueryKey,
  query: QueryInput,
  { params, live = true, resolve, enabled = true }: LiveQueryOptions = {},
) {
  const qc = useQueryClient();
  const keyText = JSON.stringify(queryKey);
  // The moment a relative query is resolved at: fixed while watched, moved every RESOLVE_MS.
  const resolvedAt = useClock(RESOLVE_MS, !!resolve && live);
  const sent = resolve ? resolve(query, resolvedAt) : query;
  // The URL of the GET: what the first request asks and what the connection watches.
  const url = endpointUrl(endpoint, { params, query: sent });
  const [etag, setEtag] = useState<{ url: string; etag: string | null }>({ url: "", etag: null });

  const result = useQuery({
    queryKey,
    enabled,
    placeholderData: keepPreviousData,
    // Pushed answers keep it current: no refetch on mount or focus while watched.
    staleTime: live ? Infinity : undefined,
    // Watched answers are pushed again when their count is filled in; others ask for it.
    refetchInterval: live ? false : untilCounted,
    queryFn: async ({ signal }) => {
      const r = await requestConditional(endpoint, { params, query: sent, etag: null, signal });
      if (r.notModified) throw new Error("unexpected 304 without If-None-Match");
      setEtag({ url, etag: r.etag });
      return r.data as ResponseOf<E>;
    },
  });

  const ready = result.isSuccess && !result.isPlaceholderData;
  // The ETag of the answer the page loaded (the hub tracks the pushed ones).
  const have = etag.url === url ? etag.etag : null;
  useEffect(() => {
    const hub = liveHub();
    if (!hub || !live || !enabled || !ready) return;
    const key = JSON.parse(keyText) as QueryKey;
    const path = url.slice("/api/v1".length);
    return hub.subscribe(path, have, (e: HubEvent) => {
      if (e.type === "answer") qc.setQueryData(key, e.body);
      else void qc.invalidateQueries({ queryKey: key, exact: true });
    });
  }, [live, enabled, ready, url, keyText, have, qc]);

  // Watching stopped (the run ended): the last pushed answer may predate the end, so read it once more.
  const wasLive = useRef(live);
  useEffect(() => {
    if (wasLive.current && !live && enabled) void qc.invalidateQueries({ queryKey: JSON.parse(keyText), exact: true });
    wasLive.current = live;
  }, [live, enabled, keyText, qc]);

  return result;
}

const IDLE: HubStatus = { state: "idle", transport: null, heardAt: null };

/** The tab's connection: connecting, live, or retrying, and when it last heard from the server. */
export function useLiveStatus(): HubStatus {
  return useSyncExternalStore(
    (fn) => liveHub()?.onStatus(fn) ?? (() => undefined),
    () => liveHub()?.status ?? IDLE,
    () => IDLE,
  );
}
