import type { ReactNode } from "react";
import { SkeletonBar } from "@/components/ui/Skeleton";

/** Titles and captions of the detail page's charts (shared by the charts and their placeholders). */
export const CHART_TEXT = {
  throughput: { title: "Throughput", description: "Objects per second between progress samples" },
  cumulative: { title: "Changes and errors over time", description: "Cumulative counts from progress samples" },
  changesByKind: { title: "Changes by kind", description: "From the run's counters" },
  errorTypes: { title: "Errors by type", description: "Choose a type to see those objects" },
} as const;

/** The frame of every chart; kept apart from Recharts so a placeholder costs no chart code. */
export function ChartCard({
  title,
  description,
  children,
  testId,
}: {
  title: string;
  description?: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <figure data-testid={testId} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <figcaption className="mb-2">
        <span className="block text-sm font-semibold">{title}</span>
        {description ? <span className="block text-xs text-slate-600 dark:text-slate-400">{description}</span> : null}
      </figcaption>
      {children}
    </figure>
  );
}

export function ChartEmpty({ children }: { children: ReactNode }) {
  return (
    <div className="flex h-56 items-center justify-center text-sm text-slate-600 dark:text-slate-400">{children}</div>
  );
}

/** Shown while the chart code loads: same frame and height, so nothing moves when it arrives. */
export function ChartLoading({ title, description }: { title: string; description: string }) {
  return (
    <ChartCard title={title} description={description}>
      <div className="h-56" aria-busy="true">
        <SkeletonBar className="h-full w-full" />
      </div>
    </ChartCard>
  );
}
