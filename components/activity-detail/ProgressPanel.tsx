"use client";
import type { ActivityDetail } from "@/lib/api/activities";
import type { ProgressSnapshot } from "@/lib/api/progress";
import { formatDuration, formatInt, formatRate } from "@/lib/client/format";
import { plural } from "@/lib/client/error-types";
import { describeRemaining } from "@/lib/domain/progress";

const BASIS: Record<NonNullable<ProgressSnapshot["estimateBasis"]>, string> = {
  "recent-rate": "from the last 20 s",
  "previous-runs": "from earlier runs of this run profile",
  mixed: "from this run and earlier runs",
};

function Bar({ percent, label, valueText }: { percent: number | null; label: string; valueText: string }) {
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent === null ? undefined : Math.round(percent)}
      aria-valuetext={valueText}
      className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
    >
      <div
        className={`h-2.5 rounded-full bg-blue-600 transition-[width] duration-500 dark:bg-blue-400 ${percent === null ? "sw-pulse w-1/3" : ""}`}
        style={percent === null ? undefined : { width: `${Math.min(100, Math.max(0, percent)).toFixed(1)}%` }}
      />
    </div>
  );
}

function Phases({ phases }: { phases: ProgressSnapshot["phases"] }) {
  if (!phases.length) return null;
  return (
    <ol aria-label="Phases" className="flex flex-wrap items-center gap-1 text-xs" data-testid="phases">
      {phases.map((ph, i) => {
        const ms = ph.ended ? Date.parse(ph.ended) - Date.parse(ph.started) : null;
        return (
          <li key={`${ph.name}-${i}`} className="flex items-center gap-1">
            {i > 0 ? (
              <span aria-hidden="true" className="text-slate-500">
                →
              </span>
            ) : null}
            <span
              aria-current={ph.status === "Running" ? "step" : undefined}
              className={`rounded px-1.5 py-0.5 ${
                ph.status === "Running"
                  ? "bg-blue-100 font-semibold text-blue-950 dark:bg-blue-950 dark:text-blue-100"
                  : ph.status === "Failed"
                    ? "bg-red-100 text-red-950 dark:bg-red-950 dark:text-red-100"
                    : "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100"
              }`}
            >
              {ph.name}
              {ph.status === "Running" ? " (now)" : ms !== null ? ` ${formatDuration(ms)}` : ""}
              {ph.status === "Failed" ? " — failed" : ph.status === "Cancelled" ? " — cancelled" : ""}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/**
 * Where the activity stands, from the server's progress snapshot: percent, objects (or steps for a
 * schedule), the recent rate and the time left ("estimating…" until there is something to go on).
 */
export function ProgressPanel({ activity: a, progress: p }: { activity: ActivityDetail; progress: ProgressSnapshot }) {
  const running = p.state === "Running";
  if (p.state === "Queued") return null;
  // a range while the estimate is unsure ("1–2 min left"), one figure once it is confident ("about 40 s left")
  const range = p.estimateRange;
  const etaText = running
    ? range === null
      ? "estimating…"
      : `${describeRemaining({ low: range.lowSeconds, high: range.highSeconds })} left`
    : null;

  if (p.unit === "steps" && p.steps) {
    const text = `${formatInt(p.steps.completed)} of ${formatInt(p.steps.total)} steps ended`;
    return (
      <section aria-label="Progress" className="mb-4 space-y-2" data-testid="progress-panel">
        <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
          <p className="font-medium" data-testid="step-of">
            {p.currentStep && running
              ? `Step ${p.currentStep.index} of ${p.currentStep.count}: ${p.currentStep.name}`
              : text}
          </p>
          <p className="tabular-nums text-slate-700 dark:text-slate-300">
            {running ? `${text} · ` : ""}
            {plural(p.objectsProcessed, "object")} processed by its steps
            {etaText ? (
              <>
                {" "}
                · <span data-testid="eta">{etaText}</span>
              </>
            ) : null}
          </p>
        </div>
        <Bar percent={p.percentComplete ?? (running ? null : 100)} label="Steps ended" valueText={text} />
      </section>
    );
  }

  if (a.targetType !== "ConnectedSystemRunProfile") {
    // schema imports, certificates...: no object counts to speak of; say what is going on
    if (!running && !p.phases.length) return null;
    return (
      <section aria-label="Progress" className="mb-4 space-y-2" data-testid="progress-panel">
        {running ? (
          <Bar
            percent={p.percentComplete}
            label="Progress"
            valueText={p.percentComplete === null ? "In progress" : `${Math.round(p.percentComplete)} %`}
          />
        ) : null}
        {running && a.progress.message ? <p className="text-sm">{a.progress.message}</p> : null}
        <Phases phases={p.phases} />
      </section>
    );
  }

  if (!running)
    return p.phases.length > 1 ? (
      <div className="mb-4">
        <Phases phases={p.phases} />
      </div>
    ) : null;
  const total = p.objectsToProcess;
  const valueText =
    total !== null
      ? `${formatInt(p.objectsProcessed)} of ${formatInt(total)} objects${p.percentComplete !== null ? ` (${Math.round(p.percentComplete)} %)` : ""}`
      : `${formatInt(p.objectsProcessed)} objects, total not known yet`;
  return (
    <section aria-label="Progress" className="mb-4 space-y-2" data-testid="progress-panel">
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm tabular-nums">
        <p className="font-medium" data-testid="progress-text">
          {valueText}
        </p>
        <p className="text-slate-700 dark:text-slate-300">
          {p.objectsPerSecond === null ? "rate: measuring…" : `${formatRate(p.objectsPerSecond)} objects/s`} ·{" "}
          <span data-testid="eta">{etaText}</span>
          {range !== null && p.estimateBasis ? (
            <span className="text-slate-600 dark:text-slate-400"> ({BASIS[p.estimateBasis]})</span>
          ) : null}
        </p>
      </div>
      <Bar percent={p.percentComplete} label="Objects processed" valueText={valueText} />
      {a.progress.message ? <p className="text-sm text-slate-700 dark:text-slate-300">{a.progress.message}</p> : null}
      <Phases phases={p.phases} />
    </section>
  );
}
