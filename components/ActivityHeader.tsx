"use client";
import Link from "next/link";
import type { ActivityDetail, ProgressSample } from "@/lib/api/schemas";
import { INITIATOR_LABELS, RUN_TYPE_LABELS, TARGET_TYPE_LABELS } from "@/lib/client/labels";
import { formatDuration, formatInt, formatRate } from "@/lib/client/format";
import { currentRate, etaMs } from "@/lib/client/rates";
import { StatusBadge } from "@/components/ui/StatusBadge";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { RelativeTime } from "@/components/ui/RelativeTime";
import { ElapsedDuration } from "@/components/ui/ElapsedDuration";

function Field({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="mt-0.5 break-words text-sm" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

export interface ScheduleRollup {
  processed: number;
  changes: number;
  errors: number;
  stepsDone: number;
  stepsTotal: number;
}

export function ActivityHeader({
  activity: a,
  samples,
  actions,
  rollup,
}: {
  activity: ActivityDetail;
  samples: ProgressSample[];
  actions?: React.ReactNode;
  /** For a schedule execution: totals over its steps (its own counters stay zero). */
  rollup?: ScheduleRollup;
}) {
  const running = a.status === "InProgress";
  const totals = rollup ?? {
    processed: a.totalObjectsProcessed,
    changes: a.totalObjectChangeCount,
    errors: a.totalObjectErrors,
  };
  const rate = rollup ? null : currentRate(samples);
  const overallRate =
    a.executionTimeMs && a.executionTimeMs > 0
      ? (rollup ? rollup.processed : a.progress.objectsProcessed || a.totalObjectsProcessed) /
        (a.executionTimeMs / 1000)
      : null;
  const shownRate = running && !rollup ? rate : overallRate;
  const eta = running ? etaMs(a.progress.objectsProcessed, a.progress.objectsToProcess, rate) : null;
  const target =
    a.targetType === "Schedule"
      ? (a.scheduleName ?? "Schedule")
      : a.connectedSystemName
        ? `${a.connectedSystemName}${a.runProfileName ? ` / ${a.runProfileName}` : ""}`
        : TARGET_TYPE_LABELS[a.targetType];
  return (
    <section aria-labelledby="activity-title" className="mb-6">
      {a.parentActivityId ? (
        <p className="mb-2 text-sm">
          <Link
            href={`/activities/${a.parentActivityId}`}
            className="text-blue-800 hover:underline dark:text-blue-300"
            data-testid="parent-link"
          >
            ← Part of a schedule execution (parent activity)
          </Link>
        </p>
      ) : null}
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="mb-1 flex items-center gap-2">
            <StatusBadge status={a.status} />
            <span className="text-xs text-slate-600 dark:text-slate-400">{TARGET_TYPE_LABELS[a.targetType]}</span>
          </div>
          <h1 id="activity-title" className="break-words text-2xl font-semibold">
            {a.name}
          </h1>
        </div>
        {actions}
      </div>
      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 md:grid-cols-4 xl:grid-cols-7">
        <Field label="Target">
          <span title={target}>{target}</span>
        </Field>
        <Field label="Run type">{a.runType ? RUN_TYPE_LABELS[a.runType] : "—"}</Field>
        <Field label="Initiated by">
          <span title={`${INITIATOR_LABELS[a.initiatedBy.type]}: ${a.initiatedBy.name}`}>
            {a.initiatedBy.name}{" "}
            <span className="text-slate-600 dark:text-slate-400">({INITIATOR_LABELS[a.initiatedBy.type]})</span>
          </span>
        </Field>
        <Field label="Started">
          <RelativeTime iso={a.started ?? a.created} />
        </Field>
        <Field label="Ended">{a.ended ? <RelativeTime iso={a.ended} /> : running ? "Running" : "—"}</Field>
        <Field label={running ? "Elapsed" : "Duration"} testId="duration">
          <ElapsedDuration started={a.started} ended={a.ended} durationMs={a.executionTimeMs} running={running} />
        </Field>
        <Field label={running ? "Rate" : "Average rate"} testId="rate">
          <span className="tabular-nums">{shownRate === null ? "—" : `${formatRate(shownRate)} objects/s`}</span>
        </Field>
      </dl>
      <div className="mt-4 flex flex-wrap items-center gap-x-6 gap-y-2">
        <div className="w-full max-w-xl">
          {rollup ? (
            <ProgressBar
              processed={rollup.stepsDone}
              total={rollup.stepsTotal || null}
              label="Steps finished"
              unit="steps finished"
              done={!running}
            />
          ) : (
            <ProgressBar
              processed={
                running ? a.progress.objectsProcessed : Math.max(a.progress.objectsProcessed, a.totalObjectsProcessed)
              }
              total={a.progress.objectsToProcess}
              label="Objects processed"
              done={!running}
            />
          )}
        </div>
        <p className="text-sm tabular-nums text-slate-700 dark:text-slate-300" data-testid="header-counters">
          <span data-testid="processed-count">{formatInt(totals.processed)}</span> processed ·{" "}
          <span data-testid="changes-count">{formatInt(totals.changes)}</span> changed ·{" "}
          <span
            data-testid="errors-count"
            className={totals.errors ? "font-semibold text-red-800 dark:text-red-300" : ""}
          >
            {formatInt(totals.errors)}
          </span>{" "}
          errors{rollup ? " (all steps)" : ""}
          {running && !rollup ? <> · ETA {eta === null ? "—" : formatDuration(eta)}</> : null}
        </p>
        {a.progress.message && running ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">{a.progress.message}</p>
        ) : null}
      </div>
      {a.errorMessage ? (
        <div
          role="note"
          className="mt-4 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          <p className="font-semibold">Error</p>
          <p className="mt-0.5 whitespace-pre-wrap break-words">{a.errorMessage}</p>
          {a.errorStackTrace ? (
            <details className="mt-2">
              <summary className="cursor-pointer font-medium">Stack trace</summary>
              <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap text-xs">{a.errorStackTrace}</pre>
            </details>
          ) : null}
        </div>
      ) : null}
      {a.warnings.length ? (
        <div
          role="note"
          className="mt-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <p className="font-semibold">
            {a.warnings.length} warning{a.warnings.length === 1 ? "" : "s"}
          </p>
          <ul className="mt-1 list-disc pl-5">
            {a.warnings.map((w, i) => (
              <li key={i} className="break-words">
                {w}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
