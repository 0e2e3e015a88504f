"use client";
import { formatDateTime, formatRelative } from "@/lib/client/format";
import { useNow } from "@/components/ui/useNow";

/** A time as "3 hours ago" with the exact local date and time as visible text under it (no hover needed). */
export function When({ iso, inline = false }: { iso: string | null | undefined; inline?: boolean }) {
  const now = useNow(30_000, !!iso);
  if (!iso) return <span>—</span>;
  const exact = formatDateTime(iso);
  if (inline)
    return (
      <time dateTime={iso} suppressHydrationWarning>
        {exact} <span className="text-slate-600 dark:text-slate-400">({formatRelative(iso, now)})</span>
      </time>
    );
  return (
    <time dateTime={iso} className="block leading-tight" suppressHydrationWarning>
      <span className="block">{formatRelative(iso, now)}</span>
      <span className="block text-xs text-slate-600 dark:text-slate-400">{exact}</span>
    </time>
  );
}
