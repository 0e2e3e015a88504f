"use client";
import Link from "next/link";
import { memo, useEffect, useRef } from "react";
import type { ActivityDetail, RunHistory } from "@/lib/api/activities";
import { endpoints } from "@/lib/client/endpoints";
import { keys } from "@/lib/client/resources";
import { useLiveQuery } from "@/lib/client/live";
import { formatDuration, formatInt, formatSigned } from "@/lib/client/format";
import { plural } from "@/lib/client/error-types";
import { STATUS_LABELS } from "@/lib/client/labels";
import { QueryErrorBanner } from "@/components/ui/ErrorBanner";
import { SkeletonBar } from "@/components/ui/Skeleton";
import { StatusIcon, STATUS_TONE } from "@/components/ui/StatusBadge";
import { UnusualIcon, UNUSUAL_TONE } from "./UnusualBadge";
import { describeReasons } from "./unusual-text";

type Run = RunHistory["runs"][number];
type Metric = RunHistory["metrics"][number];
type MetricName = Metric["metric"];

/** The figures the strip shows, in this order, with how each is written. */
const ROWS: { metric: Exclude<MetricName, "changes">; label: string; of: (r: Run) => number | null }[] = [
  { metric: "durationMs", label: "Duration", of: (r) => r.executionTimeMs },
  { metric: "processed", label: "Processed", of: (r) => r.totalObjectsProcessed },
  { metric: "errors", label: "Errors", of: (r) => r.totalObjectErrors },
];
const write = (metric: MetricName, n: number | null) => (metric === "durationMs" ? formatDuration(n) : formatInt(n));
/** Whether more is worse (errors, time) or neither (processed). */
const MORE_IS_WORSE: Partial<Record<MetricName, boolean>> = { errors: true, durationMs: true };

const dayFmt = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

function DeltaCell({ metric, d }: { metric: MetricName; d: Metric["previous"] }) {
  if (d.figure === null) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  const worse = MORE_IS_WORSE[metric];
  const bad = worse !== undefined && d.delta !== null && d.delta !== 0 && d.delta > 0 === worse;
  const good = worse !== undefined && d.delta !== null && d.delta !== 0 && !bad;
  const pct = metric !== "errors" && d.deltaPercent !== null ? `(${formatSigned(Math.round(d.deltaPercent))} %)` : "";
  return (
    <>
      <span className="block">{write(metric, d.figure)}</span>
      {d.delta !== null ? (
        <span
          data-testid={`delta-${metric}`}
          className={`block ${bad ? "font-semibold text-red-800 dark:text-red-300" : good ? "text-emerald-800 dark:text-emerald-300" : "text-slate-700 dark:text-slate-300"}`}
        >
          {d.delta > 0 ? <span aria-hidden="true">▲ </span> : d.delta < 0 ? <span aria-hidden="true">▼ </span> : null}
          <span className="whitespace-nowrap">{formatSigned(d.delta, (n) => write(metric, n))}</span>
          {/* on a narrow screen the percentage may go under the delta, so the comparison columns fit */}
          {pct ? " " : null}
          {pct ? <span className="whitespace-nowrap">{pct}</span> : null}
          <span className="sr-only"> this run</span>
        </span>
      ) : null}
    </>
  );
}

/** "Usual for its run profile" / "Unusual: …" / "too little history", in words and icon, never colour alone. */
function Verdict({ h, running }: { h: RunHistory; running: boolean }) {
  if (h.unusual === null)
    return (
      <p className="text-xs text-slate-700 dark:text-slate-300" data-testid="unusual-flag" data-unusual="unknown">
        Too little history to say what is usual: {plural(h.usualRuns, "completed run")} before it, 5 needed.
      </p>
    );
  if (h.unusual.length === 0)
    return (
      <p className="text-xs text-slate-700 dark:text-slate-300" data-testid="unusual-flag" data-unusual="false">
        <span aria-hidden="true">✓ </span>
        {running ? "Within" : "Usual:"} {running ? "the usual range so far" : "errors and duration within the range"} of
        its last {plural(h.usualRuns, "completed run")}.
      </p>
    );
  return (
    <p
      className={`inline-flex max-w-full items-start gap-1.5 rounded-md px-2 py-1 text-xs ring-1 ring-inset ${UNUSUAL_TONE}`}
      data-testid="unusual-flag"
      data-unusual="true"
    >
      <UnusualIcon className="mt-px h-3.5 w-3.5 shrink-0" />
      <span>
        <span className="font-semibold">Unusual for this run profile:</span> {describeReasons(h.unusual, running)}
      </span>
    </p>
  );
}

function RunHeader({ run, target }: { run: Run; target: string }) {
  const at = run.started ?? run.created;
  const tone = run.status;
  return (
    <Link
      href={`/activities/${run.id}`}
      aria-current={run.current ? "page" : undefined}
      data-testid="history-run-link"
      title={`${run.name} · ${STATUS_LABELS[run.status]}${run.unusual?.length ? " · unusual" : ""}`}
      className={`flex flex-col items-end gap-0.5 rounded px-1.5 py-1 font-normal hover:underline ${
        run.current ? "font-semibold" : "text-blue-800 dark:text-blue-300"
      }`}
    >
      <span className="flex items-center gap-1 whitespace-nowrap">
        <span className={`inline-flex rounded-full p-0.5 ring-1 ring-inset ${STATUS_TONE[tone]}`}>
          <StatusIcon status={tone} className="h-3 w-3" />
        </span>
        {run.unusual?.length ? (
          <span className={`inline-flex rounded-full p-0.5 ring-1 ring-inset ${UNUSUAL_TONE}`}>
            <UnusualIcon className="h-3 w-3" />
          </span>
        ) : null}
        <span suppressHydrationWarning>{run.current ? "This run" : dayFmt.format(new Date(at))}</span>
      </span>
      <span suppressHydrationWarning>
        {run.current ? <span className="whitespace-nowrap">{`${dayFmt.format(new Date(at))},`}</span> : null}
        {run.current ? " " : null}
        <span className="whitespace-nowrap">{timeFmt.format(new Date(at))}</span>
      </span>
      <span className="sr-only">
        {run.current ? "" : `${target}, `}
        {STATUS_LABELS[run.status]}
        {run.unusual?.length ? `, unusual: ${describeReasons(run.unusual)}` : ""}
      </span>
    </Link>
  );
}

const cellBase = "px-1.5 py-1 text-right align-top whitespace-nowrap";
/** The comparison cells may wrap their percentage under the delta (their parts do not break). */
const deltaCell = "px-1.5 py-1 text-right align-top";
const currentCell = "bg-blue-50 dark:bg-blue-950/70";
const stickyCell =
  "sticky left-0 z-10 bg-white px-2 py-1 text-left font-medium text-slate-700 dark:bg-slate-950 dark:text-slate-300";

function HistoryTable({ h, running, target }: { h: RunHistory; running: boolean; target: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  // the newest runs (this one, and the comparison) are at the right end: start there
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollLeft = el.scrollWidth;
  }, [h.runs.length]);
  const maxDuration = Math.max(1, ...h.runs.map((r) => r.executionTimeMs ?? 0));
  const metric = (m: MetricName) => h.metrics.find((x) => x.metric === m)!;
  const previousLabel = h.basis === "sameProgress" ? "Previous, same point" : "Previous run";
  const usualLabel = h.basis === "sameProgress" ? "Usual, same point" : "Usual (median)";
  return (
    // relative: the screen-reader labels in the cells are positioned absolutely; outside a positioned
    // scroller they escaped it and made the whole page as wide as the table (1,147 px at 390)
    <div ref={scroller} className="relative overflow-x-auto" tabIndex={0} role="region" aria-labelledby="history-title">
      <table className="border-separate border-spacing-0 text-xs tabular-nums" data-testid="run-history-strip">
        <caption className="sr-only">
          The last {plural(h.runs.length, "run")} of {target}, oldest first, with this run against the previous run and
          the usual run
        </caption>
        <thead>
          <tr>
            <th scope="col" className={stickyCell}>
              <span className="sr-only">Figure</span>
            </th>
            {h.runs.map((r) => (
              <th
                key={r.id}
                scope="col"
                className={`min-w-[4.5rem] align-bottom ${r.current ? currentCell + " rounded-t" : ""}`}
                data-testid="history-run"
                data-current={r.current ? "true" : undefined}
                data-status={r.status}
                data-unusual={r.unusual?.length ? "true" : undefined}
              >
                <RunHeader run={r} target={target} />
              </th>
            ))}
            <th
              scope="col"
              className="min-w-[4.5rem] sm:min-w-[6.5rem] border-l border-slate-300 px-1.5 py-1 text-right align-bottom font-semibold dark:border-slate-700"
            >
              {h.previousRunId ? (
                <Link
                  href={`/activities/${h.previousRunId}`}
                  className="text-blue-800 hover:underline dark:text-blue-300"
                  data-testid="previous-run-link"
                >
                  {previousLabel}
                </Link>
              ) : (
                previousLabel
              )}
            </th>
            <th
              scope="col"
              className="min-w-[4.5rem] sm:min-w-[6.5rem] px-1.5 py-1 text-right align-bottom font-semibold"
            >
              {usualLabel}
              <span className="block font-normal text-slate-600 dark:text-slate-400">
                {h.usualRuns >= 5 ? `of ${plural(h.usualRuns, "run")}` : "too few runs"}
              </span>
            </th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map((row) => (
            <tr key={row.metric}>
              <th scope="row" className={stickyCell}>
                {row.label}
              </th>
              {h.runs.map((r) => {
                const v = row.of(r);
                return (
                  <td
                    key={r.id}
                    className={`${cellBase} ${r.current ? currentCell + " font-semibold" : ""} ${
                      row.metric === "errors" && v ? "text-red-800 dark:text-red-300" : ""
                    }`}
                  >
                    {write(row.metric, v)}
                    {r.current && running && row.metric !== "processed" ? (
                      <span className="block text-[11px] font-normal text-slate-600 dark:text-slate-400">so far</span>
                    ) : null}
                    {row.metric === "durationMs" && v !== null ? (
                      <span aria-hidden="true" className="mt-0.5 block h-1 rounded bg-slate-200 dark:bg-slate-800">
                        <span
                          className={`block h-1 rounded ${r.current ? "bg-blue-600 dark:bg-blue-400" : "bg-slate-500 dark:bg-slate-400"}`}
                          style={{ width: `${Math.max(4, (v / maxDuration) * 100)}%` }}
                        />
                      </span>
                    ) : null}
                  </td>
                );
              })}
              <td className={`${deltaCell} border-l border-slate-300 dark:border-slate-700`}>
                <DeltaCell metric={row.metric} d={metric(row.metric).previous} />
              </td>
              <td className={deltaCell}>
                <DeltaCell metric={row.metric} d={metric(row.metric).usual} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A run against its run profile's history, for the top of a run's page: the last runs (each a
 * link, this one marked), this run against the previous and the usual (median) run, and whether it
 * is unusual. While it runs the comparison says what it is based on (same point, or partial).
 */
export function RunHistoryPanel({ activity: a }: { activity: ActivityDetail }) {
  const target = a.connectedSystemName ? `${a.connectedSystemName} / ${a.runProfileName ?? ""}` : a.name;
  return <HistoryOfRun id={a.id} running={a.status === "InProgress"} target={target} />;
}

/**
 * The panel itself, drawn again only when what it shows changes (its pushed history, the run's
 * status), not for each pushed snapshot of the run (a new activity object every time).
 */
const HistoryOfRun = memo(function HistoryOfRun({
  id,
  running,
  target,
}: {
  id: string;
  running: boolean;
  target: string;
}) {
  // pushed while it runs (a newer run of the profile also changes the strip); read once when it ended
  const q = useLiveQuery(endpoints.getActivityHistory, keys.history(id), {}, { params: { id }, live: running });
  const h = q.data;
  return (
    <section
      id="history"
      aria-labelledby="history-title"
      className="mb-4 rounded-lg border border-slate-200 p-3 dark:border-slate-800"
      data-testid="run-history"
    >
      <div className="mb-1.5 flex flex-wrap items-center gap-x-3 gap-y-1">
        <h2 id="history-title" className="text-sm font-semibold">
          Against its history{" "}
          <span className="font-normal text-slate-700 dark:text-slate-300">
            · last {h ? plural(h.runs.length, "run") : "runs"} of {target}
          </span>
        </h2>
        {h ? <Verdict h={h} running={running} /> : null}
        {h && h.newerRuns > 0 && h.latestRunId ? (
          <Link
            href={`/activities/${h.latestRunId}`}
            className="ml-auto text-xs font-medium text-blue-800 underline dark:text-blue-300"
            data-testid="latest-run-link"
          >
            {plural(h.newerRuns, "newer run")} · open the latest
          </Link>
        ) : null}
      </div>
      {h ? (
        <>
          {running ? (
            <p className="mb-1 text-xs text-slate-700 dark:text-slate-300" data-testid="history-basis">
              {h.basis === "sameProgress"
                ? `Still running: the other runs as they were at ${formatInt(h.atProcessed)} objects processed.`
                : "Still running: a partial comparison, against the other runs' final figures."}
            </p>
          ) : null}
          {h.runs.length > 1 || h.previousRunId ? (
            <HistoryTable h={h} running={running} target={target} />
          ) : (
            <p className="text-sm text-slate-700 dark:text-slate-300">
              This is the first run of its run profile: nothing to compare with.
            </p>
          )}
        </>
      ) : q.isError ? (
        <QueryErrorBanner title="The run's history could not be loaded" query={q} />
      ) : (
        <SkeletonBar className="h-28" />
      )}
    </section>
  );
});
