"use client";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ActivitySummary } from "@/lib/api/schemas";
import { describeError } from "@/lib/client/api";
import { listApiParams, readListState, resolveTimeRange, hasActiveFilters } from "@/lib/client/list-params";
import { useActivityList } from "@/lib/client/queries";
import { useUrlParams } from "@/lib/client/url-state";
import { formatInt } from "@/lib/client/format";
import { ActivityTable } from "./ActivityTable";
import { FilterBar } from "./FilterBar";
import { Pagination } from "@/components/ui/Pagination";
import { ErrorBanner } from "@/components/ui/ErrorBanner";

interface Frozen {
  key: string;
  ids: string[];
}

export function ActivityListView() {
  const { params, update } = useUrlParams();
  const state = useMemo(() => readListState(params), [params]);
  const apiParams = useMemo(() => listApiParams(state), [state]);
  const key = JSON.stringify(apiParams);
  const query = useActivityList(apiParams, { live: true, resolve: () => resolveTimeRange(state.range) });

  // Rows keep their place while polling: the ids shown are frozen per view (filters, sort, page);
  // rows update in place and activities that arrive later wait behind the "N new" indicator.
  const [frozen, setFrozen] = useState<Frozen | null>(null);
  const lastSeen = useRef(new Map<string, ActivitySummary>());
  const current = query.data && !query.isPlaceholderData ? query.data : undefined;
  useEffect(() => {
    if (!current) return;
    for (const a of current.items) lastSeen.current.set(a.id, a);
    if (!frozen || frozen.key !== key) setFrozen({ key, ids: current.items.map((a) => a.id) });
  }, [current, frozen, key]);

  const { rows, newCount } = useMemo(() => {
    const data = query.data;
    if (!data) return { rows: [] as ActivitySummary[], newCount: 0 };
    if (!frozen || frozen.key !== key || query.isPlaceholderData) return { rows: data.items, newCount: 0 };
    const latest = new Map(data.items.map((a) => [a.id, a]));
    const shown = new Set(frozen.ids);
    const rows = frozen.ids
      .map((id) => latest.get(id) ?? lastSeen.current.get(id))
      .filter((a): a is ActivitySummary => !!a);
    return { rows, newCount: data.items.filter((a) => !shown.has(a.id)).length };
  }, [query.data, query.isPlaceholderData, frozen, key]);

  const showNew = useCallback(() => {
    if (query.data) setFrozen({ key, ids: query.data.items.map((a) => a.id) });
  }, [query.data, key]);

  const data = query.data;
  const firstLoad = query.isPending;
  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold">Activities</h1>
      <FilterBar state={state} onChange={update} />
      {query.isError && data ? (
        <ErrorBanner
          title="Cannot refresh the activity list — showing the last data received"
          action={<RetryButton onClick={() => query.refetch()} />}
        >
          {describeError(query.error)}
        </ErrorBanner>
      ) : null}
      <div className="mb-2 flex h-9 items-center justify-between gap-3">
        <p className="text-sm tabular-nums text-slate-600 dark:text-slate-400">
          {data
            ? `${formatInt(data.totalCount)} ${data.totalCount === 1 ? "activity" : "activities"} · refreshes every 3 s`
            : ""}
        </p>
        {newCount > 0 ? (
          <button
            type="button"
            onClick={showNew}
            data-testid="new-activities"
            className="rounded-full bg-blue-700 px-4 py-1.5 text-sm font-semibold text-white shadow hover:bg-blue-800 dark:bg-blue-300 dark:text-slate-950 dark:hover:bg-blue-200"
          >
            {formatInt(newCount)} new {newCount === 1 ? "activity" : "activities"} — show
          </button>
        ) : null}
      </div>
      {query.isError && !data ? (
        <div className="rounded-lg border border-red-300 p-8 text-center dark:border-red-800" role="alert">
          <p className="font-semibold text-red-900 dark:text-red-200">The activity list could not be loaded.</p>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{describeError(query.error)}</p>
          <RetryButton onClick={() => query.refetch()} />
        </div>
      ) : (
        <>
          <ActivityTable
            rows={rows}
            loading={firstLoad}
            sort={state.sort}
            order={state.order}
            onSort={(sort, order) => update({ sort, order, page: null })}
            skeletonRows={Math.min(state.pageSize, 10)}
          />
          {data && data.totalCount === 0 ? (
            <div
              className="rounded-b-lg border border-t-0 border-slate-200 p-10 text-center dark:border-slate-800"
              data-testid="empty-state"
            >
              <p className="font-medium">No activities {hasActiveFilters(state) ? "match these filters" : "yet"}.</p>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                {hasActiveFilters(state)
                  ? "Widen the time range or clear the filters."
                  : "Runs appear here as soon as they start."}
              </p>
            </div>
          ) : null}
          {data ? (
            <Pagination
              label="Activity pages"
              idPrefix="activities"
              page={state.page}
              pageSize={state.pageSize}
              totalCount={data.totalCount}
              totalCountCapped={data.totalCountCapped}
              hasNextPage={data.hasNextPage}
              onPage={(p) => update({ page: p > 1 ? p : null })}
              onPageSize={(s) => update({ pageSize: s === 25 ? null : s, page: null })}
            />
          ) : null}
        </>
      )}
    </div>
  );
}

export function RetryButton({ onClick }: { onClick: () => void }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="mt-2 h-8 rounded-md border border-red-400 bg-white px-3 text-sm font-medium text-red-900 hover:bg-red-50 dark:border-red-700 dark:bg-red-950 dark:text-red-100 dark:hover:bg-red-900"
    >
      Retry now
    </button>
  );
}
