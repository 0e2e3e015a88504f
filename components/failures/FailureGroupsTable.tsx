"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createColumnHelper, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import Link from "next/link";
import { useEffect, useMemo } from "react";
import { DataTable, queryListing } from "@/components/ui/DataTable";
import { Pagination } from "@/components/ui/Pagination";
import { knownTotal } from "@/lib/client/counts";
import type { FailureGroupList } from "@/lib/api/failures";
import { formatInt } from "@/lib/client/format";
import { errorTypeHelp, errorTypeLabel } from "@/lib/client/error-types";
import { queries } from "@/lib/client/resources";
import { ErrorTypeText } from "./ErrorTypeText";
import { GroupTemplates } from "./GroupTemplates";
import { FailuresEmpty } from "./FailuresEmpty";
import { failureList, groupHref, resolveRange } from "./failure-params";
import { QueryProblem } from "./QueryProblem";
import { TrendBars, type TrendBucket } from "./TrendBars";
import type { FailureUrl } from "./useFailureUrl";

type Group = FailureGroupList["items"][number];
const col = createColumnHelper<Group>();
const num = (n: number) => <span className="tabular-nums">{formatInt(n)}</span>;
/** A column of one of the group's counts, right-aligned. */
const countColumn = (
  key: "newObjects" | "failedInRange" | "recoveredInRange",
  id: string,
  header: string,
  width: string,
) => col.accessor(key, { id, header, meta: { align: "right", width }, cell: (c) => num(c.getValue()) });
const UNKNOWN_TYPE = "Unknown type";

const groupName = (g: Group) =>
  `${errorTypeLabel(g.errorType)} in ${g.connectedSystemName}, ${g.objectType ?? UNKNOWN_TYPE}`;

/** Failing objects grouped by error type × connected system × object type, largest first, with trends. */
export function FailureGroupsTable({ state, onAnswered }: { state: FailureUrl; onAnswered?: () => void }) {
  const { url, setUrl, filters, clearFilters } = state;
  const query = { ...filters, page: Math.max(1, url["g.page"]), pageSize: url["g.pageSize"] };
  const groups = useQuery({ ...queries.failureGroupsResolved(query, resolveRange), placeholderData: keepPreviousData });
  const answered = !groups.isPending;
  useEffect(() => {
    if (answered) onAnswered?.();
  }, [answered, onAnswered]);
  const bucket = groups.data?.range.bucket ?? "day";
  const drilled = url.errorType.length === 1 && url.connectedSystemId.length === 1;

  const columns = useMemo(
    () => [
      col.accessor("errorType", {
        id: "errorType",
        header: "Error type",
        meta: { width: "w-[30%]" },
        cell: (c) => (
          <>
            <Link
              href={groupHref(state.url, c.row.original)}
              scroll={false}
              className="text-blue-800 hover:underline dark:text-blue-300"
              aria-label={`Show the objects of ${groupName(c.row.original)}`}
              data-testid="group-link"
            >
              <ErrorTypeText type={c.getValue()} />
            </Link>
            <span className="block text-xs text-slate-600 dark:text-slate-400">
              {errorTypeHelp(c.getValue()).meaning}
            </span>
          </>
        ),
      }),
      col.accessor("connectedSystemName", { id: "system", header: "Connected system", meta: { width: "w-[14%]" } }),
      col.accessor("objectType", {
        id: "objectType",
        header: "Object type",
        meta: { width: "w-[10%]" },
        cell: (c) => c.getValue() ?? <span className="italic">{UNKNOWN_TYPE}</span>,
      }),
      col.accessor("objects", {
        id: "objects",
        header: "Objects",
        meta: { align: "right", width: "w-[9%]" },
        cell: (c) => <span data-testid="group-objects">{num(c.getValue())}</span>,
      }),
      countColumn("newObjects", "new", "New", "w-[7%]"),
      countColumn("failedInRange", "failed", "Failures", "w-[9%]"),
      countColumn("recoveredInRange", "recovered", "Recovered", "w-[9%]"),
      col.accessor("trend", {
        id: "trend",
        header: "Trend",
        meta: { width: "w-[12%]" },
        cell: (c) => <TrendBars trend={c.getValue()} bucket={bucket} />,
      }),
    ],
    // the cells read the URL state for their links
    [state, bucket],
  );
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table is not memoisable: skip it
  const table = useReactTable({
    data: groups.data?.items ?? [],
    columns,
    getRowId: (g) => `${g.errorType}|${g.connectedSystemId}|${g.objectType ?? ""}`,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
  });

  return (
    <section aria-labelledby="failure-groups-title" className="mb-8" data-testid="failure-groups">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="failure-groups-title" className="text-lg font-semibold">
          Groups
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Why, where and what fails; choose an error type to see the objects.
        </p>
      </div>
      <QueryProblem query={groups} what="the failure groups" onReset={clearFilters} />
      {drilled ? (
        <p className="mb-2 text-sm" data-testid="drilled-note">
          Showing one group
          {groups.data?.items.length === 1 ? <>: {groupName(groups.data.items[0])}</> : null}.{" "}
          <Link
            href={failureList.serialize("/failures", {
              ...state.url,
              errorType: null,
              connectedSystemId: null,
              objectType: null,
              template: null,
              page: null,
              "g.page": null,
            })}
            className="font-medium text-blue-800 underline dark:text-blue-300"
          >
            Show all groups
          </Link>
        </p>
      ) : null}
      <DataTable
        table={table}
        caption="Failure groups: error type, connected system and object type"
        {...queryListing(groups)}
        skeletonRows={4}
        rowProps={(r) => ({ "data-testid": "group-row", "data-group": r.id })}
        renderCard={(r) => <GroupCard group={r.original} state={state} bucket={bucket} />}
        renderSubRow={(r) => <GroupTemplates group={r.original} state={state} name={groupName(r.original)} />}
        empty={groups.isError ? null : <FailuresEmpty state={state} />}
      />
      {groups.data && (groups.data.hasNextPage || groups.data.page > 1) ? (
        <Pagination
          page={groups.data.page}
          pageSize={groups.data.pageSize}
          total={knownTotal(groups.data, groups.data.page, groups.data.pageSize)}
          hasNextPage={groups.data.hasNextPage}
          onPage={(p) => setUrl({ "g.page": p > 1 ? p : null })}
          onPageSize={(s) => setUrl({ "g.pageSize": s === 25 ? null : (s as 25 | 50 | 100), "g.page": null })}
          label="Pages of groups"
          idPrefix="groups"
        />
      ) : null}
    </section>
  );
}

function GroupCard({ group: g, state, bucket }: { group: Group; state: FailureUrl; bucket: TrendBucket }) {
  return (
    <div className="space-y-1 text-sm">
      <Link
        href={groupHref(state.url, g)}
        scroll={false}
        className="block text-blue-800 hover:underline dark:text-blue-300"
        aria-label={`Show the objects of ${groupName(g)}`}
        data-testid="group-link"
      >
        <ErrorTypeText type={g.errorType} />
      </Link>
      <p className="text-xs text-slate-600 dark:text-slate-400">{errorTypeHelp(g.errorType).meaning}</p>
      <p>
        {g.connectedSystemName} · {g.objectType ?? UNKNOWN_TYPE}
      </p>
      <p className="flex flex-wrap items-center gap-x-4 gap-y-1 text-slate-700 dark:text-slate-300">
        <span>
          <strong data-testid="group-objects">{formatInt(g.objects)}</strong> objects
        </span>
        <span>{formatInt(g.newObjects)} new</span>
        <span>{formatInt(g.failedInRange)} failures</span>
        <span>{formatInt(g.recoveredInRange)} recovered</span>
        <TrendBars trend={g.trend} bucket={bucket} />
      </p>
      <GroupTemplates group={g} state={state} name={groupName(g)} />
    </div>
  );
}
