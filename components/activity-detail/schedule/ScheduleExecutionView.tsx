"use client";
import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endpoints } from "@/lib/api/endpoints";
import type { ScheduleExecution, ScheduleStepView } from "@/lib/api/schedules";
import { keys, queries } from "@/lib/client/resources";
import { describeError, request } from "@/lib/client/http";
import { formatDuration, formatInt } from "@/lib/client/format";
import { ordinal, plural } from "@/lib/client/error-types";
import { RUN_TYPE_LABELS } from "@/lib/client/labels";
import { StatusBadge, type StatusTone } from "@/components/ui/StatusBadge";
import { Button } from "@/components/ui/Button";
import { ErrorBanner } from "@/components/ui/ErrorBanner";
import { Modal } from "@/components/ui/Modal";
import { SkeletonBar } from "@/components/ui/Skeleton";
import { useNow } from "@/components/ui/useNow";
import { useRefetchWhenChanged } from "../useActivitySnapshot";

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
      {cancel.isError ? (
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          Could not cancel: {describeError(cancel.error)}
        </p>
      ) : null}
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        labelledBy="cancel-schedule-title"
        testId="cancel-schedule-dialog"
      >
        <div className="p-5">
          <h2 id="cancel-schedule-title" className="text-lg font-semibold">
            Cancel this schedule execution?
          </h2>
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
            The running step stops after its current object and ends Cancelled
            {pending ? `; the ${plural(pending, "pending step")} will not start` : ""}. Steps that already ended keep
            their results.
          </p>
          <div className="mt-5 flex justify-end gap-2">
            <Button onClick={() => setOpen(false)} autoFocus>
              Keep running
            </Button>
            <Button variant="danger" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
              {cancel.isPending ? "Cancelling…" : "Cancel schedule execution"}
            </Button>
          </div>
        </div>
      </Modal>
    </>
  );
}

/**
 * Every planned step of a schedule execution, pending ones greyed, the current one highlighted,
 * on a time-scaled timeline (a bar per step; parallel steps side by side in time).
 */
export function ScheduleExecutionView({ id, version, isAdmin }: { id: string; version: number; isAdmin: boolean }) {
  const q = useQuery(queries.scheduleExecution(id));
  useRefetchWhenChanged(keys.scheduleExecution(id), version);
  const e = q.data;
  const running = e?.status === "InProgress";
  const now = useNow(1000, !!running);
  if (!e) {
    return q.isError ? (
      <ErrorBanner title="The steps could not be loaded" action={<Button onClick={() => q.refetch()}>Retry</Button>}>
        {describeError(q.error)}
      </ErrorBanner>
    ) : (
      <SkeletonBar className="h-48" />
    );
  }
  const layout = spans(e, now);
  const total = Math.max(1, ...layout.map((s) => (s ? s.end : 0)));
  const currentIndex = e.currentStep?.index ?? null;
  const ticks = [0, 0.25, 0.5, 0.75, 1];

  return (
    <div data-testid="schedule-execution">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm font-medium" data-testid="schedule-step-of">
          {running && e.currentStep
            ? `Step ${e.currentStep.index} of ${e.currentStep.count} running · ${formatInt(e.stepsCompleted)} ended`
            : `${formatInt(e.stepsCompleted)} of ${plural(e.stepCount, "step")} ended`}
        </p>
        {running && isAdmin ? <CancelExecution execution={e} /> : null}
      </div>
      {q.isError ? <ErrorBanner title="Cannot refresh the steps">{describeError(q.error)}</ErrorBanner> : null}
      <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
        <div className="min-w-[720px]">
          <div className="grid grid-cols-[minmax(0,22rem)_1fr] border-b border-slate-200 bg-slate-100 text-xs font-semibold text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300">
            <div className="px-3 py-2">Step</div>
            <div className="relative h-8" aria-hidden="true">
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
                  className={`grid grid-cols-[minmax(0,22rem)_1fr] items-center border-b border-slate-200 last:border-b-0 dark:border-slate-800 ${
                    current
                      ? "bg-blue-50 outline-2 -outline-offset-2 outline-blue-600 dark:bg-blue-950/60 dark:outline-blue-400"
                      : pending
                        ? "bg-slate-50 dark:bg-slate-900/60"
                        : ""
                  }`}
                >
                  <div className={`min-w-0 px-3 py-2 ${pending ? "text-slate-600 dark:text-slate-400" : ""}`}>
                    <div className="flex items-center gap-2">
                      <span className="w-6 shrink-0 text-right text-xs tabular-nums">{s.stepIndex}.</span>
                      <StatusBadge status={tone} />
                      {s.activityId ? (
                        <Link
                          href={`/activities/${s.activityId}`}
                          className="min-w-0 truncate font-medium text-blue-800 hover:underline dark:text-blue-300"
                        >
                          {s.name}
                        </Link>
                      ) : (
                        <span className="min-w-0 truncate">{s.name}</span>
                      )}
                    </div>
                    <p className="ml-8 mt-0.5 text-xs tabular-nums text-slate-700 dark:text-slate-300">
                      {RUN_TYPE_LABELS[s.runType]}
                      {pending
                        ? s.expectedDurationMs !== null
                          ? ` · usually ${formatDuration(s.expectedDurationMs)}`
                          : ""
                        : s.queue
                          ? ` · ${ordinal(s.queue.position)} in line${s.queue.behind ? ` behind ${s.queue.behind.name}` : ""}`
                          : ` · ${formatDuration(s.executionTimeMs)} · ${formatInt(s.objectsProcessed)} objects`}
                      {s.totalObjectErrors ? (
                        <span className="font-semibold text-red-800 dark:text-red-300">
                          {" "}
                          · {plural(s.totalObjectErrors, "error")}
                        </span>
                      ) : null}
                    </p>
                  </div>
                  <div className="relative h-10" aria-hidden="true">
                    {span ? (
                      <span
                        className={`absolute top-3 h-4 rounded ${
                          span.projected
                            ? "border border-dashed border-slate-400 bg-transparent dark:border-slate-500"
                            : s.totalObjectErrors || s.status === "FailedWithError"
                              ? "bg-red-500 dark:bg-red-400"
                              : s.status === "InProgress"
                                ? "sw-pulse bg-blue-500 dark:bg-blue-400"
                                : "bg-emerald-500 dark:bg-emerald-400"
                        }`}
                        style={{
                          left: `${(span.start / total) * 100}%`,
                          width: `max(4px, ${((span.end - span.start) / total) * 100}%)`,
                        }}
                      />
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ol>
        </div>
      </div>
      <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
        Bars are to scale from the start of the execution; dashed bars are pending steps at their usual duration.
      </p>
    </div>
  );
}
