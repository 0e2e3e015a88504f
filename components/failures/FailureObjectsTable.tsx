"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createColumnHelper, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable, queryListing } from "@/components/ui/DataTable";
import { Pagination } from "@/components/ui/Pagination";
import { countNoun, isEmpty, isPastEnd, knownTotal, pageCount } from "@/lib/client/counts";
import { Button } from "@/components/ui/Button";
import { MessageCore } from "@/components/ui/MessageCore";
import type { FailureObject } from "@/lib/api/failures";
import { formatInt } from "@/lib/client/format";
import { queries } from "@/lib/client/resources";
import { ErrorTypeText } from "./ErrorTypeText";
import { FailuresEmpty } from "./FailuresEmpty";
import { FailureStateBadge } from "./FailureStateBadge";
import { resolveRange } from "./failure-params";
import { QueryProblem } from "./QueryProblem";
import type { FailureUrl } from "./useFailureUrl";
import { When } from "./When";

const col = createColumnHelper<FailureObject>();
const linkClass = "text-blue-800 hover:underline dark:text-blue-300";

export const objectName = (o: FailureObject) => o.displayName ?? o.externalIdValue ?? "Unnamed object";

function ObjectCell({ o }: { o: FailureObject }) {
  return (
    <>
      <Link href={`/failures/objects/${o.id}`} className={`font-medium ${linkClass}`} data-testid="object-link">
        <span className="break-words">{objectName(o)}</span>
      </Link>
      {o.externalIdValue && o.displayName ? (
        <span className="block break-all text-xs text-slate-600 dark:text-slate-400">{o.externalIdValue}</span>
      ) : null}
    </>
  );
}

function LastError({ o }: { o: FailureObject }) {
  return (
    <>
      <ErrorTypeText type={o.lastErrorType} />
      {o.lastErrorMessage ? (
        <MessageCore
          message={o.lastErrorMessage}
          className="block break-words text-xs text-slate-700 dark:text-slate-300"
          testId="object-error-message"
        />
      ) : null}
    </>
  );
}

/** Links to the object's last run and its history: stacked in the table, side by side on a card. */
function RunLinks({ o, className = "flex flex-col gap-0.5" }: { o: FailureObject; className?: string }) {
  return (
    <span className={className}>
      <Link href={`/activities/${o.lastActivityId}`} className={linkClass} data-testid="last-run-link">
        Last run<span className="sr-only"> of {objectName(o)}</span>
      </Link>
      <Link href={`/failures/objects/${o.id}`} className={linkClass}>
        History<span className="sr-only"> of {objectName(o)}</span>
      </Link>
    </span>
  );
}

const columns = [
  col.accessor("displayName", {
    id: "object",
    header: "Object",
    meta: { sortKey: "displayName", width: "w-[17%]" },
    cell: (c) => <ObjectCell o={c.row.original} />,
  }),
  col.accessor("connectedSystemName", { id: "system", header: "System", meta: { width: "w-[10%]" } }),
  col.accessor("objectType", {
    id: "objectType",
    header: "Type",
    meta: { width: "w-[8%]" },
    cell: (c) => c.getValue() ?? <span className="italic">Unknown</span>,
  }),
  col.accessor("firstSeen", {
    id: "firstSeen",
    header: "First seen",
    meta: { sortKey: "firstSeen", descFirst: true, width: "w-[11%]" },
    cell: (c) => <When iso={c.getValue()} />,
  }),
  col.accessor("lastSeen", {
    id: "lastSeen",
    header: "Last seen",
    meta: { sortKey: "lastSeen", descFirst: true, width: "w-[11%]" },
    cell: (c) => <When iso={c.getValue()} />,
  }),
  col.accessor("consecutiveRuns", {
    id: "consecutiveRuns",
    header: "Runs in a row",
    meta: { sortKey: "consecutiveRuns", descFirst: true, align: "right", width: "w-[8%]" },
    cell: (c) => (
      <span className="tabular-nums" data-testid="object-runs">
        {formatInt(c.getValue())}
        <span className="block text-xs text-slate-600 dark:text-slate-400">
          {formatInt(c.row.original.totalFailures)} in all
        </span>
      </span>
    ),
  }),
  col.accessor("lastErrorType", {
    id: "lastError",
    header: "Last error",
    meta: { width: "w-[19%]" },
    cell: (c) => <LastError o={c.row.original} />,
  }),
  col.accessor("state", {
    id: "state",
    header: "State",
    meta: { width: "w-[8%]" },
    cell: (c) => <FailureStateBadge state={c.getValue()} />,
  }),
  col.display({
    id: "links",
    header: "Links",
    meta: { width: "w-[8%]" },
    cell: (c) => <RunLinks o={c.row.original} />,
  }),
];

function ObjectCard({ o }: { o: FailureObject }) {
  return (
    <div className="space-y-1.5 text-sm">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <ObjectCell o={o} />
        </div>
        <FailureStateBadge state={o.state} />
      </div>
      <p className="text-slate-700 dark:text-slate-300">
        {o.connectedSystemName} · {o.objectType ?? "Unknown type"} · {formatInt(o.consecutiveRuns)}{" "}
        {o.consecutiveRuns === 1 ? "run" : "runs"} in a row ({formatInt(o.totalFailures)} in all)
      </p>
      <LastError o={o} />
      <dl className="grid grid-cols-2 gap-2 text-xs">
        {(
          [
            ["First seen", o.firstSeen],
            ["Last seen", o.lastSeen],
          ] as const
        ).map(([label, iso]) => (
          <div key={label}>
            <dt className="font-medium text-slate-600 dark:text-slate-400">{label}</dt>
            <dd>
              <When iso={iso} />
            </dd>
          </div>
        ))}
      </dl>
      <RunLinks o={o} className="flex gap-4" />
    </div>
  );
}

/** The failed objects matching the filters: a page at a time, sortable where the API sorts. */
export function FailureObjectsTable({ state }: { state: FailureUrl }) {
  const { url, setUrl, filters, clearFilters } = state;
  const page = Math.max(1, url.page);
  const query = { ...filters, page, pageSize: url.pageSize, sort: url.sort, order: url.order };
  const objects = useQuery({
    ...queries.failureObjectsResolved(query, resolveRange),
    placeholderData: keepPreviousData,
  });
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table is not memoisable: skip it
  const table = useReactTable({
    data: objects.data?.items ?? [],
    columns,
    getRowId: (o) => o.id,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
  });
  const data = objects.data;
  const total = data ? knownTotal(data, data.page, data.pageSize) : null;
  const pastEnd = data && total && isPastEnd(data.page, data.pageSize, total) && total.n > 0;
  const lastPage = total ? pageCount(total.n, data?.pageSize ?? 1) : 1;

  return (
    <section aria-labelledby="failed-objects" data-testid="failure-objects">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="failed-objects" className="scroll-mt-4 text-lg font-semibold" tabIndex={-1}>
          Failed objects
        </h2>
        {total ? (
          <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="objects-count">
            {countNoun(total, "object", "objects")}
          </p>
        ) : null}
      </div>
      <QueryProblem query={objects} what="the failed objects" onReset={clearFilters} />
      {pastEnd ? (
        <div className="mb-2 rounded-md border border-slate-300 px-4 py-3 text-sm dark:border-slate-700" role="status">
          Page {formatInt(page)} is past the last page ({formatInt(lastPage)}).{" "}
          <Button size="sm" onClick={() => setUrl({ page: lastPage > 1 ? lastPage : null })}>
            Go to page {formatInt(lastPage)}
          </Button>
        </div>
      ) : null}
      <DataTable
        table={table}
        caption="Failed objects"
        sort={url.sort}
        order={url.order}
        onSort={(sort, order) =>
          setUrl({
            sort: sort as typeof url.sort,
            order,
            page: null,
          })
        }
        {...queryListing(objects)}
        rowProps={(r) => ({ "data-testid": "object-row", "data-id": r.id })}
        renderCard={(r) => <ObjectCard o={r.original} />}
        empty={objects.isError || pastEnd ? null : <FailuresEmpty state={state} />}
      />
      {data && total && !isEmpty(total) ? (
        <Pagination
          page={data.page}
          pageSize={data.pageSize}
          total={total}
          hasNextPage={data.hasNextPage}
          onPage={(p) => setUrl({ page: p > 1 ? p : null })}
          onPageSize={(s) => setUrl({ pageSize: s === 25 ? null : (s as 25 | 50 | 100), page: null })}
          label="Pages of failed objects"
          idPrefix="objects"
        />
      ) : null}
    </section>
  );
}
