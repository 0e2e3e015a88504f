import type { UnusualReason } from "@/lib/api/activities";
import { describeReasons } from "./unusual-text";

/** The one look of "unusual": fuchsia (no status uses it) with a spike icon and the word, never colour alone. */
export const UNUSUAL_TONE =
  "bg-fuchsia-50 text-fuchsia-900 ring-fuchsia-400 dark:bg-fuchsia-950 dark:text-fuchsia-100 dark:ring-fuchsia-600";

export function UnusualIcon({ className = "h-3.5 w-3.5" }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" className={className} fill="none" stroke="currentColor" strokeWidth={2}>
      <path d="M1 10h3l2-7 3 11 2-6h4" strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}

/**
 * "Unusual" beside a run (list rows, the history strip): the reasons are in its accessible name and
 * tooltip. Nothing when the run is usual or not judged.
 */
export function UnusualBadge({
  reasons,
  running = false,
  compact = false,
}: {
  reasons: UnusualReason[] | null;
  running?: boolean;
  compact?: boolean;
}) {
  if (!reasons?.length) return null;
  const why = describeReasons(reasons, running);
  return (
    <span
      data-testid="unusual-badge"
      title={`Unusual for its run profile: ${why}`}
      className={`inline-flex items-center gap-1 rounded-xl px-1.5 py-0.5 text-xs leading-4 font-semibold ring-1 ring-inset ${UNUSUAL_TONE}`}
    >
      <UnusualIcon />
      {compact ? (
        <span className="sr-only">Unusual: {why}</span>
      ) : (
        <span>
          Unusual<span className="sr-only">: {why}</span>
        </span>
      )}
    </span>
  );
}
