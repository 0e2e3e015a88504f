"use client";
import Link from "next/link";
import { ActivityLink } from "@/components/ui/ActivityLink";
import type { ActivityListItem, ActivitySummary } from "@/lib/api/activities";
import { formatDuration, formatInt } from "@/lib/client/format";
import { RUN_TYPE_LABELS, TARGET_TYPE_LABELS } from "@/lib/client/labels";
import { isQueued, ordinal, queuePlace } from "@/lib/client/queue";
import { ElapsedDuration } from "@/components/ui/ElapsedDuration";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { StatusBadge, toneOf } from "@/components/ui/StatusBadge";
import { useNow } from "@/components/ui/useNow";
import { UnusualBadge } from "@/components/run-history/UnusualBadge";

const linkClass = "font-medium text-blue-800 hover:underline dark:text-blue-300";

/** Status, and for a queued run where it waits: "Queued · 2nd behind <run>"; "Unusual" when it is for its profile. */
export function StatusCell({ a }: { a: ActivitySummary & Partial<Pick<ActivityListItem, "unusual">> }) {
  const place = queuePlace(a);
  return (
    <div className="min-w-0">
      <div className="flex flex-wrap items-center gap-1">
        <StatusBadge status={toneOf(a)} />
        <UnusualBadge reasons={a.unusual ?? null} running={a.status === "InProgress"} />
      </div>
      {place ? (
        <p className="mt-0.5 text-xs text-slate-700 dark:text-slate-300" data-testid="queue-place">
          {a.queue?.behind ? (
            <>
              {ordinal(a.queue.position)} behind{" "}
              <ActivityLink id={a.queue.behind.id}>{a.queue.behind.name}</ActivityLink>
            </>
          ) : (
            place
          )}
        </p>
      ) : null}
    </div>
  );
}

export function NameCell({ a }: { a: ActivitySummary }) {
  return (
    <div className="min-w-0">
      <Link
        href={`/activities/${a.id}`}
        className={linkClass}
        title={a.name}
        data-testid="activity-link"
        data-row-primary
      >
        <span className="line-clamp-2 [overflow-wrap:anywhere]">{a.name}</span>
      </Link>
      {a.errorMessage ? <FailureReason text={a.errorMessage} /> : null}
    </div>
  );
}

/**
 * Why a run failed (its errorMessage), so that a run that failed before processing anything does not
 * just say "0 errors": one line, the full text on hover (title) and on keyboard focus (the line
 * unfolds); screen readers read it whole.
 */
function FailureReason({ text }: { text: string }) {
  return (
    <p
      tabIndex={0}
      title={text}
      data-testid="failure-reason"
      className="mt-0.5 cursor-help truncate rounded-sm text-xs text-red-800 focus:whitespace-normal focus:[overflow-wrap:anywhere] dark:text-red-300"
    >
      <span className="sr-only">Why it failed: </span>
      {text}
    </p>
  );
}

/** The API's target name: "system / run profile" on two lines, or the schedule, or the type. */
export function TargetCell({ a }: { a: ActivitySummary }) {
  const [primary, secondary] =
    a.connectedSystemName && a.runProfileName ? [a.connectedSystemName, a.runProfileName] : [a.targetName, null];
  return (
    <div className="min-w-0">
      <div className="truncate" title={primary}>
        {primary}
      </div>
      {secondary ? (
        <div className="truncate text-xs text-slate-600 dark:text-slate-400" title={secondary}>
          {secondary}
        </div>
      ) : null}
    </div>
  );
}

export const typeText = (a: ActivitySummary) =>
  a.runType ? RUN_TYPE_LABELS[a.runType] : TARGET_TYPE_LABELS[a.targetType];

/** For a step: its schedule execution, "step N". */
export function ParentScheduleCell({ a }: { a: ActivitySummary }) {
  if (!a.scheduleExecutionId) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  return (
    <Link
      href={`/activities/${a.scheduleExecutionId}`}
      className="block min-w-0 text-sm text-blue-800 hover:underline dark:text-blue-300"
      data-testid="parent-schedule-link"
      title={`Step ${a.stepIndex ?? "?"} of ${a.scheduleName ?? "its schedule"}`}
    >
      <span className="block truncate">{a.scheduleName ?? "Schedule"}</span>
      <span className="block text-xs">step {a.stepIndex ?? "?"}</span>
    </Link>
  );
}

/** Run time from `started` (never the queue wait); while queued, how long it has waited. */
export function DurationCell({ a }: { a: ActivitySummary }) {
  const queued = isQueued(a);
  const now = useNow(1000, queued);
  if (queued)
    return (
      <span className="text-xs text-slate-600 dark:text-slate-400" suppressHydrationWarning>
        waiting {formatDuration(Math.max(0, now - Date.parse(a.created)))}
      </span>
    );
  return (
    <ElapsedDuration
      started={a.started}
      ended={a.ended}
      durationMs={a.executionTimeMs}
      running={a.status === "InProgress"}
    />
  );
}

export function ProcessedCell({ a }: { a: ActivitySummary }) {
  if (isQueued(a)) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  if (a.status === "InProgress")
    return (
      <ProgressBar
        size="sm"
        processed={a.progress.objectsProcessed}
        total={a.progress.objectsToProcess}
        label={`Progress of ${a.name}`}
      />
    );
  return <span className="tabular-nums">{formatInt(a.totalObjectsProcessed)}</span>;
}

export function ErrorsCell({ n }: { n: number }) {
  return (
    <span className={"tabular-nums " + (n > 0 ? "font-semibold text-red-800 dark:text-red-300" : "")}>
      {formatInt(n)}
    </span>
  );
}
