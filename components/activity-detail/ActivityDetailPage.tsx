"use client";
import Link from "next/link";
import { useEffect, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import type { ActivityDetail } from "@/lib/api/activities";
import { keys, queries } from "@/lib/client/resources";
import { ApiError, describeError } from "@/lib/client/http";
import { plural } from "@/lib/client/error-types";
import { Button } from "@/components/ui/Button";
import { ErrorBanner, RoleNotice } from "@/components/ui/ErrorBanner";
import { SkeletonBar } from "@/components/ui/Skeleton";
import { ExecutionItems } from "@/components/execution-items/ExecutionItems";
import { itemList } from "@/components/execution-items/item-list";
import { useListState } from "@/lib/client/lists/use-list-state";
import { useLiveQuery } from "@/lib/client/live";
import { endpoints } from "@/lib/client/endpoints";
import { useActivityLive, type ActivityLive } from "./useActivityLive";
import { ActivityHeader, Warnings } from "./ActivityHeader";
import { ActivityActions } from "./ActivityActions";
import { LiveIndicator } from "./LiveIndicator";
import { RunEndAnnouncement } from "./RunEndAnnouncement";
import { NotifyOnEnd } from "./NotifyOnEnd";
import { ProgressPanel } from "./ProgressPanel";
import { ErrorsByType, RecurrenceSummary } from "./ErrorsByType";
import { CounterCards } from "./CounterCards";
import { ComparisonPanel, changedErrorTypes } from "./ComparisonPanel";
import { ChartsSection } from "./charts/ChartsSection";
import { RunHistoryPanel } from "@/components/run-history/RunHistoryPanel";
import { ScheduleExecutionView } from "./schedule/ScheduleExecutionView";
import { isRunActivity, isScheduleActivity } from "./activity-facts";
import { failuresOfRunHref } from "@/components/failures/failure-params";

function Section({
  id,
  title,
  aside,
  children,
}: {
  id: string;
  title: ReactNode;
  aside?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="mb-5 scroll-mt-4">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-title`} className="text-lg font-semibold">
          {title}
        </h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

const NO_QUERY = {};

const ADMIN_ITEMS =
  "Execution items need the Administrator role. Ask an administrator for a key with that role to see the per-object results.";

function LoadFailure({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const notFound = ApiError.is(error, "NOT_FOUND", "BAD_REQUEST");
  return (
    <div className="py-12 text-center" data-testid="detail-load-error">
      <h1 className="text-2xl font-semibold">{notFound ? "Activity not found" : "The activity could not be loaded"}</h1>
      <p className="mt-2 text-slate-700 dark:text-slate-300">
        {notFound ? "It may have been removed by retention, or the link is wrong." : describeError(error)}
      </p>
      <div className="mt-4 flex justify-center gap-3">
        {notFound ? null : (
          <Button variant="primary" onClick={onRetry}>
            Retry
          </Button>
        )}
        <Link href="/" className="inline-flex h-9 items-center font-medium text-blue-800 underline dark:text-blue-300">
          Back to activities
        </Link>
      </div>
    </div>
  );
}

/** The failures of a run, first: errors by type in plain words, then the failed objects. */
function useErrorCounts(a: ActivityDetail, isAdmin: boolean) {
  const recorded = Object.values(a.errorTypeCounts).some((n) => n > 0);
  // while a run is going the per-type counts are not recorded yet: take them from the items' facets
  const facets = useQuery({
    ...queries.items(a.id, { pageSize: 1 }),
    enabled: isRunActivity(a) && !recorded && a.totalObjectErrors > 0 && a.itemsRetained && isAdmin,
  });
  if (recorded) return a.errorTypeCounts;
  const fromItems = facets.data?.facets.errorTypes ?? {};
  return Object.fromEntries(Object.entries(fromItems).filter(([k]) => k !== "none"));
}

export function ActivityDetailPage({ id }: { id: string }) {
  const { snapshot, samples, error, stopped, loadedAt, retry } = useActivityLive(id);
  const session = useQuery(queries.session());
  const isAdmin = session.data?.role === "Administrator";
  const a = snapshot?.activity;

  useEffect(() => {
    if (a?.name) document.title = `${a.name} · Syncwatch`;
  }, [a?.name]);

  if (!snapshot || !a) {
    if (error && stopped) return <LoadFailure error={error} onRetry={retry} />;
    return (
      <div aria-busy="true" aria-label="Loading activity">
        <h1 className="sr-only">Loading activity</h1>
        <SkeletonBar className="mb-3 h-5 w-32" />
        <SkeletonBar className="mb-6 h-8 w-2/3" />
        <SkeletonBar className="h-40" />
      </div>
    );
  }
  return (
    <DetailBody
      key={a.id}
      snapshot={snapshot}
      samples={samples}
      isAdmin={isAdmin}
      live={{ error, stopped, loadedAt, retry }}
    />
  );
}

function DetailBody({
  snapshot,
  samples,
  isAdmin,
  live,
}: {
  snapshot: NonNullable<ActivityLive["snapshot"]>;
  samples: ActivityLive["samples"];
  isAdmin: boolean;
  live: { error: unknown; stopped: boolean; loadedAt: number | null; retry: () => void };
}) {
  const { activity: a, progress: p } = snapshot;
  const id = a.id;
  const ended = a.status !== "InProgress";
  const queued = !ended && !a.started;
  const isRun = isRunActivity(a);
  const isSchedule = isScheduleActivity(a);
  const hasErrors = a.totalObjectErrors > 0;
  const { setState: setItemState } = useListState(itemList);
  const errorCounts = useErrorCounts(a, isAdmin);
  const comparison = useLiveQuery(endpoints.getActivityComparison, keys.comparison(id), NO_QUERY, {
    params: { id },
    live: !ended,
    enabled: isRun && !queued,
  });

  const showErrorsOf = (errorType: string) => {
    void setItemState({ errorType: [errorType as never], page: null, item: null });
    document.getElementById("items")?.scrollIntoView({ block: "start" });
  };
  const items =
    isRun && !queued ? (
      <Section
        id="items"
        title={hasErrors ? `Failed objects` : "Execution items"}
        aside={
          hasErrors ? (
            <span className="text-sm text-slate-700 dark:text-slate-300">
              {plural(a.totalObjectErrors, "object")} failed ·{" "}
              <Link
                href={failuresOfRunHref(a)}
                className="font-medium text-blue-800 underline dark:text-blue-300"
                data-testid="failures-of-run"
              >
                their failure history
              </Link>
            </span>
          ) : null
        }
      >
        {!isAdmin ? (
          <RoleNotice>{ADMIN_ITEMS}</RoleNotice>
        ) : (
          <ExecutionItems
            activityId={id}
            finished={ended}
            itemCount={a.itemCount}
            failedCount={a.totalObjectErrors}
            itemsPurgedAt={a.itemsRetained ? null : a.itemsPurgedAt}
            defaultToErrors={hasErrors}
            failuresHref={hasErrors ? failuresOfRunHref(a) : null}
          />
        )}
      </Section>
    ) : null;
  // A run with failed objects shows them first (the first one without scrolling); its history follows.
  const history = isRun && !queued ? <RunHistoryPanel activity={a} /> : null;
  const comparisonSection =
    isRun && !queued && comparison.data && changedErrorTypes(comparison.data).length ? (
      <Section id="comparison" title="Error types against the previous run">
        <ComparisonPanel comparison={comparison.data} />
      </Section>
    ) : null;

  return (
    <div data-testid="activity-detail" data-status={a.status}>
      {live.error ? (
        <ErrorBanner
          title={
            live.stopped
              ? "Stopped refreshing this activity — showing the last data received"
              : "Cannot refresh this activity — trying again"
          }
          action={live.stopped ? <Button onClick={live.retry}>Retry</Button> : null}
        >
          {describeError(live.error)}
        </ErrorBanner>
      ) : null}
      <ActivityHeader
        activity={a}
        progress={p}
        actions={
          <div className="flex flex-wrap items-start gap-2">
            <NotifyOnEnd activity={a} />
            {isAdmin ? <ActivityActions activity={a} /> : null}
          </div>
        }
        live={<LiveIndicator ended={ended} loadedAt={live.loadedAt} failing={!!live.error} />}
      />
      <RunEndAnnouncement activity={a} progress={p} />
      <ProgressPanel activity={a} progress={p} />
      {hasErrors ? null : history}

      {isSchedule ? (
        <Section id="steps" title="Steps">
          <ScheduleExecutionView execution={snapshot.scheduleExecution} isAdmin={isAdmin} />
        </Section>
      ) : null}

      {hasErrors && (isRun || Object.keys(errorCounts).length) ? (
        <Section
          id="errors"
          title={`Errors by type (${plural(a.totalObjectErrors, "error")})`}
          aside={
            <RecurrenceSummary
              recurrence={comparison.data?.recurrence}
              loading={isRun && !queued && comparison.isPending}
            />
          }
        >
          {Object.keys(errorCounts).length ? (
            <ErrorsByType counts={errorCounts} onShow={isRun && a.itemsRetained && isAdmin ? showErrorsOf : null} />
          ) : (
            <p className="text-sm text-slate-700 dark:text-slate-300">
              {isAdmin ? "Counting the errors by type…" : "The errors by type need the Administrator role."}
            </p>
          )}
        </Section>
      ) : null}
      {hasErrors ? items : null}
      {hasErrors && a.warnings.length ? (
        <div className="-mt-3 mb-6">
          <Warnings warnings={a.warnings} />
        </div>
      ) : null}
      {hasErrors ? history : null}
      {comparisonSection}
      {isRun && !queued ? (
        <Section id="counters" title="Counters">
          <CounterCards counters={a.counters} />
        </Section>
      ) : null}
      {(isRun || isSchedule) && !queued ? <ChartsSection activity={a} progress={p} samples={samples} /> : null}
      {hasErrors ? null : items}
    </div>
  );
}
