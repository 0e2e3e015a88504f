"use client";
import { useState } from "react";
import { endpoints } from "@/lib/client/endpoints";
import type { ActivityList as ActivityListData } from "@/lib/api/activities";
import { countNoun, isEmpty, isPastEnd, knownTotal, pageCount } from "@/lib/client/counts";
import {
  activityList,
  includesSteps,
  isTooDeep,
  listApiQuery,
  listProblems,
  MAX_OFFSET_ROWS,
  pageSizeOf,
  resolveListQuery,
} from "@/lib/client/list-params";
import { useLiveQuery } from "@/lib/client/live";
import { keys } from "@/lib/client/resources";
import { Button } from "@/components/ui/Button";
import { QueryErrorBanner } from "@/components/ui/ErrorBanner";
import { queryListing } from "@/components/ui/DataTable";
import { Pagination, PastEndNotice } from "@/components/ui/Pagination";
import { SavedViewsMenu } from "@/components/saved-views/SavedViewsMenu";
import { ActivityTable } from "./ActivityTable";
import { ActivityFilters } from "./ActivityFilters";
import { NewActivitiesButton, StepMatchesNotice, StepsIncludedNotice } from "./ListNotices";
import { QuickFilters } from "./QuickFilters";
import { useListState } from "@/lib/client/lists/use-list-state";

/** The activity list: filters and paging in the URL, rows live by long polling, steps and queue made visible. */
export function ActivityList() {
  const { state, setFilters, setState: setView, hasFilters: filtered } = useListState(activityList);
  // "N new" counts matching activities created after this moment (reset by "show").
  const [since, setSince] = useState(() => new Date().toISOString());
  const problems = listProblems(state);
  const steps = includesSteps(state);
  const apiQuery = { ...listApiQuery(state), newerThan: since };
  const query = useLiveQuery(endpoints.listActivities, keys.activityList(apiQuery), apiQuery, {
    resolve: resolveListQuery,
    enabled: problems.length === 0,
  });
  const data: ActivityListData | undefined = problems.length === 0 ? query.data : undefined;
  const pageSize = pageSizeOf(state);
  const total = data ? knownTotal(data, state.page, pageSize) : null;
  const pastEnd = total
    ? (isPastEnd(state.page, pageSize, total) || (isTooDeep(state) && !total.exact)) && total.n > 0
    : false;
  // the last page we can name: the end of the counted rows, or as deep as page numbers go
  const lastPage = total ? Math.min(pageCount(total.n, pageSize), Math.floor(MAX_OFFSET_ROWS / pageSize)) : 1;

  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Activities</h1>
        <SavedViewsMenu scope="Activities" />
      </div>
      <ActivityFilters state={state} onChange={setFilters} />
      <div
        id="list-quick-filters"
        role="region"
        aria-label="Quick filters and count"
        tabIndex={-1}
        data-skip-label="Quick filters"
        className="mb-2 flex flex-wrap items-center justify-between gap-3 outline-none"
      >
        <QuickFilters state={state} onChange={(p) => setFilters(p)} />
        <div className="flex items-center gap-3">
          {data?.newerCount ? (
            <NewActivitiesButton
              count={data.newerCount}
              onShow={() => {
                setSince(new Date().toISOString());
                setView({ page: null, sort: null, order: null });
              }}
            />
          ) : null}
          <p className="text-sm tabular-nums text-slate-600 dark:text-slate-400" data-testid="list-count">
            {total ? `${countNoun(total, "activity", "activities")} · live` : ""}
          </p>
        </div>
      </div>
      {steps && activityList.isImplied(state, "topLevelOnly") ? (
        <StepsIncludedNotice onHide={() => setFilters(activityList.choose(state, "topLevelOnly", true))} />
      ) : null}
      {data?.stepMatches && data.stepMatches.count > 0 && !steps ? (
        <StepMatchesNotice
          count={data.stepMatches.count}
          capped={data.stepMatches.capped}
          onShow={() => setFilters(activityList.choose(state, "topLevelOnly", false))}
        />
      ) : null}
      {query.isError && query.data ? (
        <QueryErrorBanner title="Cannot refresh the activity list — showing the last data received" query={query} />
      ) : null}
      {problems.length > 0 ? (
        <div
          className="rounded-lg border border-amber-300 bg-amber-50 p-6 text-center text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
          data-testid="filter-problem"
        >
          <p className="font-semibold">Nothing was searched: a filter needs fixing first.</p>
          <p className="mt-1 text-sm">{problems.map((p) => p.message).join(" ")}</p>
        </div>
      ) : query.isError && !query.data ? (
        <QueryErrorBanner title="The activity list could not be loaded" query={query} />
      ) : pastEnd && data ? (
        <PastEndNotice
          page={state.page}
          totalPages={lastPage}
          noun="matching activities"
          atLeast={!total?.exact}
          onLast={() => setView({ page: lastPage > 1 ? lastPage : null })}
        />
      ) : (
        <>
          <ActivityTable
            rows={data?.items ?? []}
            {...queryListing(query)}
            sort={state.sort}
            order={state.order}
            onSort={(sort, order) => setView({ sort: sort as typeof state.sort, order, page: null })}
            skeletonRows={Math.min(pageSize, 10)}
            showSchedule={steps}
          />
          {total && isEmpty(total) ? (
            <div
              className="mt-2 rounded-lg border border-slate-200 p-10 text-center dark:border-slate-800"
              data-testid="empty-state"
            >
              <p className="font-medium">No activities {filtered ? "match these filters" : "yet"}.</p>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                {filtered ? "Widen the time range or clear the filters." : "Runs appear here as soon as they start."}
              </p>
              {filtered ? (
                <Button className="mt-3" onClick={() => setFilters(activityList.clear)}>
                  Clear all filters
                </Button>
              ) : null}
            </div>
          ) : null}
        </>
      )}
      {data && total && !isEmpty(total) ? (
        <Pagination
          label="Activity pages"
          idPrefix="activities"
          page={state.page}
          pageSize={pageSize}
          total={total}
          hasNextPage={data.hasNextPage}
          onPage={(p) => setView({ page: p > 1 ? p : null })}
          onPageSize={(s) => setView({ pageSize: s, page: null })}
        />
      ) : null}
    </div>
  );
}
