"use client";
import { formatDateTime, formatRelative } from "@/lib/client/format";
import { useNow } from "./useNow";

/**
 * An exact local time in plain text (so it is read and reached without hovering), with the
 * relative time beside it: "Nov 24, 2026, 1:02:03 AM · 3 minutes ago".
 */
export function Timestamp({ iso, relative = true }: { iso: string | null | undefined; relative?: boolean }) {
  const now = useNow(15_000, !!iso && relative);
  if (!iso) return <span>—</span>;
  return (
    <span suppressHydrationWarning>
      <time dateTime={iso}>{formatDateTime(iso)}</time>
      {relative ? <span className="text-slate-600 dark:text-slate-400"> · {formatRelative(iso, now)}</span> : null}
    </span>
  );
}
