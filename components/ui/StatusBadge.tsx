import type { ReactNode } from "react";
import type { ActivityStatus } from "@/lib/domain/enums";
import { STATUS_LABELS } from "@/lib/client/labels";

/** What a badge shows: an activity status, a queued activity (InProgress, not started), or a pending step. */
export type StatusTone = ActivityStatus | "Queued" | "Pending";

/** The one status → colour map. Queued is grey-violet and still; only InProgress is blue and pulses. */
export const STATUS_TONE: Record<StatusTone, string> = {
  Queued: "bg-violet-50 text-violet-900 ring-violet-300 dark:bg-violet-950 dark:text-violet-100 dark:ring-violet-700",
  Pending:
    "bg-white text-slate-600 ring-slate-300 ring-dashed dark:bg-slate-900 dark:text-slate-300 dark:ring-slate-600",
  InProgress: "bg-blue-100 text-blue-900 ring-blue-300 dark:bg-blue-950 dark:text-blue-100 dark:ring-blue-700",
  Complete:
    "bg-emerald-100 text-emerald-900 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-100 dark:ring-emerald-700",
  CompleteWithWarning:
    "bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-700",
  CompleteWithError:
    "bg-orange-100 text-orange-900 ring-orange-300 dark:bg-orange-950 dark:text-orange-100 dark:ring-orange-700",
  FailedWithError: "bg-red-100 text-red-900 ring-red-300 dark:bg-red-950 dark:text-red-100 dark:ring-red-700",
  Cancelled: "bg-slate-200 text-slate-800 ring-slate-300 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-600",
};

export const TONE_LABELS: Record<StatusTone, string> = { ...STATUS_LABELS, Queued: "Queued", Pending: "Pending" };

const RING = <circle cx="8" cy="8" r="6" />;
/** The ring with one stroke inside it (`d`: the stroke's path). */
const ringWith = (d: string) => (
  <>
    {RING}
    <path d={d} />
  </>
);

/** What each tone's icon draws in its 16 × 16 box (InProgress also pulses, Pending's ring is dashed). */
const ICON_SHAPES: Record<StatusTone, ReactNode> = {
  InProgress: (
    <>
      <circle cx="8" cy="8" r="5" />
      <circle cx="8" cy="8" r="1.5" fill="currentColor" />
    </>
  ),
  Complete: <path d="M3 8.5l3 3 7-7" />,
  CompleteWithWarning: (
    <>
      <path d="M8 2l6.5 12h-13z" />
      <path d="M8 7v3M8 12v.5" />
    </>
  ),
  CompleteWithError: ringWith("M8 4.5v4M8 11v.5"),
  FailedWithError: ringWith("M5.5 5.5l5 5M10.5 5.5l-5 5"),
  Queued: ringWith("M8 4.5V8l2.5 1.5"),
  Pending: RING,
  Cancelled: ringWith("M4 12L12 4"),
};

export function StatusIcon({ status, className = "h-4 w-4" }: { status: StatusTone; className?: string }) {
  return (
    <svg
      aria-hidden
      viewBox="0 0 16 16"
      className={status === "InProgress" ? className + " sw-pulse" : className}
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeDasharray={status === "Pending" ? "2 2" : undefined}
    >
      {ICON_SHAPES[status]}
    </svg>
  );
}

/** The tone of an activity: Queued while it waits to start (it has a queue place, or has not started). */
export const toneOf = (a: { status: ActivityStatus; started: string | null; queue?: unknown }): StatusTone =>
  a.status === "InProgress" && (a.queue || !a.started) ? "Queued" : a.status;

/**
 * A status pill. The label wraps inside its column instead of overflowing it (long labels such as
 * "Complete with warning" break onto a second line in narrow columns).
 */
export function StatusBadge({ status, label }: { status: StatusTone; label?: string }) {
  return (
    <span
      data-testid="status-badge"
      data-status={status}
      className={`inline-flex max-w-full items-start gap-1 rounded-xl px-2 py-0.5 text-left text-xs leading-4 font-semibold ring-1 ring-inset ${STATUS_TONE[status]}`}
    >
      <StatusIcon status={status} className="mt-px h-3.5 w-3.5 shrink-0" />
      <span className="min-w-0 break-words">{label ?? TONE_LABELS[status]}</span>
    </span>
  );
}
