"use client";
import { useEffect, useRef, useState } from "react";
import type { ActivityDetail } from "@/lib/api/activities";
import { notifyIfWatched, runOutcome } from "@/lib/client/run-notifications";

/**
 * A polite live region that says once, when the watched activity ends, how it ended, and the
 * browser notification asked for with "Notify me when it ends". Progress is not announced
 * (counters would chatter); an activity that had ended before the page opened is not announced
 * either: the page says it.
 */
export function RunEndAnnouncement({ activity: a }: { activity: ActivityDetail }) {
  const ended = a.status !== "InProgress";
  const wasRunning = useRef(!ended);
  const [text, setText] = useState("");
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
