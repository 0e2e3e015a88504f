import type { ActivityStatus } from "@/lib/domain/enums";
import { STATUS_LABELS } from "@/lib/client/labels";

const STYLES: Record<ActivityStatus, string> = {
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

export function StatusIcon({ status, className = "h-4 w-4" }: { status: ActivityStatus; className?: string }) {
  const common = {
    "aria-hidden": true as const,
    viewBox: "0 0 16 16",
    className,
    fill: "none",
    stroke: "currentColor",
    strokeWidth: 2,
  };
  switch (status) {
    case "InProgress":
      return (
        <svg {...common} className={className + " sw-pulse"}>
          <circle cx="8" cy="8" r="5" />
          <circle cx="8" cy="8" r="1.5" fill="currentColor" />
        </svg>
      );
    case "Complete":
      return (
        <svg {...common}>
          <path d="M3 8.5l3 3 7-7" />
        </svg>
      );
    case "CompleteWithWarning":
      return (
        <svg {...common}>
          <path d="M8 2l6.5 12h-13z" />
          <path d="M8 7v3M8 12v.5" />
        </svg>
      );
    case "CompleteWithError":
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6" />
          <path d="M8 4.5v4M8 11v.5" />
        </svg>
      );
    case "FailedWithError":
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6" />
          <path d="M5.5 5.5l5 5M10.5 5.5l-5 5" />
        </svg>
      );
    case "Cancelled":
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6" />
          <path d="M4 12L12 4" />
        </svg>
      );
  }
}

export function StatusBadge({ status }: { status: ActivityStatus }) {
  return (
    <span
      data-testid="status-badge"
      data-status={status}
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${STYLES[status]}`}
    >
      <StatusIcon status={status} className="h-3.5 w-3.5" />
      {STATUS_LABELS[status]}
    </span>
  );
}
