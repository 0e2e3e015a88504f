"use client";
import { formatDateTime, formatRelative } from "@/lib/client/format";
import { useNow } from "./useNow";

/** A time relative to now ("3 minutes ago") with the exact local time on hover. */
export function RelativeTime({ iso, className }: { iso: string | null | undefined; className?: string }) {
  const now = useNow(15_000, !!iso);
  if (!iso) return <span className={className}>—</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className={className} suppressHydrationWarning>
      {formatRelative(iso, now)}
    </time>
  );
}
