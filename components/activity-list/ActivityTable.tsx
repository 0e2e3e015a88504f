"use client";
import { createColumnHelper, getCoreRowModel, useReactTable, type ColumnMeta } from "@tanstack/react-table";
import { useMemo, type ReactNode } from "react";
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

/** A column: its id, header, what its cell shows of the activity, and its meta (sort field, width). */
const column = (
  id: string,
  header: string,
  cell: (a: ActivitySummary) => ReactNode,
  meta: ColumnMeta<ActivitySummary, unknown>,
) => col.display({ id, header, cell: (c) => cell(c.row.original), meta });

const columns = [
  column("status", "Status", (a) => <StatusCell a={a} />, { sortKey: "status", width: "w-[9.5rem]" }),
  column("name", "Name", (a) => <NameCell a={a} />, { sortKey: "name" }),
  column("target", "Target", (a) => <TargetCell a={a} />, { sortKey: "target", width: "w-[9rem]" }),
  column("type", "Type", (a) => <span className="text-sm">{typeText(a)}</span>, {
    sortKey: "type",
    width: "w-[6.5rem]",
  }),
  column("schedule", "Schedule", (a) => <ParentScheduleCell a={a} />, { width: "w-[8.5rem]" }),
  column(
    "initiator",
    "Initiator",
    ({ initiatedBy: i }) => (
      <div className="min-w-0">
        <div className="truncate" title={i.name}>
          {i.name}
        </div>
        <div className="text-xs text-slate-600 dark:text-slate-400">{INITIATOR_LABELS[i.type]}</div>
      </div>
    ),
    { sortKey: "initiator", width: "w-[7rem]" },
  ),
  column("created", "Created", (a) => <RelativeTime iso={a.created} />, {
    sortKey: "created",
    descFirst: true,
    width: "w-[7.75rem]",
  }),
  column("duration", "Duration", (a) => <DurationCell a={a} />, {
    sortKey: "duration",
    descFirst: true,
    align: "right",
    width: "w-[6rem]",
  }),
  column("processed", "Processed", (a) => <ProcessedCell a={a} />, {
    sortKey: "processed",
    descFirst: true,
    align: "right",
    width: "w-[7.5rem]",
  }),
  column("changes", "Changes", (a) => <span className="tabular-nums">{formatInt(a.totalObjectChangeCount)}</span>, {
    sortKey: "changes",
    descFirst: true,
    align: "right",
    width: "w-[5.75rem]",
  }),
  column("errors", "Errors", (a) => <ErrorsCell n={a.totalObjectErrors} />, {
    sortKey: "errors",
    descFirst: true,
    align: "right",
    width: "w-[5.25rem]",
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
