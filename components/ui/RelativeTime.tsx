"use client";
import { useId } from "react";
import { formatDateTime, formatRelative } from "@/lib/client/format";
import { useNow } from "./useNow";

/**
 * A time relative to now ("3 minutes ago"). The exact local time is a tooltip shown on hover AND on
 * keyboard focus (the element is focusable), and screen readers get it as the description.
 */
export function RelativeTime({ iso, className = "" }: { iso: string | null | undefined; className?: string }) {
  const now = useNow(15_000, !!iso);
  const id = useId();
  if (!iso) return <span className={className}>—</span>;
  const exact = formatDateTime(iso);
  return (
    <span className="group/rt relative inline-block max-w-full">
      <time
        dateTime={iso}
        tabIndex={0}
        aria-describedby={id}
        data-testid="relative-time"
        className={`cursor-help rounded-sm underline decoration-slate-400 decoration-dotted underline-offset-2 ${className}`}
        suppressHydrationWarning
      >
        {formatRelative(iso, now)}
      </time>
      <span
        id={id}
        role="tooltip"
        suppressHydrationWarning
        className="pointer-events-none absolute right-0 bottom-full z-30 mb-1 hidden rounded bg-slate-900 px-2 py-1 text-xs font-normal whitespace-nowrap text-white normal-case shadow-lg group-focus-within/rt:block group-hover/rt:block dark:bg-slate-100 dark:text-slate-900"
      >
        {exact}
      </span>
    </span>
  );
}
