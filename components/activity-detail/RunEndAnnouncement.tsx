"use client";
import { useEffect, useRef, useState } from "react";
import type { ActivityDetail } from "@/lib/api/activities";
import { STATUS_LABELS } from "@/lib/client/labels";
import { plural } from "@/lib/client/error-types";

/**
 * A polite live region that says once, when the watched activity ends, how it ended. Progress is
 * not announced (counters would chatter); an activity that had ended before the page opened is
 * not announced either: the page says it.
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
    const errors = a.totalObjectErrors > 0 ? `, ${plural(a.totalObjectErrors, "error")}` : "";
    setText(`${a.name} ended: ${STATUS_LABELS[a.status]}${errors}.`);
  }, [ended, a.name, a.status, a.totalObjectErrors]);
  return (
    <p role="status" aria-live="polite" className="sr-only" data-testid="run-end-announcement">
      {text}
    </p>
  );
}
