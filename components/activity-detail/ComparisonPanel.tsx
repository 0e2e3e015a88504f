"use client";
import Link from "next/link";
import type { Comparison } from "@/lib/api/activities";
import { formatInt, formatSigned } from "@/lib/client/format";
import { errorTypeLabel } from "@/lib/client/error-types";

/** Error types whose count moved since the previous run, or that this run has. */
export const changedErrorTypes = (c: Comparison) =>
  c.previous ? c.errorTypes.filter((e) => e.delta !== 0 || e.current > 0) : [];

/**
 * This run's failed items per error type next to the previous run's: "Unhandled error: 6 (was 2, +4)".
 * The headline figures (errors, duration, processed) against the previous and the usual run are in
 * the run-history panel at the top of the page.
 */
export function ComparisonPanel({ comparison: c }: { comparison: Comparison }) {
  const changedTypes = changedErrorTypes(c);
  if (!c.previous || !changedTypes.length) return null;
  return (
    <div className="text-sm" data-testid="comparison">
      <p className="text-slate-700 dark:text-slate-300">
        Failed objects by error type, against the previous run{" "}
        <Link href={`/activities/${c.previous.id}`} className="font-medium text-blue-800 underline dark:text-blue-300">
          {c.previous.name}
        </Link>
        :
      </p>
      <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1" data-testid="comparison-error-types">
        {changedTypes.map((e) => (
          <li key={e.errorType}>
            {errorTypeLabel(e.errorType)}: {formatInt(e.current)} (was {formatInt(e.previous)},{" "}
            <span
              className={
                e.delta > 0
                  ? "text-red-800 dark:text-red-300"
                  : e.delta < 0
                    ? "text-emerald-800 dark:text-emerald-300"
                    : ""
              }
            >
              {formatSigned(e.delta)}
            </span>
            )
          </li>
        ))}
      </ul>
    </div>
  );
}
