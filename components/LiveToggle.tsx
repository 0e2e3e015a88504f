"use client";
import { useNow } from "@/components/ui/useNow";

/** "Live / Paused" switch with "updated Ns ago"; once the activity is terminal, says polling stopped. */
export function LiveToggle({
  live,
  onChange,
  updatedAt,
  terminal,
  fetching,
}: {
  live: boolean;
  onChange: (v: boolean) => void;
  updatedAt: number;
  terminal: boolean;
  fetching: boolean;
}) {
  const now = useNow(1000);
  const ago = updatedAt ? Math.max(0, Math.round((now - updatedAt) / 1000)) : null;
  return (
    <div className="flex items-center gap-3 text-sm" data-testid="live-status">
      {terminal ? (
        <span
          className="inline-flex items-center gap-1.5 rounded-full bg-slate-200 px-2.5 py-1 text-xs font-semibold text-slate-800 dark:bg-slate-800 dark:text-slate-100"
          data-testid="final-indicator"
        >
          Final — updates stopped
        </span>
      ) : (
        <button
          type="button"
          aria-pressed={live}
          onClick={() => onChange(!live)}
          data-testid="live-toggle"
          className={
            "inline-flex h-8 items-center gap-2 rounded-full border px-3 text-xs font-semibold " +
            (live
              ? "border-emerald-600 bg-emerald-50 text-emerald-900 dark:border-emerald-500 dark:bg-emerald-950 dark:text-emerald-100"
              : "border-slate-400 bg-white text-slate-800 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100")
          }
        >
          <span
            aria-hidden="true"
            className={
              "h-2 w-2 rounded-full " + (live ? "sw-pulse bg-emerald-600 dark:bg-emerald-400" : "bg-slate-500")
            }
          />
          {live ? "Live" : "Paused"}
          <span className="sr-only">{live ? " (press to pause updates)" : " (press to resume updates)"}</span>
        </button>
      )}
      <span className="w-32 tabular-nums text-slate-600 dark:text-slate-400" suppressHydrationWarning>
        {ago === null ? "" : fetching && !terminal && live ? "updating…" : `updated ${ago} s ago`}
      </span>
    </div>
  );
}
