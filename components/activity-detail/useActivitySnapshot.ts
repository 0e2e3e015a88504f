"use client";
/**
 * One cheap poll per detail page: GET /activities/{id}/snapshot with If-None-Match, long-polling
 * (?wait=) while the tab is visible, at most one request every 2 s visible (≤ 30 a minute) and
 * every 10 s hidden (≤ 6 a minute), stopping once the activity has ended. Header, counters and
 * charts all render from the snapshot it keeps; the chart samples are fetched once for the whole
 * run, then extended by the snapshot's newSamples.
 */
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { endpoints } from "@/lib/api/endpoints";
import type { LiveSnapshot, ProgressSample } from "@/lib/api/progress";
import { redirectToSignIn } from "@/components/shell/session";
import { ApiError, request, requestConditional } from "@/lib/client/http";

export const VISIBLE_GAP_MS = 2_000;
export const HIDDEN_GAP_MS = 10_000;
/** Seconds a visible poll waits on the server for a change. */
export const LONG_POLL_SECONDS = 20;
/** Samples kept in the charts; older ones are thinned out. */
const MAX_SAMPLES = 1_000;
/** Move samplesAfter on only after this many new samples (each move changes the ETag once). */
const SAMPLE_ADVANCE = 50;
const MAX_FAILURES = 3;

export interface SnapshotState {
  snapshot: LiveSnapshot | undefined;
  samples: ProgressSample[];
  error: unknown;
  /** Polling gave up after repeated failures (or the activity does not exist): Retry restarts it. */
  stopped: boolean;
  /** When the last answer (200 or 304) arrived. */
  checkedAt: number | null;
  retry: () => void;
}

const isVisible = () => typeof document === "undefined" || document.visibilityState === "visible";

function thin(samples: ProgressSample[]): ProgressSample[] {
  if (samples.length <= MAX_SAMPLES) return samples;
  // keep the last sample and every other one before it
  const last = samples[samples.length - 1];
  return [...samples.slice(0, -1).filter((_, i) => i % 2 === 0), last];
}

function merge(current: ProgressSample[], incoming: ProgressSample[]): ProgressSample[] {
  const lastAt = current.length ? Date.parse(current[current.length - 1].at) : -Infinity;
  const fresh = incoming.filter((s) => Date.parse(s.at) > lastAt);
  return fresh.length ? thin([...current, ...fresh]) : current;
}

/** Sleeps `ms`, or less when the tab becomes visible; rejects when aborted. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
      signal.removeEventListener("abort", onAbort);
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    const onVisible = () => {
      if (!isVisible()) return;
      done();
      resolve();
    };
    const onAbort = () => {
      done();
      reject(new DOMException("aborted", "AbortError"));
    };
    document.addEventListener("visibilitychange", onVisible);
    signal.addEventListener("abort", onAbort);
  });
}

export function useActivitySnapshot(id: string): SnapshotState {
  const [snapshot, setSnapshot] = useState<LiveSnapshot>();
  const [samples, setSamples] = useState<ProgressSample[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [stopped, setStopped] = useState(false);
  const [checkedAt, setCheckedAt] = useState<number | null>(null);
  const [attempt, setAttempt] = useState(0);
  const samplesRef = useRef<ProgressSample[]>([]);

  useEffect(() => {
    const ctrl = new AbortController();
    const { signal } = ctrl;
    let etag: string | null = null;
    let samplesAfter: string | undefined;
    let pendingSamples = 0;
    let samplesLoaded = false;
    let failures = 0;

    const loadSamples = async (createdAt: string) => {
      const list = await request(endpoints.listProgressSamples, {
        params: { id },
        query: { maxPoints: 400 },
        signal,
      });
      samplesRef.current = thin(list.samples);
      setSamples(samplesRef.current);
      // with no sample yet, ask for every sample from the activity's creation on
      samplesAfter = list.samples.length ? list.samples[list.samples.length - 1].at : createdAt;
      pendingSamples = 0;
      samplesLoaded = true;
    };

    const run = async () => {
      for (;;) {
        const startedAt = Date.now();
        const visible = isVisible();
        let ended = false;
        try {
          const res = await requestConditional(endpoints.getActivitySnapshot, {
            params: { id },
            query: { samplesAfter, wait: visible && etag ? LONG_POLL_SECONDS : undefined },
            etag,
            signal,
          });
          if (!res.notModified) {
            etag = res.etag;
            const data = res.data;
            if (data.newSamples.length) {
              samplesRef.current = merge(samplesRef.current, data.newSamples);
              setSamples(samplesRef.current);
              pendingSamples += data.newSamples.length;
            }
            setSnapshot(data);
            ended = data.activity.status !== "InProgress";
            if (!samplesLoaded || data.moreSamples) await loadSamples(data.activity.created);
            else if (pendingSamples >= SAMPLE_ADVANCE) {
              samplesAfter = samplesRef.current[samplesRef.current.length - 1]?.at ?? samplesAfter;
              pendingSamples = 0;
            }
          }
          failures = 0;
          setError(null);
          setCheckedAt(Date.now());
          if (ended) return;
        } catch (e) {
          if (signal.aborted) return;
          redirectToSignIn(e);
          failures++;
          setError(e);
          const notFound = ApiError.is(e, "NOT_FOUND", "BAD_REQUEST", "FORBIDDEN");
          if (notFound || failures >= MAX_FAILURES) {
            setStopped(true);
            return;
          }
          await pause(VISIBLE_GAP_MS * 2 ** failures, signal);
          continue;
        }
        const gap = isVisible() ? VISIBLE_GAP_MS : HIDDEN_GAP_MS;
        await pause(gap - (Date.now() - startedAt), signal);
      }
    };
    run().catch(() => undefined);
    return () => ctrl.abort();
  }, [id, attempt]);

  const retry = useCallback(() => {
    setError(null);
    setStopped(false);
    setAttempt((n) => n + 1);
  }, []);
  return { snapshot, samples, error, stopped, checkedAt, retry };
}

/** Invalidates a query when `value` changes (not on the first render): refetch only when its version moved. */
export function useRefetchWhenChanged(key: QueryKey, value: unknown) {
  const qc = useQueryClient();
  const last = useRef(value);
  const keyText = JSON.stringify(key);
  useEffect(() => {
    if (Object.is(last.current, value)) return;
    last.current = value;
    void qc.invalidateQueries({ queryKey: JSON.parse(keyText) as QueryKey });
  }, [qc, keyText, value]);
}
