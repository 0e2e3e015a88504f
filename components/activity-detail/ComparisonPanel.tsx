"use client";
import Link from "next/link";
import type { Comparison } from "@/lib/api/activities";
import { formatDuration, formatInt, formatRate } from "@/lib/client/format";
import { errorTypeLabel } from "@/lib/client/error-types";
import { STATUS_LABELS } from "@/lib/client/labels";
import { Timestamp } from "@/components/ui/Timestamp";

type Metric = Comparison["metrics"][number];
const NAMES: Record<Metric["metric"], string> = {
  errors: "errors",
  changes: "changes",
  processed: "processed",
  durationMs: "duration",
  objectsPerSecond: "rate",
};
/** Whether a rise is bad news (red) or good (green); processed is neutral. */
const RISE_IS_BAD: Partial<Record<Metric["metric"], boolean>> = {
  errors: true,
  durationMs: true,
  objectsPerSecond: false,
};

const signed = (n: number, fmt: (n: number) => string) => `${n > 0 ? "+" : n < 0 ? "−" : "±"}${fmt(Math.abs(n))}`;

function describe(m: Metric): string | null {
  if (m.delta === null) return null;
  if (m.metric === "durationMs" || m.metric === "objectsPerSecond") {
    if (m.deltaPercent !== null) return `${NAMES[m.metric]} ${signed(Math.round(m.deltaPercent), (n) => `${n} %`)}`;
    return m.metric === "durationMs"
      ? `${NAMES[m.metric]} ${signed(m.delta, formatDuration)}`
      : `${NAMES[m.metric]} ${signed(m.delta, formatRate)}/s`;
  }
  return `${NAMES[m.metric]} ${signed(m.delta, formatInt)}`;
}

function tone(m: Metric): string {
  const bad = RISE_IS_BAD[m.metric];
  if (bad === undefined || !m.delta) return "";
  const worse = bad ? m.delta > 0 : m.delta < 0;
  return worse ? "text-red-800 dark:text-red-300 font-semibold" : "text-emerald-800 dark:text-emerald-300";
}

/** This run next to the previous run of its run profile: "errors +12, duration +40 %". */
export function ComparisonPanel({ comparison: c, running = false }: { comparison: Comparison; running?: boolean }) {
  if (!c.previous) {
    return (
      <p className="text-sm text-slate-700 dark:text-slate-300">
        This is the first run of its run profile: nothing to compare with.
      </p>
    );
  }
  const parts = c.metrics.map((m) => ({ m, text: describe(m) })).filter((x) => x.text);
  const changedTypes = c.errorTypes.filter((e) => e.delta !== 0 || e.current > 0);
  return (
    <div className="text-sm" data-testid="comparison">
      <p>
        Against the previous run,{" "}
        <Link
          href={`/activities/${c.previous.id}`}
          className="font-medium text-blue-800 underline dark:text-blue-300"
          data-testid="previous-run-link"
        >
          {c.previous.name}
        </Link>{" "}
        <span className="text-slate-600 dark:text-slate-400">
          ({STATUS_LABELS[c.previous.status]}, <Timestamp iso={c.previous.started ?? c.previous.created} />)
        </span>
        :
      </p>
      <p className="mt-1 tabular-nums" data-testid="comparison-deltas">
        {parts.length
          ? parts.map(({ m, text }, i) => (
              <span key={m.metric}>
                {i > 0 ? ", " : ""}
                <span className={tone(m)}>{text}</span>
              </span>
            ))
          : "no figures to compare yet"}
        {running && parts.length ? <span className="text-slate-600 dark:text-slate-400"> (so far)</span> : null}
      </p>
      {changedTypes.length ? (
        <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-slate-700 dark:text-slate-300">
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
                {signed(e.delta, formatInt)}
              </span>
              )
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
