"use client";
/**
 * The detail page's live data, on the one live engine (lib/client/live.ts): the snapshot of the
 * activity (detail, progress and, for a schedule execution, its steps: one answer, so the page's
 * sections never disagree), pushed while it runs and left alone once it has ended; and the chart's
 * samples, read once for the whole run and extended by each pushed snapshot (every change of a
 * running run is a progress report, i.e. a sample).
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { endpoints } from "@/lib/client/endpoints";
import type { LiveSnapshot } from "@/lib/api/live";
import type { ProgressSample } from "@/lib/api/progress";
import { keys, queries } from "@/lib/client/resources";
import { useLiveQuery } from "@/lib/client/live";

/** Samples kept in the charts; older ones are thinned out. */
const MAX_SAMPLES = 1_000;
const NO_QUERY = {};

export interface ActivityLive {
  snapshot: LiveSnapshot | undefined;
  samples: ProgressSample[];
  error: unknown;
  /** The snapshot could not be loaded at all (or no longer can): Retry asks again. */
  stopped: boolean;
  /**
   * When the snapshot was last loaded or pushed. The connection's own "last heard" (keep-alives
   * too) is read by the Live indicator alone (LiveIndicator, useLiveStatus): every event of the
   * stream changes it, and the whole page re-rendering for each one was most of its cost.
   */
  loadedAt: number | null;
  retry: () => void;
}

function thin(samples: ProgressSample[]): ProgressSample[] {
  if (samples.length <= MAX_SAMPLES) return samples;
  // keep the last sample and every other one before it
  const last = samples[samples.length - 1];
  return [...samples.slice(0, -1).filter((_, i) => i % 2 === 0), last];
}

/** The chart point a snapshot stands for: the run as of its last report. */
export function sampleOf(s: LiveSnapshot): ProgressSample {
  const a = s.activity;
  return {
    at: s.progress.sampledAt,
    objectsToProcess: s.progress.objectsToProcess,
    objectsProcessed: s.progress.objectsProcessed,
    totalObjectChangeCount: a.totalObjectChangeCount,
    totalObjectErrors: a.totalObjectErrors,
    counters: Object.fromEntries(Object.entries(a.counters).filter(([, n]) => n !== 0)),
  };
}

/** Adds what is newer than the last sample held. */
export function mergeSamples(current: ProgressSample[], incoming: ProgressSample[]): ProgressSample[] {
  const lastAt = current.length ? Date.parse(current[current.length - 1].at) : -Infinity;
  const fresh = incoming.filter((s) => Date.parse(s.at) > lastAt);
  return fresh.length ? thin([...current, ...fresh]) : current;
}

export function useActivityLive(id: string): ActivityLive {
  const qc = useQueryClient();
  // Pushed while it runs; an ended activity does not change any more.
  const held = qc.getQueryData<LiveSnapshot>(keys.snapshot(id));
  const ended = !!held && held.activity.status !== "InProgress";
  const snap = useLiveQuery(endpoints.getActivitySnapshot, keys.snapshot(id), NO_QUERY, {
    params: { id },
    live: !ended,
  });
  const snapshot = snap.data as LiveSnapshot | undefined;

  const base = useQuery({ ...queries.samples(id), enabled: !!snapshot, staleTime: Infinity });
  // The chart's samples: the run's samples, then a point per pushed snapshot.
  const [chart, setChart] = useState<{ snapshot?: LiveSnapshot; base?: unknown; samples: ProgressSample[] }>({
    samples: [],
  });
  if (chart.snapshot !== snapshot || chart.base !== base.data) {
    let next = chart.samples;
    if (base.data && chart.base !== base.data) next = mergeSamples(thin(base.data.samples), next);
    if (snapshot?.activity.started && chart.snapshot !== snapshot) next = mergeSamples(next, [sampleOf(snapshot)]);
    setChart({ snapshot, base: base.data, samples: next });
  }
  // Once it has ended, read the whole run's samples again (the pushed points may have skipped some).
  useEffect(() => {
    if (ended) void qc.invalidateQueries({ queryKey: keys.samples(id), exact: true });
  }, [ended, id, qc]);

  const { refetch } = snap;
  const retry = useCallback(() => void refetch(), [refetch]);
  return {
    snapshot,
    samples: chart.samples,
    error: snap.error,
    stopped: snap.isError && !snapshot,
    loadedAt: snap.dataUpdatedAt || null,
    retry,
  };
}
