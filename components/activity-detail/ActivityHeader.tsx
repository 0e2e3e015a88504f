"use client";
import Link from "next/link";
import type { ReactNode } from "react";
import type { ActivityDetail } from "@/lib/api/activities";
import type { ProgressSnapshot } from "@/lib/api/progress";
import { INITIATOR_LABELS, RUN_TYPE_LABELS, TARGET_TYPE_LABELS } from "@/lib/client/labels";
import { formatDuration, formatInt, formatRate } from "@/lib/client/format";
import { ordinal, plural } from "@/lib/client/error-types";
import { StatusBadge, toneOf } from "@/components/ui/StatusBadge";
import { ElapsedDuration } from "@/components/ui/ElapsedDuration";
import { Timestamp } from "@/components/ui/Timestamp";
import { isScheduleActivity, runRate } from "./activity-facts";

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="mt-0.5 break-words text-sm" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

const linkClass = "font-medium text-blue-800 underline-offset-2 hover:underline dark:text-blue-300";

/** "Queued · 2nd behind HR: Full import" with a link to that run; no ticking duration while it waits. */
export function QueueLine({ activity: a }: { activity: Pick<ActivityDetail, "queue" | "created"> }) {
  if (!a.queue) return null;
  return (
    <p className="text-sm" data-testid="queue-line">
      <span className="font-semibold">Queued</span> · {ordinal(a.queue.position)} in line
      {a.queue.behind ? (
        <>
          {" "}
          behind{" "}
          <Link href={`/activities/${a.queue.behind.id}`} className={linkClass}>
            {a.queue.behind.name}
          </Link>
        </>
      ) : null}{" "}
      <span className="text-slate-600 dark:text-slate-400">
        · waiting since <Timestamp iso={a.created} />
      </span>
    </p>
  );
}

/** Name, status, what it ran against, when, how long (from `started`), and the headline counts. */
export function ActivityHeader({
  activity: a,
  progress: p,
  actions,
  live,
}: {
  activity: ActivityDetail;
  progress: ProgressSnapshot;
  actions?: ReactNode;
  live?: ReactNode;
}) {
  const running = a.status === "InProgress";
  const queued = running && !a.started;
  const isRun = a.targetType === "ConnectedSystemRunProfile";
  const isSchedule = isScheduleActivity(a);
  const target = isSchedule
    ? (a.scheduleName ?? "Schedule")
    : a.connectedSystemName
      ? `${a.connectedSystemName}${a.runProfileName ? ` / ${a.runProfileName}` : ""}`
      : TARGET_TYPE_LABELS[a.targetType];
  const queueWait =
    a.totalActivityTimeMs !== null && a.executionTimeMs !== null ? a.totalActivityTimeMs - a.executionTimeMs : null;
  const rate = runRate(a, p);
  // The snapshot's counts: a schedule's are its steps' so far (its own stay 0 until it ends).
  const changed = p.operationCounts.all.totalObjectChangeCount ?? 0;
  const errors = p.operationCounts.all.totalObjectErrors ?? 0;

  return (
    <section aria-labelledby="activity-title" className="mb-4">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2 text-sm">
        <nav aria-label="Breadcrumb" className="flex flex-wrap items-center gap-1.5">
          <Link href="/" className={linkClass}>
            Activities
          </Link>
          {a.scheduleExecutionId ? (
            <>
              <span aria-hidden="true" className="text-slate-500">
                /
              </span>
              <Link href={`/activities/${a.scheduleExecutionId}`} className={linkClass} data-testid="parent-link">
                {a.scheduleName ?? "Schedule execution"}
              </Link>
              {a.stepIndex ? <span className="text-slate-700 dark:text-slate-300">(step {a.stepIndex})</span> : null}
            </>
          ) : null}
        </nav>
        {live}
      </div>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="mb-1 flex flex-wrap items-center gap-2">
            <StatusBadge status={toneOf(a)} />
            <span className="text-xs text-slate-600 dark:text-slate-400">
              {TARGET_TYPE_LABELS[a.targetType]}
              {a.runType ? ` · ${RUN_TYPE_LABELS[a.runType]}` : ""}
            </span>
          </div>
          <h1 id="activity-title" className="break-words text-2xl font-semibold">
            {a.name}
          </h1>
          {queued ? <QueueLine activity={a} /> : null}
          {(isRun || isSchedule) && !queued ? (
            <p className="mt-1 text-sm tabular-nums text-slate-800 dark:text-slate-200" data-testid="header-counters">
              <span data-testid="processed-count">{formatInt(p.objectsProcessed)}</span>{" "}
              {p.objectsProcessed === 1 ? "object" : "objects"} processed
              {isSchedule ? " by its steps" : ""} · <span data-testid="changes-count">{formatInt(changed)}</span>{" "}
              changed ·{" "}
              <a
                href="#errors"
                data-testid="errors-count"
                className={errors ? "font-semibold text-red-800 underline dark:text-red-300" : "text-inherit"}
              >
                {plural(errors, "error")}
              </a>
              {a.warningCount ? <> · {plural(a.warningCount, "warning")}</> : null}
            </p>
          ) : null}
        </div>
        {actions}
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 md:grid-cols-4 xl:grid-cols-6">
        <Field label="Target">{target}</Field>
        <Field label="Initiated by">
          {a.initiatedBy.name}{" "}
          <span className="text-slate-600 dark:text-slate-400">({INITIATOR_LABELS[a.initiatedBy.type]})</span>
        </Field>
        <Field label={a.started ? "Started" : "Queued at"} testId="started">
          <Timestamp iso={a.started ?? a.created} />
        </Field>
        <Field label="Ended">{a.ended ? <Timestamp iso={a.ended} /> : queued ? "Not started" : "Running"}</Field>
        <Field label={running ? "Running for" : "Duration"} testId="duration">
          {queued ? (
            "Not started"
          ) : (
            <ElapsedDuration started={a.started} ended={a.ended} durationMs={a.executionTimeMs} running={running} />
          )}
        </Field>
        {queueWait !== null && queueWait >= 1000 ? (
          <Field label="Waited in queue" testId="queue-wait">
            <span className="tabular-nums">{formatDuration(queueWait)}</span>
          </Field>
        ) : null}
        {isRun && !queued ? (
          <Field label={running ? "Rate (last 20 s)" : "Average rate"} testId="rate">
            <span className="tabular-nums">{rate === null ? "—" : `${formatRate(rate)} objects/s`}</span>
          </Field>
        ) : null}
      </dl>
      {a.errorMessage ? (
        <div
          role="note"
          data-testid="activity-error"
          className="mt-3 rounded-md border border-red-300 bg-red-50 px-4 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          <p className="whitespace-pre-wrap break-words">
            <span className="font-semibold">{a.status === "Cancelled" ? "Cancelled: " : "Run error: "}</span>
            {a.errorMessage}
          </p>
          {a.errorStackTrace ? (
            <details className="mt-1">
              <summary className="cursor-pointer font-medium">Stack trace</summary>
              <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap text-xs">{a.errorStackTrace}</pre>
            </details>
          ) : null}
        </div>
      ) : null}
      {errors === 0 ? <Warnings warnings={a.warnings} /> : null}
    </section>
  );
}

/** The run's warnings, folded (a run with errors shows them below its failures). */
export function Warnings({ warnings }: { warnings: string[] }) {
  if (!warnings.length) return null;
  return (
    <details className="mt-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      <summary className="cursor-pointer font-semibold">{plural(warnings.length, "warning")}</summary>
      <ul className="mt-1 list-disc pl-5">
        {warnings.map((w, i) => (
          <li key={i} className="break-words">
            {w}
          </li>
        ))}
      </ul>
    </details>
  );
}
