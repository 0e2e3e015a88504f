"use client";
import { memo, useCallback, useEffect, useRef, useState } from "react";
import { endpoints } from "@/lib/client/endpoints";
import { keys } from "@/lib/client/resources";
import { useLiveQuery } from "@/lib/client/live";
import { ApiError, endpointUrl } from "@/lib/client/http";
import { formatInt } from "@/lib/client/format";
import { formatTotal, isEmpty, knownTotal } from "@/lib/client/counts";
import { Pagination } from "@/components/ui/Pagination";
import { QueryErrorBanner } from "@/components/ui/ErrorBanner";
import { queryListing } from "@/components/ui/DataTable";
import { ButtonLink } from "@/components/ui/Button";
import { useListState } from "@/lib/client/lists/use-list-state";
import { ItemFilters } from "./ItemFilters";
import { ItemTable } from "./ItemTable";
import { ItemDrawer } from "./ItemDrawer";
import { FailedKeptNotice, PurgeNotice, purgeInfo } from "./PurgeNotice";
import { itemList, itemFilterQuery, useItemListQuery, type ItemStatePatch } from "./item-list";

/**
 * The execution items of a run: filters, a page of rows, paging, the drawer, and a CSV export of
 * what the filters match. While the run records items the page is pushed as they arrive (failed
 * items appear as they happen); a finished run's items never change.
 * Memo: its props are plain values, so a pushed snapshot of the run that leaves them as they were
 * does not draw the table again (its own pushed page of items does).
 */
export const ExecutionItems = memo(function ExecutionItems({
  activityId,
  finished,
  itemCount,
  failedCount = itemCount,
  itemsPurgedAt,
  defaultToErrors,
  failuresHref,
}: {
  activityId: string;
  finished: boolean;
  /** Items the run has recorded so far. */
  itemCount: number;
  /** Failed items of the run: how many rows the failed-items view will show (its skeleton's size). */
  failedCount?: number;
  itemsPurgedAt: string | null;
  /** A run with errors opens on its failed items when the link names no item filter. */
  defaultToErrors: boolean;
  /** The run's failed objects on Failures, which the purge notices link to; null when none failed. */
  failuresHref: string | null;
}) {
  const { state: urlState, setState } = useListState(itemList);
  // a link without item filters to a run with errors opens on the failed items, until the viewer picks a filter
  const [arrivedBare, setArrivedBare] = useState(
    () => defaultToErrors && typeof window !== "undefined" && !/(^|[?&])i\./.test(window.location.search),
  );
  const applyDefault = arrivedBare && !itemList.hasFilters(urlState);
  const state = applyDefault ? { ...urlState, errorType: ["any" as const] } : urlState;
  useEffect(() => {
    if (!applyDefault) return;
    void setState({ errorType: ["any"] }, { history: "replace" });
  }, [applyDefault, setState]);
  const query = useItemListQuery(state);
  const q = useLiveQuery(endpoints.listExecutionItems, keys.items(activityId, query), query, {
    params: { id: activityId },
    live: !finished,
  });
  const top = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const pendingOpen = useRef<"first" | "last" | null>(null);

  const onChange = useCallback(
    (patch: ItemStatePatch, history: "push" | "replace" = "push") => {
      setArrivedBare(false);
      void setState(patch, { history });
    },
    [setState],
  );
  const data = q.data;
  const rows = data?.items ?? [];
  const openItem = useCallback(
    (id: string, el: HTMLElement) => {
      opener.current = el;
      onChange({ item: id });
    },
    [onChange],
  );
  // focus goes back to the open item's row (the one the viewer reached with J/K, or the opener)
  const closeItem = useCallback(() => {
    const id = new URLSearchParams(window.location.search).get("i.item");
    const row = id
      ? document.querySelector<HTMLElement>(`[data-item-id="${CSS.escape(id)}"] [data-testid=item-open]`)
      : null;
    if (row) opener.current = row;
    onChange({ item: null });
  }, [onChange]);

  // after paging from the drawer, open the first (or last) row of the new page
  useEffect(() => {
    if (!pendingOpen.current || !data || q.isPlaceholderData) return;
    const target = pendingOpen.current === "first" ? data.items[0] : data.items[data.items.length - 1];
    pendingOpen.current = null;
    if (target) void setState({ item: target.id }, { history: "replace" });
  }, [data, q.isPlaceholderData, setState]);

  const goPage = (page: number) => {
    onChange({ page });
    top.current?.scrollIntoView({ block: "start" });
    top.current?.focus({ preventScroll: true });
  };

  const purge = purgeInfo(q.error);
  if (purge || (itemsPurgedAt && ApiError.is(q.error, "GONE")))
    return <PurgeNotice info={purge} purgedAt={itemsPurgedAt} failuresHref={failuresHref} />;

  const openIndex = state.item ? rows.findIndex((r) => r.id === state.item) : -1;
  const page = data?.page ?? state.page;
  const prev =
    openIndex > 0
      ? () => onChange({ item: rows[openIndex - 1].id }, "replace")
      : openIndex === 0 && page > 1
        ? () => {
            pendingOpen.current = "last";
            onChange({ page: page - 1 }, "replace");
          }
        : null;
  const next =
    openIndex >= 0 && openIndex < rows.length - 1
      ? () => onChange({ item: rows[openIndex + 1].id }, "replace")
      : openIndex === rows.length - 1 && data?.hasNextPage
        ? () => {
            pendingOpen.current = "first";
            onChange({ page: page + 1 }, "replace");
          }
        : null;
  const position =
    openIndex >= 0 && data
      ? `${formatInt((page - 1) * data.pageSize + openIndex + 1)} of ${formatTotal(knownTotal(data, page, data.pageSize))}`
      : null;
  const csvHref = endpointUrl(endpoints.exportExecutionItems, {
    params: { id: activityId },
    query: itemFilterQuery(state),
  });
  const filtered = itemList.hasFilters(state);

  return (
    <div data-testid="item-grid">
      <div ref={top} tabIndex={-1} className="scroll-mt-20 outline-none" />
      <ItemFilters
        state={state}
        facets={data?.facets}
        onChange={onChange}
        actions={
          <ButtonLink href={csvHref} prefetch={false} data-testid="export-csv" download>
            Export CSV{filtered ? " (filtered)" : ""}
          </ButtonLink>
        }
      />
      {data?.retention.itemsKept === "Failed" ? (
        <FailedKeptNotice retention={data.retention} failuresHref={failuresHref} />
      ) : null}
      {q.isError ? <QueryErrorBanner title="The items could not be loaded" query={q} /> : null}
      <ItemTable
        items={rows}
        {...queryListing(q)}
        skeletonRows={Math.max(
          1,
          Math.min(
            state.pageSize,
            10,
            state.errorType.length === 1 && state.errorType[0] === "any" ? failedCount : itemCount,
          ),
        )}
        sort={state.sort}
        order={state.order}
        onSort={(sort, order) => onChange({ sort: sort as typeof state.sort, order, page: null })}
        onOpen={openItem}
        openId={state.item}
        empty={
          <p className="px-4 py-8 text-center text-slate-700 dark:text-slate-300">
            {filtered
              ? "No item matches these filters."
              : itemCount > 0
                ? "No items."
                : finished
                  ? "This run recorded no items."
                  : "No items recorded yet: they appear here as the run processes objects."}
          </p>
        }
      />
      {data && !isEmpty(knownTotal(data, page, data.pageSize)) ? (
        <Pagination
          page={page}
          pageSize={data.pageSize}
          total={knownTotal(data, page, data.pageSize)}
          hasNextPage={data.hasNextPage}
          onPage={goPage}
          onPageSize={(pageSize) => onChange({ pageSize, page: null })}
          label="Execution item pages"
          idPrefix="items"
        />
      ) : null}
      <ItemDrawer
        activityId={activityId}
        itemId={state.item}
        onClose={closeItem}
        onPrevious={prev}
        onNext={next}
        position={position}
        returnFocusTo={opener}
      />
    </div>
  );
});
