"use client";
import Link from "next/link";
import { ActivityLink } from "@/components/ui/ActivityLink";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { endpoints } from "@/lib/client/endpoints";
import type { ScheduleExecution, ScheduleStepView } from "@/lib/api/schedules";
import { keys } from "@/lib/client/resources";
import { request } from "@/lib/client/http";
import { formatDuration, formatInt, formatSigned } from "@/lib/client/format";
import { errorTypeLabel, ordinal, plural } from "@/lib/client/error-types";
import { RUN_TYPE_LABELS } from "@/lib/client/labels";
import { STATUS_TONE, StatusBadge, StatusIcon, TONE_LABELS, type StatusTone } from "@/components/ui/StatusBadge";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { SkeletonBar } from "@/components/ui/Skeleton";
import { useNow } from "@/components/ui/useNow";
import { MutationError } from "@/components/ui/MutationError";

const stepTone = (s: ScheduleStepView): StatusTone =>
  s.status === "Pending" ? "Pending" : s.status === "InProgress" && !s.started ? "Queued" : s.status;

interface Span {
  start: number;
  end: number;
  projected: boolean;
}

/** Where each step sits in time: real start and end, or (pending) where it would run by its usual duration. */
function spans(e: ScheduleExecution, now: number): (Span | null)[] {
  const t0 = e.started ? Date.parse(e.started) : now;
  let cursor = now;
  let groupStart: { group: number | null; at: number } = { group: null, at: now };
  return e.steps.map((s) => {
    if (s.started) {
      const start = Date.parse(s.started);
      const end = s.ended ? Date.parse(s.ended) : now;
      cursor = Math.max(cursor, end, start + (s.started && !s.ended ? (s.expectedDurationMs ?? 0) : 0));
      return { start: start - t0, end: end - t0, projected: false };
    }
    if (s.status !== "Pending" && s.status !== "InProgress") return null; // cancelled before it started
    const len = s.expectedDurationMs ?? 0;
    const start =
      s.parallelGroup !== null && groupStart.group === s.parallelGroup ? groupStart.at : Math.max(cursor, now);
    groupStart = { group: s.parallelGroup, at: start };
    cursor = Math.max(cursor, start + len);
    return { start: start - t0, end: start + len - t0, projected: true };
  });
}

function CancelExecution({ execution: e }: { execution: ScheduleExecution }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const cancel = useMutation({
    mutationFn: () => request(endpoints.cancelScheduleExecution, { params: { id: e.id }, body: {} }),
    onSettled: () => {
      setOpen(false);
      void qc.invalidateQueries({ queryKey: keys.scheduleExecution(e.id) });
      void qc.invalidateQueries({ queryKey: keys.activity(e.id) });
    },
  });
  const pending = e.steps.filter((s) => s.status === "Pending").length;
  return (
    <>
      <Button variant="danger" size="sm" onClick={() => setOpen(true)} data-testid="cancel-schedule">
        Cancel schedule execution
      </Button>
      <MutationError mutation={cancel} what="Could not cancel" />
      <ConfirmDialog
        open={open}
        title="Cancel this schedule execution?"
        confirmLabel="Cancel schedule execution"
        cancelLabel="Keep running"
        pendingLabel="Cancelling…"
        danger
        mutation={cancel}
        onClose={() => setOpen(false)}
        onConfirm={() => cancel.mutate()}
        testId="cancel-schedule-dialog"
      >
        <p>
          The running step stops after its current object and ends Cancelled
          {pending ? `; the ${plural(pending, "pending step")} will not start` : ""}. Steps that already ended keep
          their results.
        </p>
      </ConfirmDialog>
    </>
  );
}

/** How each outcome looks on the timeline: colour AND pattern (stripes, hatching), so colour is never alone. */
const BAR_STYLES: Partial<Record<StatusTone, { className: string; pattern?: string; size?: string }>> = {
  Complete: { className: "bg-emerald-600 dark:bg-emerald-400" },
  CompleteWithWarning: {
    className: "bg-amber-400 dark:bg-amber-300",
    pattern: "radial-gradient(circle, rgba(0,0,0,.35) 1px, transparent 1.5px)",
    size: "5px 5px",
  },
  CompleteWithError: {
    className: "bg-orange-500 dark:bg-orange-400",
    pattern: "repeating-linear-gradient(135deg, rgba(255,255,255,.55) 0 3px, transparent 3px 7px)",
  },
  FailedWithError: {
    className: "bg-red-700 dark:bg-red-500",
    pattern:
      "repeating-linear-gradient(45deg, rgba(255,255,255,.6) 0 2px, transparent 2px 6px), repeating-linear-gradient(135deg, rgba(255,255,255,.6) 0 2px, transparent 2px 6px)",
  },
  Cancelled: {
    className: "bg-slate-400 dark:bg-slate-500",
    pattern: "repeating-linear-gradient(90deg, rgba(255,255,255,.6) 0 2px, transparent 2px 5px)",
  },
  InProgress: { className: "sw-pulse bg-blue-600 dark:bg-blue-400" },
};
const LEGEND: StatusTone[] = ["Complete", "CompleteWithWarning", "CompleteWithError", "FailedWithError", "Cancelled"];

function Bar({ tone, className = "" }: { tone: StatusTone; className?: string }) {
  const style = BAR_STYLES[tone] ?? { className: "bg-slate-400" };
  return (
    <span
      className={`block rounded ${style.className} ${className}`}
      style={style.pattern ? { backgroundImage: style.pattern, backgroundSize: style.size } : undefined}
    />
  );
}

const PROBLEM_TONES: StatusTone[] = ["FailedWithError", "CompleteWithError", "Cancelled"];

/** "6 errors: 4 Unhandled error, 2 Duplicate object". */
function errorsInWords(s: ScheduleStepView): string | null {
  if (!s.totalObjectErrors) return null;
  const types = Object.entries(s.errorTypeCounts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${formatInt(n)} ${errorTypeLabel(t)}`);
  return `${plural(s.totalObjectErrors, "error")}${types.length ? `: ${types.join(", ")}` : ""}`;
}

/** At the top of the execution: the steps that failed, ended with errors or were cancelled, and why, inline. */
function ProblemSteps({ execution: e }: { execution: ScheduleExecution }) {
  const problems = e.steps.filter((s) => PROBLEM_TONES.includes(stepTone(s)));
  if (!problems.length) return null;
  return (
    <ul className="mb-3 space-y-1.5" aria-label="Steps that failed or had errors" data-testid="schedule-failed-steps">
      {problems.map((s) => {
        const tone = stepTone(s);
        const errors = errorsInWords(s);
        return (
          <li
            key={s.stepIndex}
            data-testid="schedule-failed-step"
            data-status={tone}
            className={`rounded-md px-3 py-2 text-sm ring-1 ring-inset ${STATUS_TONE[tone]}`}
          >
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <StatusIcon status={tone} className="h-4 w-4 shrink-0" />
              <span className="font-semibold">
                Step {s.stepIndex} {TONE_LABELS[tone].toLowerCase()}:
              </span>
              {s.activityId ? (
                <Link href={`/activities/${s.activityId}`} className="font-semibold break-words underline">
                  {s.name}
                </Link>
              ) : (
                <span className="font-semibold break-words">{s.name}</span>
              )}
            </div>
            {s.errorMessage ? (
              <p className="mt-1 break-words whitespace-pre-wrap" data-testid="schedule-failed-step-error">
                {s.errorMessage}
              </p>
            ) : null}
            {errors ? <p className="mt-0.5">{errors}</p> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** "vs previous: 58 s → +12 s ▲ · errors 3 → +2 ▲": the same step of the previous execution. */
function AgainstPrevious({ step: s }: { step: ScheduleStepView }) {
  const p = s.previous;
  if (!p || !s.started) return null;
  const arrow = (n: number) => (n > 0 ? "▲ " : n < 0 ? "▼ " : "");
  const tone = (n: number) =>
    n > 0 ? "font-semibold text-red-800 dark:text-red-300" : n < 0 ? "text-emerald-800 dark:text-emerald-300" : "";
  return (
    <p className="ml-8 text-xs tabular-nums text-slate-700 dark:text-slate-300" data-testid="step-vs-previous">
      vs previous execution: {formatDuration(p.executionTimeMs)}
      {p.durationDeltaMs !== null && s.status !== "InProgress" ? (
        <span className={tone(Math.abs(p.durationDeltaMs) < 1000 ? 0 : p.durationDeltaMs)}>
          {" "}
          <span aria-hidden="true">{arrow(Math.abs(p.durationDeltaMs) < 1000 ? 0 : p.durationDeltaMs)}</span>
          {formatSigned(p.durationDeltaMs, formatDuration)}
        </span>
      ) : null}
      {" · "}
      {plural(p.totalObjectErrors, "error")}
      {p.errorsDelta !== null ? (
        <span className={tone(p.errorsDelta)}>
          {" "}
          <span aria-hidden="true">{arrow(p.errorsDelta)}</span>
          {formatSigned(p.errorsDelta)}
        </span>
      ) : null}
    </p>
  );
}

/**
 * Every planned step of a schedule execution, pending ones greyed, the current one highlighted,
 * on a time-scaled timeline (a bar per step; parallel steps side by side in time). The steps that
 * failed or had errors come first, with their error inline; each step is set against the same
 * step of the previous execution.
 */
export function ScheduleExecutionView({
  execution: e,
  isAdmin,
}: {
  /** From the page's snapshot: its header and these steps are one answer. */
  execution: ScheduleExecution | null;
  isAdmin: boolean;
}) {
  const running = e?.status === "InProgress";
  const now = useNow(1000, !!running);
  if (!e) return <SkeletonBar className="h-48" />;
  const layout = spans(e, now);
  const total = Math.max(1, ...layout.map((s) => (s ? s.end : 0)));
  const currentIndex = e.currentStep?.index ?? null;
  const ticks = [0, 0.25, 0.5, 0.75, 1];

  return (
    <div data-testid="schedule-execution">
      <ProblemSteps execution={e} />
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm font-medium" data-testid="schedule-step-of">
          {running && e.currentStep
            ? `Step ${e.currentStep.index} of ${e.currentStep.count} running · ${formatInt(e.stepsCompleted)} ended`
            : `${formatInt(e.stepsCompleted)} of ${plural(e.stepCount, "step")} ended`}
        </p>
        {running && isAdmin ? <CancelExecution execution={e} /> : null}
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
        <div className="min-w-[720px]">
          <div className="grid grid-cols-[minmax(18rem,30rem)_1fr] border-b border-slate-200 bg-slate-100 text-xs font-semibold text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300">
            <div className="px-3 py-2">Step</div>
            <div className="relative mr-10 h-8" aria-hidden="true">
              {ticks.map((f) => (
                <span
                  key={f}
                  className="absolute top-2 -translate-x-1/2 whitespace-nowrap first:translate-x-0 last:-translate-x-full"
                  style={{ left: `${f * 100}%` }}
                >
                  {formatDuration(f * total)}
                </span>
              ))}
            </div>
          </div>
          <ol aria-label="Steps">
            {e.steps.map((s, i) => {
              const span = layout[i];
              const pending = s.status === "Pending";
              const current = s.stepIndex === currentIndex && running;
              const tone = stepTone(s);
              return (
                <li
                  key={s.stepIndex}
                  data-testid="schedule-step"
                  data-status={tone}
                  aria-current={current ? "step" : undefined}
                  className={`grid grid-cols-[minmax(18rem,30rem)_1fr] items-center border-b border-slate-200 last:border-b-0 dark:border-slate-800 ${
                    current
                      ? "bg-blue-50 outline-2 -outline-offset-2 outline-blue-600 dark:bg-blue-950/60 dark:outline-blue-400"
                      : pending
                        ? "bg-slate-50 dark:bg-slate-900/60"
                        : ""
                  }`}
                >
                  <div className={`min-w-0 px-3 py-2 ${pending ? "text-slate-600 dark:text-slate-400" : ""}`}>
                    <div className="flex items-start gap-2">
                      <span className="w-6 shrink-0 pt-0.5 text-right text-xs tabular-nums">{s.stepIndex}.</span>
                      {s.activityId ? (
                        <ActivityLink
                          id={s.activityId}
                          className="min-w-0 break-words font-medium"
                          data-testid="schedule-step-name"
                        >
                          {s.name}
                        </ActivityLink>
                      ) : (
                        <span className="min-w-0 break-words" data-testid="schedule-step-name">
                          {s.name}
                        </span>
                      )}
                    </div>
                    <div className="ml-8 mt-1 flex flex-wrap items-center gap-x-2 gap-y-0.5">
                      <StatusBadge status={tone} />
                      <span className="text-xs tabular-nums text-slate-700 dark:text-slate-300">
                        {RUN_TYPE_LABELS[s.runType]}
                        {pending
                          ? s.expectedDurationMs !== null
                            ? ` · usually ${formatDuration(s.expectedDurationMs)}`
                            : ""
                          : s.queue
                            ? ` · ${ordinal(s.queue.position)} in line${s.queue.behind ? ` behind ${s.queue.behind.name}` : ""}`
                            : !s.activityId
                              ? " · did not start"
                              : ` · ${formatDuration(s.executionTimeMs)} · ${formatInt(s.objectsProcessed)} objects`}
                        {s.totalObjectErrors ? (
                          <span className="font-semibold text-red-800 dark:text-red-300">
                            {" "}
                            · {plural(s.totalObjectErrors, "error")}
                          </span>
                        ) : null}
                      </span>
                    </div>
                    <AgainstPrevious step={s} />
                  </div>
                  <div className="relative mr-10 h-10" aria-hidden="true">
                    {span ? (
                      span.projected ? (
                        <span
                          className="absolute top-3 h-4 rounded border border-dashed border-slate-400 dark:border-slate-500"
                          style={{
                            left: `${(span.start / total) * 100}%`,
                            width: `max(4px, ${((span.end - span.start) / total) * 100}%)`,
                          }}
                        />
                      ) : (
                        <span
                          className="absolute top-3 h-4"
                          style={{
                            left: `${(span.start / total) * 100}%`,
                            width: `max(4px, ${((span.end - span.start) / total) * 100}%)`,
                          }}
                        >
                          <Bar tone={tone} className="h-4" />
                        </span>
                      )
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ol>
        </div>
      </div>
      <div className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-700 dark:text-slate-300">
        <span>
          Bars are to scale from the start of the execution; dashed bars are pending steps at their usual duration.
        </span>
        <ul className="flex flex-wrap gap-x-3 gap-y-1" aria-label="Bar legend" data-testid="schedule-legend">
          {LEGEND.map((t) => (
            <li key={t} className="inline-flex items-center gap-1">
              <Bar tone={t} className="h-3 w-5" />
              {TONE_LABELS[t]}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
