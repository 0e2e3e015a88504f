"use client";
/**
 * One cheap live view: the first answer is fetched by TanStack Query; while the tab is visible a
 * long poll (`?wait=` with If-None-Match) waits on the server for the next change and writes the new
 * answer into the query cache; a hidden tab backs off to a plain conditional poll every 30 s.
 */
import { keepPreviousData, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useEffect, useRef, useSyncExternalStore } from "react";
import type { Endpoint } from "@/lib/api/endpoints";
import { MAX_WAIT_SECONDS } from "@/lib/api/limits";
import { requestConditional, type QueryInput, type ResponseOf } from "./http";

export const HIDDEN_POLL_MS = 30_000;
const ERROR_BACKOFF_MS = [2_000, 5_000, 10_000, 30_000];

function subscribeVisibility(notify: () => void) {
  document.addEventListener("visibilitychange", notify);
  return () => document.removeEventListener("visibilitychange", notify);
}
/** True while the tab is visible. */
export function useTabVisible(): boolean {
  return useSyncExternalStore(
    subscribeVisibility,
    () => !document.hidden,
    () => true,
  );
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });

export interface LiveQueryOptions {
  /** Stop watching (e.g. paused, or nothing can change). */
  live?: boolean;
  /** Computes the query sent at each request (e.g. a relative time range resolved now). */
  resolve?: (q: QueryInput) => QueryInput;
  /** Do not ask at all (e.g. invalid filters). */
  enabled?: boolean;
}

export function useLiveQuery<E extends Endpoint>(
  endpoint: E,
  queryKey: QueryKey,
  query: QueryInput,
  { live = true, resolve = (q) => q, enabled = true }: LiveQueryOptions = {},
) {
  const qc = useQueryClient();
  const visible = useTabVisible();
  const etag = useRef<{ key: string; etag: string | null }>({ key: "", etag: null });
  const keyText = JSON.stringify(queryKey);
  const resolveRef = useRef(resolve);
  useEffect(() => {
    resolveRef.current = resolve;
  });
  // Every request carries wait=: the first (without If-None-Match) is answered at once, and the
  // query string stays the same for the long polls, so their ETags match.
  const send = (signal: AbortSignal, withEtag: boolean) =>
    requestConditional(endpoint, {
      query: { ...resolveRef.current(query), wait: MAX_WAIT_SECONDS },
      etag: withEtag && etag.current.key === keyText ? etag.current.etag : null,
      signal,
    });

  const result = useQuery({
    queryKey,
    enabled,
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }) => {
      const r = await send(signal, false);
      if (r.notModified) throw new Error("unexpected 304 without If-None-Match");
      etag.current = { key: keyText, etag: r.etag };
      return r.data as ResponseOf<E>;
    },
  });

  const ready = result.isSuccess && !result.isPlaceholderData;
  useEffect(() => {
    if (!live || !enabled || !ready) return;
    const ctrl = new AbortController();
    (async () => {
      let failures = 0;
      while (!ctrl.signal.aborted) {
        if (!visible) await sleep(HIDDEN_POLL_MS, ctrl.signal);
        if (ctrl.signal.aborted) return;
        try {
          const r = await send(ctrl.signal, true);
          failures = 0;
          if (!r.notModified) {
            etag.current = { key: keyText, etag: r.etag };
            qc.setQueryData(queryKey, r.data);
          }
        } catch (e) {
          if (ctrl.signal.aborted) return;
          void e;
          await sleep(ERROR_BACKOFF_MS[Math.min(failures++, ERROR_BACKOFF_MS.length - 1)], ctrl.signal);
        }
        // a long poll that answered at once (a change, or a server without long polling) must not spin
        if (!visible) continue;
        await sleep(250, ctrl.signal);
      }
    })();
    return () => ctrl.abort();
    // keyText stands for queryKey and query (the same values, as text)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyText identifies queryKey/query by value
  }, [live, enabled, ready, visible, keyText, qc]);

  return result;
}
