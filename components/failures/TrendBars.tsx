"use client";
import { Bar, BarChart, YAxis } from "recharts";
import type { FailureGroupList } from "@/lib/api/failures";
import { formatDateTime, formatInt } from "@/lib/client/format";

type Trend = FailureGroupList["items"][number]["trend"];
export type TrendBucket = FailureGroupList["range"]["bucket"];

/** What the bars show, in words (the chart itself is hidden from screen readers). */
export function describeTrend(trend: Trend, bucket: TrendBucket): string {
  const failed = trend.reduce((n, b) => n + b.failed, 0);
  const recovered = trend.reduce((n, b) => n + b.recovered, 0);
  if (failed === 0 && recovered === 0) return "No failures or recoveries in the range";
  const peak = trend.reduce((a, b) => (b.failed > a.failed ? b : a), trend[0]);
  const parts = [`${formatInt(failed)} failures, ${formatInt(recovered)} recoveries`];
  if (peak.failed > 0) parts.push(`most in one ${bucket}: ${formatInt(peak.failed)} (${formatDateTime(peak.start)})`);
  return parts.join("; ");
}

/** A small bar sparkline: failures per bucket in red, recoveries stacked in green. */
export function TrendBars({ trend, bucket }: { trend: Trend; bucket: TrendBucket }) {
  const label = describeTrend(trend, bucket);
  return (
    <span className="inline-flex items-center" data-testid="failure-trend" title={label}>
      <span className="sr-only">{label}</span>
      <span aria-hidden="true">
        <BarChart
          width={120}
          height={28}
          data={trend}
          margin={{ top: 1, right: 0, bottom: 1, left: 0 }}
          barCategoryGap={1}
          accessibilityLayer={false}
        >
          <YAxis hide domain={[0, "dataMax"]} />
          <Bar dataKey="failed" stackId="t" fill="var(--chart-3)" isAnimationActive={false} />
          <Bar dataKey="recovered" stackId="t" fill="var(--chart-2)" isAnimationActive={false} />
        </BarChart>
      </span>
    </span>
  );
}
