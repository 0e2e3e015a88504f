"use client";
import { formatRelative } from "@/lib/client/format";
import { useLiveStatus } from "@/lib/client/live";
import { useNow } from "@/components/ui/useNow";

/**
 * "Live · checked 2 s ago" while the activity runs; "Final" once it has ended (polling stopped).
 * "Checked" is when the connection last heard from the server (a pushed answer or a keep-alive),
 * else when the data was loaded (`loadedAt`). The connection's status is read here, not by the page:
 * it changes with every event, and only this line shows it.
 */
export function LiveIndicator({
  ended,
  loadedAt,
  failing,
}: {
  ended: boolean;
  loadedAt: number | null;
  failing: boolean;
}) {
  const now = useNow(5_000, !ended);
  const checkedAt = useLiveStatus().heardAt ?? loadedAt;
  if (ended) {
    return (
      <span
        data-testid="final-indicator"
        className="inline-flex items-center gap-1.5 text-xs text-slate-700 dark:text-slate-300"
      >
        <span aria-hidden="true" className="h-2 w-2 rounded-full bg-slate-400" />
        Final — not refreshing
      </span>
    );
  }
  return (
    <span
      data-testid="live-indicator"
      className="inline-flex items-center gap-1.5 text-xs text-slate-700 dark:text-slate-300"
      suppressHydrationWarning
    >
      <span
        aria-hidden="true"
        className={`h-2 w-2 rounded-full ${failing ? "bg-red-500" : "sw-pulse bg-emerald-500"}`}
      />
      {failing ? "Live — reconnecting" : "Live"}
      {checkedAt ? ` · checked ${formatRelative(new Date(checkedAt).toISOString(), Math.max(now, checkedAt))}` : ""}
    </span>
  );
}
