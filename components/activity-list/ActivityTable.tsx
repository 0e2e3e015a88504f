"use client";
import { createColumnHelper, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { useMemo } from "react";
import type { ActivitySummary } from "@/lib/api/activities";
import { INITIATOR_LABELS } from "@/lib/client/labels";
import { formatInt } from "@/lib/client/format";
import { DataTable, type ListingProps } from "@/components/ui/DataTable";
import { RelativeTime } from "@/components/ui/RelativeTime";
import {
  DurationCell,
  ErrorsCell,
  NameCell,
  ParentScheduleCell,
  ProcessedCell,
  StatusCell,
  TargetCell,
  typeText,
} from "./cells";

const col = createColumnHelper<ActivitySummary>();

const columns = [
  col.display({
    id: "status",
    header: "Status",
    cell: (c) => <StatusCell a={c.row.original} />,
    meta: { sortKey: "status", width: "w-[9.5rem]" },
  }),
  col.display({
    id: "name",
    header: "Name",
    cell: (c) => <NameCell a={c.row.original} />,
    meta: { sortKey: "name" },
  }),
  col.display({
    id: "target",
    header: "Target",
    cell: (c) => <TargetCell a={c.row.original} />,
    meta: { sortKey: "target", width: "w-[9rem]" },
  }),
  col.display({
    id: "type",
    header: "Type",
    cell: (c) => <span className="text-sm">{typeText(c.row.original)}</span>,
    meta: { sortKey: "type", width: "w-[6.5rem]" },
  }),
  col.display({
    id: "schedule",
    header: "Schedule",
    cell: (c) => <ParentScheduleCell a={c.row.original} />,
    meta: { width: "w-[8.5rem]" },
  }),
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
    meta: { sortKey: "initiator", width: "w-[7rem]" },
  }),
  col.display({
    id: "created",
    header: "Created",
    cell: (c) => <RelativeTime iso={c.row.original.created} />,
    meta: { sortKey: "created", descFirst: true, width: "w-[7.75rem]" },
  }),
  col.display({
    id: "duration",
    header: "Duration",
    cell: (c) => <DurationCell a={c.row.original} />,
    meta: { sortKey: "duration", descFirst: true, align: "right", width: "w-[6rem]" },
  }),
  col.display({
    id: "processed",
    header: "Processed",
    cell: (c) => <ProcessedCell a={c.row.original} />,
    meta: { sortKey: "processed", descFirst: true, align: "right", width: "w-[7.5rem]" },
  }),
  col.display({
    id: "changes",
    header: "Changes",
    cell: (c) => <span className="tabular-nums">{formatInt(c.row.original.totalObjectChangeCount)}</span>,
    meta: { sortKey: "changes", descFirst: true, align: "right", width: "w-[5.75rem]" },
  }),
  col.display({
    id: "errors",
    header: "Errors",
    cell: (c) => <ErrorsCell n={c.row.original.totalObjectErrors} />,
    meta: { sortKey: "errors", descFirst: true, align: "right", width: "w-[5.25rem]" },
  }),
];

/** Below 1024 px: a card that keeps status, name, target, errors and time visible. */
function ActivityCard({ a, showSchedule }: { a: ActivitySummary; showSchedule: boolean }) {
  return (
    <div className="grid gap-1.5">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <StatusCell a={a} />
        <span className="text-xs text-slate-600 dark:text-slate-400">
          <RelativeTime iso={a.created} />
        </span>
      </div>
      <NameCell a={a} />
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 text-sm">
        <span className="min-w-0 text-slate-700 dark:text-slate-300">
          {a.targetName} · {typeText(a)}
        </span>
        <span>
          <span className="text-slate-600 dark:text-slate-400">Errors </span>
          <ErrorsCell n={a.totalObjectErrors} />
          <span className="text-slate-600 dark:text-slate-400"> · </span>
          <DurationCell a={a} />
        </span>
      </div>
      {showSchedule && a.scheduleExecutionId ? (
        <div className="text-xs">
          <span className="text-slate-600 dark:text-slate-400">In schedule </span>
          <ParentScheduleCell a={a} />
        </div>
      ) : null}
    </div>
  );
}

export function ActivityTable({
  rows,
  showSchedule,
  ...listing
}: ListingProps & {
  rows: ActivitySummary[];
  /** Steps are listed: show each step's schedule execution (instead of Changes, for room). */
  showSchedule: boolean;
}) {
  // steps need the Schedule column: Changes makes room for it
  const columnVisibility = useMemo(() => ({ schedule: showSchedule, changes: !showSchedule }), [showSchedule]);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table's hook is used as documented
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (r) => r.id,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    state: { columnVisibility },
  });
  return (
    <DataTable
      table={table}
      caption="Activities"
      {...listing}
      rowProps={(r) => ({
        "data-testid": "activity-row",
        "data-activity-id": r.original.id,
        "data-status": r.original.status,
        "data-queued": r.original.queue ? "true" : undefined,
      })}
      renderCard={(r) => <ActivityCard a={r.original} showSchedule={showSchedule} />}
    />
  );
}
