"use client";
import { useMemo } from "react";
import { createColumnHelper, getCoreRowModel, useReactTable, type Row } from "@tanstack/react-table";
import type { ExecutionItemSummary } from "@/lib/api/items";
import { changeTypeLabel, errorTypeHelp, errorTypeLabel, outcomeLabels } from "@/lib/client/error-types";
import { DataTable, type ListingProps } from "@/components/ui/DataTable";
import { MessageCore } from "@/components/ui/MessageCore";
import { StatusIcon } from "@/components/ui/StatusBadge";

const col = createColumnHelper<ExecutionItemSummary>();

export function RecurrenceBadge({ recurrence }: { recurrence: ExecutionItemSummary["recurrence"] }) {
  if (!recurrence) return null;
  const recurring = recurrence === "Recurring";
  return (
    <span
      data-testid="recurrence-badge"
      title={recurring ? "Failed in the previous run of this run profile too" : "Did not fail in the previous run"}
      className={`inline-flex shrink-0 items-center rounded px-1.5 py-0.5 text-[11px] font-semibold ring-1 ring-inset ${
        recurring
          ? "bg-amber-100 text-amber-950 ring-amber-400 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-700"
          : "bg-sky-100 text-sky-950 ring-sky-400 dark:bg-sky-950 dark:text-sky-100 dark:ring-sky-700"
      }`}
    >
      {recurrence}
    </span>
  );
}

function ItemStatus({ failed }: { failed: boolean }) {
  return (
    <span
      className={`inline-flex items-center gap-1 text-xs ${failed ? "font-semibold text-red-800 dark:text-red-300" : "text-emerald-800 dark:text-emerald-300"}`}
    >
      <StatusIcon status={failed ? "FailedWithError" : "Complete"} className="h-3.5 w-3.5" />
      {failed ? "Failed" : "OK"}
    </span>
  );
}

function OpenButton({ item, onOpen }: { item: ExecutionItemSummary; onOpen: (id: string, el: HTMLElement) => void }) {
  return (
    <button
      type="button"
      data-testid="item-open"
      data-row-primary
      className="block max-w-full truncate text-left font-medium text-blue-800 hover:underline dark:text-blue-300"
      onClick={(e) => onOpen(item.id, e.currentTarget)}
      title={item.displayName ?? undefined}
    >
      {item.displayName ?? <span className="italic">(no name)</span>}
    </button>
  );
}

/** The page of items: a table with a sticky header, cards below 1024 px (status, name, error type, message). */
export function ItemTable({
  items,
  onOpen,
  openId,
  empty,
  ...listing
}: ListingProps & {
  items: ExecutionItemSummary[];
  onOpen: (id: string, el: HTMLElement) => void;
  openId: string | null;
  empty: React.ReactNode;
}) {
  const columns = useMemo(
    () => [
      col.display({
        id: "status",
        header: "Result",
        meta: { width: "w-24" },
        cell: (c) => <ItemStatus failed={!!c.row.original.errorType} />,
      }),
      col.accessor("displayName", {
        header: "Object",
        meta: { sortKey: "displayName", width: "w-[22%]" },
        cell: (c) => (
          <div className="min-w-0">
            <OpenButton item={c.row.original} onOpen={onOpen} />
            <span className="block truncate font-mono text-xs text-slate-600 dark:text-slate-400">
              {c.row.original.externalIdValue ?? "—"}
            </span>
          </div>
        ),
      }),
      col.accessor("connectedSystemObjectType", {
        header: "Type",
        meta: { sortKey: "connectedSystemObjectType", width: "w-24" },
        cell: (c) => <span className="block truncate">{c.getValue() ?? "—"}</span>,
      }),
      col.accessor("objectChangeType", {
        header: "Change",
        meta: { sortKey: "objectChangeType", width: "w-28" },
        cell: (c) => changeTypeLabel(c.getValue()),
      }),
      col.accessor("errorType", {
        header: "Error",
        meta: { sortKey: "errorType", width: "w-48" },
        cell: (c) => {
          const t = c.getValue();
          if (!t) return <span className="text-slate-600 dark:text-slate-400">—</span>;
          return (
            <div className="flex flex-wrap items-center gap-1.5">
              <span className="font-medium text-red-800 dark:text-red-300" title={errorTypeHelp(t).meaning}>
                {errorTypeLabel(t)}
              </span>
              <RecurrenceBadge recurrence={c.row.original.recurrence} />
            </div>
          );
        },
      }),
      col.accessor("errorMessage", {
        header: "Message",
        cell: (c) => {
          const message = c.getValue();
          return message ? <MessageCore message={message} className="line-clamp-2 break-words text-xs" /> : null;
        },
      }),
      col.accessor("outcomeSummary", {
        header: "Outcomes",
        meta: { width: "w-44" },
        cell: (c) => <span className="line-clamp-2 text-xs">{outcomeLabels(c.getValue()).join(", ") || "—"}</span>,
      }),
    ],
    [onOpen],
  );
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table is not memoisable; compiler skips it
  const table = useReactTable({ data: items, columns, getCoreRowModel: getCoreRowModel(), getRowId: (r) => r.id });
  const rowProps = (r: Row<ExecutionItemSummary>) => ({
    "data-testid": "item-row",
    "data-item-id": r.original.id,
    "data-error-type": r.original.errorType ?? "none",
    "data-recurrence": r.original.recurrence ?? undefined,
    "aria-current": r.original.id === openId ? ("true" as const) : undefined,
    className: r.original.id === openId ? "bg-blue-50 dark:bg-blue-950/50" : "",
  });
  return (
    <DataTable
      table={table}
      caption="Execution items"
      {...listing}
      rowProps={rowProps}
      empty={empty}
      renderCard={(r) => {
        const it = r.original;
        return (
          <div className="min-w-0 space-y-1">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <ItemStatus failed={!!it.errorType} />
              <span className="text-xs text-slate-600 dark:text-slate-400">
                {it.connectedSystemObjectType ?? "—"} · {changeTypeLabel(it.objectChangeType)}
              </span>
            </div>
            <OpenButton item={it} onOpen={onOpen} />
            {it.errorType ? (
              <div className="flex flex-wrap items-center gap-1.5 text-sm">
                <span className="font-medium text-red-800 dark:text-red-300">{errorTypeLabel(it.errorType)}</span>
                <RecurrenceBadge recurrence={it.recurrence} />
              </div>
            ) : null}
            {it.errorMessage ? <MessageCore message={it.errorMessage} className="block break-words text-xs" /> : null}
          </div>
        );
      }}
    />
  );
}
