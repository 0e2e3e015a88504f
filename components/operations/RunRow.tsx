"use client";
import type { ReactNode } from "react";
import type { ActivitySummary } from "@/lib/api/activities";
import { ActivityLink } from "@/components/ui/ActivityLink";

/** How a run's row looks, and the test id it answers to, in each section of the Operations page. */
const ROWS = {
  running: {
    testId: "ops-running-row",
    className: "rounded-lg border border-slate-200 p-3 dark:border-slate-800",
  },
  queued: {
    testId: "ops-queued-row",
    className:
      "flex flex-wrap items-start justify-between gap-2 border-t border-slate-200 px-3 py-2 first:border-t-0 dark:border-slate-800",
  },
} as const;

/** A run's row in the Running now or Queued section, marked with its activity id. */
export function RunRow({
  a,
  section,
  children,
}: {
  a: ActivitySummary;
  section: keyof typeof ROWS;
  children: ReactNode;
}) {
  const { testId, className } = ROWS[section];
  return (
    <li className={className} data-testid={testId} data-activity-id={a.id}>
      {children}
    </li>
  );
}

/** The run's name, a link to its page (a long name wraps anywhere). */
export function RunName({ a }: { a: ActivitySummary }) {
  return (
    <ActivityLink id={a.id} className="font-medium [overflow-wrap:anywhere]">
      {a.name}
    </ActivityLink>
  );
}
