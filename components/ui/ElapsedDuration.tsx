"use client";
import { formatDuration } from "@/lib/client/format";
import { useNow } from "./useNow";

/** The final duration, or the live elapsed time since start while running. */
export function ElapsedDuration({
  started,
  ended,
  durationMs,
  running,
}: {
  started: string | null;
  ended: string | null;
  durationMs: number | null;
  running: boolean;
}) {
  const now = useNow(1000, running && !!started);
  let ms = durationMs;
  if (running && started) ms = Math.max(0, now - new Date(started).getTime());
  else if (ms === null && started && ended) ms = new Date(ended).getTime() - new Date(started).getTime();
  return (
    <span className="tabular-nums" suppressHydrationWarning>
      {formatDuration(ms)}
    </span>
  );
}
