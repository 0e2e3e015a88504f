"use client";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ProgressSample } from "@/lib/api/schemas";
import { COUNTER_GROUPS, COUNTER_LABELS, type CounterField, type Counters } from "@/lib/domain/counters";
import { ERROR_TYPE_INFO, ERROR_TYPES, type ErrorType } from "@/lib/domain/enums";
import { formatInt, formatRate, formatTime } from "@/lib/client/format";
import { throughputSeries } from "@/lib/client/rates";
import { CHART_TEXT, ChartCard, ChartEmpty as Empty } from "./ChartCard";

const tick = { fontSize: 12 };
const axisFmt = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 });
const formatAxis = (v: number) => axisFmt.format(v);
const tooltipStyle = { color: "var(--chart-text)" };

export function ThroughputChart({ samples }: { samples: ProgressSample[] }) {
  const data = throughputSeries(samples);
  return (
    <ChartCard {...CHART_TEXT.throughput} testId="throughput-chart">
      {data.length < 1 ? (
        <Empty>Not enough progress samples yet.</Empty>
      ) : (
        <div
          className="h-56"
          role="img"
          aria-label={`Throughput over time, latest ${formatRate(data.at(-1)?.rate)} objects per second`}
        >
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={["dataMin", "dataMax"]}
                tickFormatter={(v) => formatTime(v)}
                tick={tick}
                minTickGap={40}
              />
              <YAxis tick={tick} width={48} tickFormatter={(v) => formatAxis(v)} />
              <Tooltip
                contentStyle={tooltipStyle}
                labelFormatter={(v) => formatTime(Number(v))}
                formatter={(v) => [`${formatRate(Number(v))} /s`, "Throughput"]}
              />
              <Line
                type="linear"
                dataKey="rate"
                stroke="var(--chart-1)"
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
                name="Objects/s"
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </ChartCard>
  );
}

export function CumulativeChart({ samples }: { samples: ProgressSample[] }) {
  const data = samples.map((s) => ({
    t: Date.parse(s.at),
    changes: s.totalObjectChangeCount,
    errors: s.totalObjectErrors,
  }));
  return (
    <ChartCard {...CHART_TEXT.cumulative} testId="cumulative-chart">
      {data.length < 1 ? (
        <Empty>No progress samples yet.</Empty>
      ) : (
        <div
          className="h-56"
          role="img"
          aria-label={`Cumulative changes ${formatInt(data.at(-1)?.changes)} and errors ${formatInt(data.at(-1)?.errors)}`}
        >
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={["dataMin", "dataMax"]}
                tickFormatter={(v) => formatTime(v)}
                tick={tick}
                minTickGap={40}
              />
              <YAxis tick={tick} width={48} tickFormatter={(v) => formatInt(v)} />
              <Tooltip
                contentStyle={tooltipStyle}
                labelFormatter={(v) => formatTime(Number(v))}
                formatter={(v, n) => [formatInt(Number(v)), String(n)]}
              />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Line
                type="stepAfter"
                dataKey="changes"
                name="Changes"
                stroke="var(--chart-2)"
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
              <Line
                type="stepAfter"
                dataKey="errors"
                name="Errors"
                stroke="var(--chart-3)"
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </ChartCard>
  );
}

/** Every operation counter that counts a change; retrying and failed exports are not changes. */
const CHANGE_FIELDS: CounterField[] = COUNTER_GROUPS.filter((g) => g.key !== "all")
  .flatMap((g) => g.fields)
  .filter((f) => f !== "totalPendingExportsRetrying" && f !== "totalPendingExportsFailed");

export function ChangesByKindChart({ counters }: { counters: Counters }) {
  const data = CHANGE_FIELDS.filter((f) => counters[f] > 0).map((f) => ({
    kind: COUNTER_LABELS[f],
    count: counters[f],
  }));
  return (
    <ChartCard {...CHART_TEXT.changesByKind} testId="changes-chart">
      {data.length === 0 ? (
        <Empty>No changes recorded.</Empty>
      ) : (
        <div
          className="h-56"
          role="img"
          aria-label={"Changes by kind: " + data.map((d) => `${d.kind} ${formatInt(d.count)}`).join(", ")}
        >
          <ResponsiveContainer width="100%" height="100%">
            <BarChart
              data={data}
              layout="vertical"
              margin={{ top: 0, right: 16, bottom: 0, left: 8 }}
              accessibilityLayer={false}
            >
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" tick={tick} tickFormatter={(v) => formatInt(v)} allowDecimals={false} />
              <YAxis type="category" dataKey="kind" tick={tick} width={120} />
              <Tooltip
                contentStyle={tooltipStyle}
                formatter={(v) => [formatInt(Number(v)), "Objects"]}
                cursor={{ fillOpacity: 0.1 }}
              />
              <Bar dataKey="count" fill="var(--chart-2)" isAnimationActive={false} maxBarSize={28} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </ChartCard>
  );
}

/** Errors by type (from the items facets); choosing a type opens the grid filtered to it. */
export function ErrorTypeChart({
  facets,
  onSelect,
}: {
  facets: Record<string, number> | undefined;
  onSelect: (t: ErrorType) => void;
}) {
  const data = ERROR_TYPES.filter((t) => (facets?.[t] ?? 0) > 0).map((t) => ({ type: t, count: facets?.[t] ?? 0 }));
  return (
    <ChartCard {...CHART_TEXT.errorTypes} testId="error-type-chart">
      {!facets ? (
        <Empty>Loading…</Empty>
      ) : data.length === 0 ? (
        <Empty>No object errors.</Empty>
      ) : (
        <>
          <div className="h-44" aria-hidden="true">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart
                data={data}
                layout="vertical"
                margin={{ top: 0, right: 16, bottom: 0, left: 8 }}
                accessibilityLayer={false}
              >
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" tick={tick} tickFormatter={(v) => formatInt(v)} allowDecimals={false} />
                <YAxis type="category" dataKey="type" tick={{ fontSize: 11 }} width={205} />
                <Tooltip
                  contentStyle={tooltipStyle}
                  formatter={(v) => [formatInt(Number(v)), "Objects"]}
                  cursor={{ fillOpacity: 0.1 }}
                />
                <Bar
                  dataKey="count"
                  isAnimationActive={false}
                  maxBarSize={28}
                  cursor="pointer"
                  onClick={(d) => onSelect((d as unknown as { type: ErrorType }).type)}
                >
                  {data.map((d) => (
                    <Cell key={d.type} fill="var(--chart-3)" />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </div>
          <ul className="mt-2 flex flex-wrap gap-2">
            {data.map((d) => (
              <li key={d.type}>
                <button
                  type="button"
                  onClick={() => onSelect(d.type)}
                  title={ERROR_TYPE_INFO[d.type].meaning}
                  data-testid={`error-type-link-${d.type}`}
                  className="rounded-md border border-red-300 px-2 py-1 text-xs font-medium text-red-900 hover:bg-red-50 dark:border-red-800 dark:text-red-100 dark:hover:bg-red-950"
                >
                  {d.type} <span className="tabular-nums">({formatInt(d.count)})</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </ChartCard>
  );
}
