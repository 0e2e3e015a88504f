"use client";
import Link from "next/link";
import { useMemo } from "react";
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  useReactTable,
  type SortingState,
} from "@tanstack/react-table";
import type { ActivitySummary } from "@/lib/api/schemas";
import { INITIATOR_LABELS, RUN_TYPE_LABELS, TARGET_TYPE_LABELS } from "@/lib/client/labels";
import { formatInt } from "@/lib/client/format";
import { StatusBadge } from "@/components/ui/StatusBadge";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { RelativeTime } from "@/components/ui/RelativeTime";
import { ElapsedDuration } from "@/components/ui/ElapsedDuration";
import { SkeletonBar } from "@/components/ui/Skeleton";
import { SortHeaderButton } from "@/components/ui/SortHeaderButton";

const col = createColumnHelper<ActivitySummary>();

/** Column id → the API's sort field (columns without one are not sortable server-side). */
export const COLUMN_SORT: Record<string, string | undefined> = {
  name: "name",
  target: "target",
  type: "type",
  status: "status",
  initiator: "initiator",
  started: "started",
  duration: "duration",
  processed: "processed",
  changes: "changes",
  errors: "errors",
};

function targetText(a: ActivitySummary): { primary: string; secondary: string | null } {
  if (a.targetType === "Schedule") return { primary: a.scheduleName ?? "Schedule", secondary: null };
  if (a.connectedSystemName) return { primary: a.connectedSystemName, secondary: a.runProfileName };
  return { primary: TARGET_TYPE_LABELS[a.targetType], secondary: null };
}

const num = (n: number) => <span className="tabular-nums">{formatInt(n)}</span>;

const columns = [
  col.accessor("name", {
    id: "name",
    header: "Name",
    cell: (c) => {
      const a = c.row.original;
      return (
        <Link
          href={`/activities/${a.id}`}
          className="font-medium text-blue-800 hover:underline dark:text-blue-300"
          title={a.name}
        >
          <span className="line-clamp-2 break-words">{a.name}</span>
        </Link>
      );
    },
  }),
  col.display({
    id: "target",
    header: "Target",
    cell: (c) => {
      const t = targetText(c.row.original);
      return (
        <div className="min-w-0">
          <div className="truncate" title={t.primary}>
            {t.primary}
          </div>
          {t.secondary ? (
            <div className="truncate text-xs text-slate-600 dark:text-slate-400" title={t.secondary}>
              {t.secondary}
            </div>
          ) : null}
        </div>
      );
    },
  }),
  col.display({
    id: "type",
    header: "Type",
    cell: (c) => {
      const a = c.row.original;
      return (
        <span className="text-sm">{a.runType ? RUN_TYPE_LABELS[a.runType] : TARGET_TYPE_LABELS[a.targetType]}</span>
      );
    },
  }),
  col.accessor("status", { id: "status", header: "Status", cell: (c) => <StatusBadge status={c.getValue()} /> }),
  col.display({
    id: "initiator",
    header: "Initiator",
    cell: (c) => {
      const i = c.row.original.initiatedBy;
      return (
        <div className="min-w-0">
          <div className="truncate" title={i.name}>
            {i.name}
          </div>
          <div className="text-xs text-slate-600 dark:text-slate-400">{INITIATOR_LABELS[i.type]}</div>
        </div>
      );
    },
  }),
  col.accessor("started", {
    id: "started",
    header: "Started",
    cell: (c) => <RelativeTime iso={c.getValue() ?? c.row.original.created} />,
  }),
  col.accessor("executionTimeMs", {
    id: "duration",
    header: "Duration",
    cell: (c) => {
      const a = c.row.original;
      return (
        <ElapsedDuration
          started={a.started}
          ended={a.ended}
          durationMs={a.executionTimeMs}
          running={a.status === "InProgress"}
        />
      );
    },
  }),
  col.accessor("totalObjectsProcessed", {
    id: "processed",
    header: "Processed",
    cell: (c) => {
      const a = c.row.original;
      if (a.status === "InProgress")
        return (
          <ProgressBar
            size="sm"
            processed={a.progress.objectsProcessed}
            total={a.progress.objectsToProcess}
            label={`Progress of ${a.name}`}
          />
        );
      return num(a.totalObjectsProcessed);
    },
  }),
  col.accessor("totalObjectChangeCount", { id: "changes", header: "Changes", cell: (c) => num(c.getValue()) }),
  col.accessor("totalObjectErrors", {
    id: "errors",
    header: "Errors",
    cell: (c) => {
      const n = c.getValue();
      return (
        <span className={"tabular-nums " + (n > 0 ? "font-semibold text-red-800 dark:text-red-300" : "")}>
          {formatInt(n)}
        </span>
      );
    },
  }),
];

const WIDTHS: Record<string, string> = {
  target: "w-[9.5rem]",
  type: "w-[6.5rem]",
  status: "w-[11rem]",
  initiator: "w-[7.5rem]",
  started: "w-[7rem]",
  duration: "w-[5.5rem]",
  processed: "w-[8rem]",
  changes: "w-[5.5rem]",
  errors: "w-[5.5rem]",
};
const NUMERIC = new Set(["changes", "errors", "duration", "processed"]);
/** Columns whose first click sorts A to Z; the others start with the largest or latest. */
const TEXT_SORTS = new Set(["name", "target", "type", "initiator"]);

export function ActivityTable({
  rows,
  loading,
  sort,
  order,
  onSort,
  skeletonRows,
}: {
  rows: ActivitySummary[];
  loading: boolean;
  sort: string;
  order: "asc" | "desc";
  onSort: (sort: string, order: "asc" | "desc") => void;
  skeletonRows: number;
}) {
  const sortColumn = Object.entries(COLUMN_SORT).find(([, v]) => v === sort)?.[0];
  const sorting: SortingState = useMemo(
    () => (sortColumn ? [{ id: sortColumn, desc: order === "desc" }] : []),
    [sortColumn, order],
  );
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (r) => r.id,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      if (first && COLUMN_SORT[first.id]) onSort(COLUMN_SORT[first.id]!, first.desc ? "desc" : "asc");
    },
  });

  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="w-full min-w-[1200px] table-fixed border-collapse text-sm" aria-busy={loading || undefined}>
        <caption className="sr-only">Activities</caption>
        <thead className="bg-slate-100 text-left text-xs uppercase text-slate-700 dark:bg-slate-900 dark:text-slate-300">
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>
              {hg.headers.map((h) => {
                const sortable = !!COLUMN_SORT[h.column.id];
                const dir = h.column.getIsSorted();
                return (
                  <th
                    key={h.id}
                    scope="col"
                    className={`${WIDTHS[h.column.id] ?? ""} px-3 py-2 font-semibold ${NUMERIC.has(h.column.id) ? "text-right" : ""}`}
                    aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : undefined}
                  >
                    {sortable ? (
                      <SortHeaderButton
                        dir={dir}
                        arrowFirst={NUMERIC.has(h.column.id)}
                        onClick={() =>
                          onSort(
                            COLUMN_SORT[h.column.id]!,
                            dir === "desc"
                              ? "asc"
                              : dir === "asc"
                                ? "desc"
                                : TEXT_SORTS.has(h.column.id)
                                  ? "asc"
                                  : "desc",
                          )
                        }
                      >
                        {flexRender(h.column.columnDef.header, h.getContext())}
                      </SortHeaderButton>
                    ) : (
                      flexRender(h.column.columnDef.header, h.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {loading && rows.length === 0
            ? Array.from({ length: skeletonRows }, (_, i) => (
                <tr key={i} className="h-14 border-t border-slate-200 dark:border-slate-800">
                  {columns.map((_, j) => (
                    <td key={j} className="px-3">
                      <SkeletonBar className="h-3.5 w-4/5" />
                    </td>
                  ))}
                </tr>
              ))
            : table.getRowModel().rows.map((r) => (
                <tr
                  key={r.id}
                  data-testid="activity-row"
                  data-activity-id={r.id}
                  data-status={r.original.status}
                  className="h-14 border-t border-slate-200 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-900/60"
                >
                  {r.getVisibleCells().map((c) => (
                    <td
                      key={c.id}
                      className={`px-3 py-1.5 align-middle ${NUMERIC.has(c.column.id) ? "text-right" : ""}`}
                    >
                      {flexRender(c.column.columnDef.cell, c.getContext())}
                    </td>
                  ))}
                </tr>
              ))}
        </tbody>
      </table>
    </div>
  );
}
