"use client";
import { Area, AreaChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration, formatInt, formatRate } from "@/lib/client/format";
import type { ChartPoint } from "./chart-data";

const axis = { fontSize: 11, fill: "currentColor" };
const tickTime = (s: number) => formatDuration(s * 1000);

function Frame({
  title,
  description,
  children,
  testId,
}: {
  title: string;
  description: string;
  children: React.ReactElement;
  testId: string;
}) {
  return (
    <figure
      data-testid={testId}
      className="rounded-lg border border-slate-200 p-3 text-slate-700 dark:border-slate-800 dark:text-slate-300"
    >
      <figcaption className="mb-2">
        <span className="block text-sm font-semibold text-slate-900 dark:text-slate-100">{title}</span>
        <span className="block text-xs">{description}</span>
      </figcaption>
      <div className="h-52" role="img" aria-label={`${title}: ${description}`}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Throughput and cumulative counts over the run's time (Recharts, loaded after the page). */
export default function ProgressCharts({ points }: { points: ChartPoint[] }) {
  const peak = points.reduce((m, p) => Math.max(m, p.rate ?? 0), 0);
  const last = points[points.length - 1];
  return (
    <div className="grid gap-4 lg:grid-cols-2" data-testid="charts">
      <Frame
        testId="throughput-chart"
        title="Throughput"
        description={`Objects per second over ${RATE_WINDOW_TEXT}; peak ${formatRate(peak)}/s`}
      >
        <LineChart data={points} margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} />
          <XAxis dataKey="t" type="number" domain={[0, "dataMax"]} tickFormatter={tickTime} tick={axis} />
          <YAxis tick={axis} width={44} />
          <Tooltip
            labelFormatter={(v) => `after ${tickTime(Number(v))}`}
            formatter={(v) => [`${formatRate(Number(v))} objects/s`, "Rate"]}
            contentStyle={{ color: "#0f172a" }}
          />
          <Line
            type="monotone"
            dataKey="rate"
            stroke="#2563eb"
            strokeWidth={2}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </Frame>
      <Frame
        testId="cumulative-chart"
        title="Objects over time"
        description={`Processed ${formatInt(last?.processed)}, changed ${formatInt(last?.changes)}, failed ${formatInt(last?.errors)}`}
      >
        <AreaChart data={points} margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} />
          <XAxis dataKey="t" type="number" domain={[0, "dataMax"]} tickFormatter={tickTime} tick={axis} />
          <YAxis tick={axis} width={52} />
          <Tooltip labelFormatter={(v) => `after ${tickTime(Number(v))}`} contentStyle={{ color: "#0f172a" }} />
          <Area
            type="monotone"
            dataKey="processed"
            name="Processed"
            stroke="#2563eb"
            fill="#2563eb"
            fillOpacity={0.15}
            isAnimationActive={false}
          />
          <Area
            type="monotone"
            dataKey="changes"
            name="Changed"
            stroke="#059669"
            fill="#059669"
            fillOpacity={0.15}
            isAnimationActive={false}
          />
          <Area
            type="monotone"
            dataKey="errors"
            name="Failed"
            stroke="#dc2626"
            fill="#dc2626"
            fillOpacity={0.2}
            isAnimationActive={false}
          />
        </AreaChart>
      </Frame>
    </div>
  );
}

const RATE_WINDOW_TEXT = "5-second windows";
