"use client";
import dynamic from "next/dynamic";
import { memo, useDeferredValue, useMemo, useState } from "react";
import type { ActivityDetail } from "@/lib/api/activities";
import type { ProgressSample, ProgressSnapshot } from "@/lib/api/progress";
import { formatDuration, formatInt, formatRate } from "@/lib/client/format";
import { SkeletonBar } from "@/components/ui/Skeleton";
import { chartsCollapsedByDefault, runRate } from "../activity-facts";
import { chartPoints } from "./chart-data";

// Recharts is most of this page's JavaScript: load it after the page, not with it. Drawing it is
// most of the page's work on each pushed snapshot too: it is drawn again only when its points
// change (memo; not for the pushes of the history, comparison or items), and after the rest of the
// page has shown the change (a deferred value: React draws it in a second, interruptible pass).
const ProgressCharts = memo(
  dynamic(() => import("./ProgressCharts"), {
    ssr: false,
    loading: () => <SkeletonBar className="h-60" />,
  }),
);

/** Under 5 seconds, or fewer than 3 samples, a chart is a dot: say it in numbers instead. */
function ShortRun({ activity: a, progress: p }: { activity: ActivityDetail; progress: ProgressSnapshot }) {
  const rate = runRate(a, p);
  const total = Math.max(1, p.objectsProcessed);
  const parts = [
    { label: "Changed", n: a.totalObjectChangeCount, cls: "bg-emerald-600 dark:bg-emerald-400" },
    { label: "Failed", n: a.totalObjectErrors, cls: "bg-red-600 dark:bg-red-400" },
  ];
  return (
    <div
      className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800"
      data-testid="short-run-summary"
    >
      <p>
        Ran {formatDuration(a.executionTimeMs)}: {formatInt(p.objectsProcessed)} objects
        {rate !== null ? ` at ${formatRate(rate)} objects/s` : ""} — too short to draw over time.
      </p>
      <ul className="mt-2 space-y-1">
        {parts.map((x) => (
          <li key={x.label} className="flex items-center gap-2">
            <span className="w-20 text-slate-700 dark:text-slate-300">{x.label}</span>
            <span className="h-2.5 flex-1 overflow-hidden rounded bg-slate-200 dark:bg-slate-700" aria-hidden="true">
              <span className={`block h-2.5 ${x.cls}`} style={{ width: `${Math.min(100, (x.n / total) * 100)}%` }} />
            </span>
            <span className="w-20 text-right tabular-nums">{formatInt(x.n)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ChartsSection({
  activity: a,
  progress: p,
  samples,
}: {
  activity: ActivityDetail;
  progress: ProgressSnapshot;
  samples: ProgressSample[];
}) {
  const [open, setOpen] = useState(() => !chartsCollapsedByDefault(a, p));
  const ended = a.status !== "InProgress";
  const points = useMemo(() => chartPoints(samples, a.started, ended), [samples, a.started, ended]);
  const drawn = useDeferredValue(points);
  const short = ended && ((a.executionTimeMs ?? 0) < 5_000 || points.length < 3);
  return (
    <section aria-labelledby="charts-title" className="mb-6" data-testid="charts-section">
      <h2 id="charts-title" className="mb-2 text-lg font-semibold">
        <button
          type="button"
          aria-expanded={open}
          aria-controls="charts-body"
          onClick={() => setOpen((v) => !v)}
          className="inline-flex items-center gap-2 rounded hover:underline"
          data-testid="charts-toggle"
        >
          <span aria-hidden="true" className={`inline-block transition-transform ${open ? "rotate-90" : ""}`}>
            ▸
          </span>
          Progress over time
        </button>
      </h2>
      <div id="charts-body" hidden={!open}>
        {open ? (
          short ? (
            <ShortRun activity={a} progress={p} />
          ) : points.length < 2 ? (
            <p className="text-sm text-slate-700 dark:text-slate-300">No progress samples yet.</p>
          ) : (
            <ProgressCharts points={drawn} />
          )
        ) : null}
      </div>
    </section>
  );
}
