"use client";
import type { Comparison } from "@/lib/api/activities";
import { formatInt } from "@/lib/client/format";
import { errorTypeHelp, errorTypeLabel, plural } from "@/lib/client/error-types";
import { Button } from "@/components/ui/Button";

/** Each error type of the run in plain words: how many, what it means, what usually fixes it. */
export function ErrorsByType({
  counts,
  onShow,
}: {
  counts: Record<string, number>;
  /** Filters the failed objects to this type; absent when the items are gone. */
  onShow: ((errorType: string) => void) | null;
}) {
  const rows = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((x, y) => y[1] - x[1]);
  if (!rows.length) return null;
  return (
    <div>
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
        {rows.map(([type, n]) => {
          const help = errorTypeHelp(type);
          return (
            <li
              key={type}
              className="flex flex-wrap items-start gap-x-4 gap-y-1 px-3 py-2"
              data-testid={`error-type-${type}`}
            >
              <div className="w-16 shrink-0 text-right text-lg font-semibold tabular-nums text-red-800 dark:text-red-300">
                {formatInt(n)}
              </div>
              <div className="min-w-0 flex-[1_1_14rem] text-sm">
                <p className="font-semibold">{errorTypeLabel(type)}</p>
                <p className="text-slate-700 dark:text-slate-300">{help.meaning}</p>
                <p className="text-slate-700 dark:text-slate-300">
                  <span className="font-medium text-slate-900 dark:text-slate-100">Usual fix:</span> {help.usualFix}
                </p>
              </div>
              {onShow ? (
                <Button size="sm" onClick={() => onShow(type)} data-testid={`error-type-link-${type}`}>
                  Show {plural(n, "object")}
                </Button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** "8 new · 3 recurring": against the previous run of the run profile. */
export function RecurrenceSummary({ recurrence }: { recurrence: Comparison["recurrence"] | null | undefined }) {
  if (!recurrence || recurrence.new + recurrence.recurring === 0) return null;
  return (
    <span className="text-sm text-slate-700 dark:text-slate-300" data-testid="recurrence-summary">
      {formatInt(recurrence.new)} new · {formatInt(recurrence.recurring)} recurring (failed in the previous run too)
    </span>
  );
}
