"use client";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useEffect, useState, type ReactNode } from "react";
import type { ErrorType } from "@/lib/domain/enums";
import { describeError, isApiError } from "@/lib/client/api";
import { useActivity, useIsAdmin, useItems, useProgress, useSchedules, useStats, useTree } from "@/lib/client/queries";
import { useUrlParams } from "@/lib/client/url-state";
import { ActivityHeader, type ScheduleRollup } from "./ActivityHeader";
import { ActivityActions } from "./ActivityActions";
import { LiveToggle } from "./LiveToggle";
import { CounterCards } from "./CounterCards";
import { ScheduleTree } from "./ScheduleTree";
import { ItemGrid } from "./ItemGrid";
import { ErrorBanner, RoleNotice } from "@/components/ui/ErrorBanner";
import { SkeletonBar } from "@/components/ui/Skeleton";
import { CHART_TEXT, ChartLoading } from "./ChartCard";

// Recharts is most of this page's JavaScript: load the charts after the page, not with it.
const ThroughputChart = dynamic(() => import("./Charts").then((m) => m.ThroughputChart), {
  ssr: false,
  loading: () => <ChartLoading {...CHART_TEXT.throughput} />,
});
const CumulativeChart = dynamic(() => import("./Charts").then((m) => m.CumulativeChart), {
  ssr: false,
  loading: () => <ChartLoading {...CHART_TEXT.cumulative} />,
});
const ChangesByKindChart = dynamic(() => import("./Charts").then((m) => m.ChangesByKindChart), {
  ssr: false,
  loading: () => <ChartLoading {...CHART_TEXT.changesByKind} />,
});
const ErrorTypeChart = dynamic(() => import("./Charts").then((m) => m.ErrorTypeChart), {
  ssr: false,
  loading: () => <ChartLoading {...CHART_TEXT.errorTypes} />,
});

function Section({
  id,
  title,
  children,
  aside,
}: {
  id: string;
  title: string;
  children: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="mb-8 scroll-mt-4">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-title`} className="text-lg font-semibold">
          {title}
        </h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

const ADMIN_STATS =
  "Execution statistics need the Administrator role. Ask an administrator for a key with that role to see per-operation counters.";
const ADMIN_ITEMS =
  "Execution items need the Administrator role. Ask an administrator for a key with that role to see the per-object results.";

export function ActivityDetailView({ id }: { id: string }) {
  const isAdmin = useIsAdmin();
  const [live, setLive] = useState(true);
  const q = useActivity(id, live);
  const a = q.data;
  const version = a?.version;
  const isRunProfile = a?.targetType === "ConnectedSystemRunProfile";
  const progress = useProgress(id, version);
  const stats = useStats(id, version, !!isAdmin && isRunProfile);
  const errorFacets = useItems(id, { pageSize: 1 }, version, !!isAdmin && isRunProfile);
  const hasTree = !!a && (a.targetType === "Schedule" || a.childCount > 0);
  const tree = useTree(id, hasTree, live);
  const schedules = useSchedules(a?.targetType === "Schedule");
  const { update } = useUrlParams();

  useEffect(() => {
    if (a) document.title = `${a.name} · Syncwatch`;
  }, [a?.name]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!a) {
    if (q.isError) {
      const notFound = isApiError(q.error) && (q.error.status === 404 || q.error.status === 400);
      return (
        <div className="py-12 text-center">
          <h1 className="text-2xl font-semibold">
            {notFound ? "Activity not found" : "The activity could not be loaded"}
          </h1>
          <p className="mt-2 text-slate-700 dark:text-slate-300">
            {notFound ? "It may have been removed by retention, or the link is wrong." : describeError(q.error)}
          </p>
          <p className="mt-4">
            <Link href="/" className="font-medium text-blue-800 underline dark:text-blue-300">
              Back to activities
            </Link>
          </p>
        </div>
      );
    }
    return (
      <div aria-busy="true" aria-label="Loading activity">
        <h1 className="sr-only">Loading activity</h1>
        <SkeletonBar className="mb-3 h-5 w-32" />
        <SkeletonBar className="mb-6 h-8 w-2/3" />
        <div className="grid grid-cols-4 gap-4">
          {Array.from({ length: 8 }, (_, i) => (
            <SkeletonBar key={i} className="h-10" />
          ))}
        </div>
      </div>
    );
  }

  const terminal = a.status !== "InProgress";
  const samples = progress.data?.samples ?? [];
  const selectErrorType = (t: ErrorType) => {
    update({ itemErrorType: t, itemPage: null, item: null });
    document.getElementById("items")?.scrollIntoView({ behavior: "smooth", block: "start" });
  };
  const steps = tree.data?.root.children ?? [];
  const rollup: ScheduleRollup | undefined =
    hasTree && tree.data && !isRunProfile
      ? {
          processed: tree.data.rollup.totalObjectsProcessed,
          changes: tree.data.rollup.totalObjectChangeCount,
          errors: tree.data.rollup.totalObjectErrors,
          stepsDone: steps.filter((s) => s.status !== "InProgress").length,
          stepsTotal: Math.max(
            steps.length,
            schedules.data?.items.find((s) => s.id === a.scheduleId)?.steps.length ?? 0,
          ),
        }
      : undefined;
  const showCharts = isRunProfile || samples.length > 1;
  const statsForbidden = isApiError(stats.error) && stats.error.status === 403;

  return (
    <div>
      {q.isError ? (
        <ErrorBanner
          title="Cannot refresh this activity — showing the last data received"
          action={<LiveRetry onClick={() => q.refetch()} />}
        >
          {describeError(q.error)}
        </ErrorBanner>
      ) : null}
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <nav aria-label="Breadcrumb" className="text-sm">
          <Link href="/" className="text-blue-800 hover:underline dark:text-blue-300">
            Activities
          </Link>
          <span aria-hidden="true" className="mx-1.5 text-slate-500">
            /
          </span>
          <span className="text-slate-700 dark:text-slate-300">Activity</span>
        </nav>
        <LiveToggle
          live={live}
          onChange={setLive}
          updatedAt={q.dataUpdatedAt}
          terminal={terminal}
          fetching={q.isFetching}
        />
      </div>
      <ActivityHeader
        activity={a}
        samples={samples}
        actions={isAdmin ? <ActivityActions activity={a} /> : null}
        rollup={rollup}
      />

      {hasTree ? (
        <Section id="steps" title={a.targetType === "Schedule" ? "Schedule steps" : "Child activities"}>
          {tree.data ? (
            <ScheduleTree tree={tree.data} />
          ) : tree.isError ? (
            <ErrorBanner title="The step tree could not be loaded">{describeError(tree.error)}</ErrorBanner>
          ) : (
            <SkeletonBar className="h-32" />
          )}
          {tree.isError && tree.data ? (
            <ErrorBanner title="Cannot refresh the step tree">{describeError(tree.error)}</ErrorBanner>
          ) : null}
        </Section>
      ) : null}

      {isRunProfile ? (
        <Section id="statistics" title="Execution statistics">
          {isAdmin === false || statsForbidden ? (
            <RoleNotice>{ADMIN_STATS}</RoleNotice>
          ) : stats.data ? (
            <CounterCards counters={stats.data} />
          ) : stats.isError ? (
            <ErrorBanner title="Statistics could not be loaded">{describeError(stats.error)}</ErrorBanner>
          ) : (
            <SkeletonBar className="h-44" />
          )}
        </Section>
      ) : null}

      {showCharts ? (
        <Section id="charts" title="Progress over time">
          {progress.isError ? (
            <ErrorBanner title="Progress samples could not be loaded">{describeError(progress.error)}</ErrorBanner>
          ) : null}
          <div className="grid gap-4 lg:grid-cols-2">
            <ThroughputChart samples={samples} />
            <CumulativeChart samples={samples} />
            {isRunProfile && isAdmin && stats.data ? <ChangesByKindChart counters={stats.data} /> : null}
            {isRunProfile && isAdmin ? (
              <ErrorTypeChart facets={errorFacets.data?.facets.errorTypes} onSelect={selectErrorType} />
            ) : null}
          </div>
        </Section>
      ) : null}

      {isRunProfile ? (
        <Section id="items" title="Execution items">
          {isAdmin === false ? (
            <RoleNotice>{ADMIN_ITEMS}</RoleNotice>
          ) : isAdmin ? (
            <ItemGrid activityId={id} version={version} />
          ) : null}
        </Section>
      ) : null}
    </div>
  );
}

function LiveRetry({ onClick }: { onClick: () => void }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="h-8 rounded-md border border-red-400 px-3 text-sm font-medium hover:bg-red-100 dark:border-red-700 dark:hover:bg-red-900"
    >
      Retry now
    </button>
  );
}
