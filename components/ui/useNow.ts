"use client";
import { useEffect, useState } from "react";

/** The current time, re-read every intervalMs (for relative times and live elapsed durations). */
export function useNow(intervalMs = 1000, enabled = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!enabled) return;
    // catch up at once when re-enabled, then tick
    const first = setTimeout(() => setNow(Date.now()), 0);
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, [intervalMs, enabled]);
  return now;
}
