"use client";
import { useEffect, useRef, useState } from "react";
import type { ActivityDetail } from "@/lib/api/activities";
import type { ProgressSnapshot } from "@/lib/api/progress";
import { notifyIfWatched, runOutcome } from "@/lib/client/run-notifications";

/** The progress milestones said while a run goes: a quarter at a time, never the counters. */
const MILESTONES = [25, 50, 75];

/**
 * A polite live region that says when the watched activity passes a quarter of its work (once
 * each; the highest when one report passes several; none it had passed before the page opened)
 * and, once, how it ended; with the browser notification asked for with "Notify me when it ends".
 * Counters are not announced (they would chatter); an activity that had ended before the page
 * opened is not announced either: the page says it.
 */
export function RunEndAnnouncement({
  activity: a,
  progress,
}: {
  activity: ActivityDetail;
  progress: ProgressSnapshot;
}) {
  const ended = a.status !== "InProgress";
  const wasRunning = useRef(!ended);
  const [text, setText] = useState("");
  const pct = progress.percentComplete;
  const milestone = ended || pct === null ? 0 : (MILESTONES.filter((m) => pct >= m).at(-1) ?? 0);
  const passed = useRef<number | null>(null);
  useEffect(() => {
    if (ended) return;
    if (passed.current !== null && milestone > passed.current) setText(`${a.name}: ${milestone} % done.`);
    passed.current = Math.max(passed.current ?? 0, milestone);
  }, [ended, milestone, a.name]);
  useEffect(() => {
    if (!ended) {
      wasRunning.current = true;
      return;
    }
    if (!wasRunning.current) return;
    wasRunning.current = false;
    const run = { id: a.id, name: a.name, status: a.status, totalObjectErrors: a.totalObjectErrors };
    setText(`${a.name} ended: ${runOutcome(run)}.`);
    notifyIfWatched(run);
  }, [ended, a.id, a.name, a.status, a.totalObjectErrors]);
  return (
    <p role="status" aria-live="polite" className="sr-only" data-testid="run-end-announcement">
      {text}
    </p>
  );
}
