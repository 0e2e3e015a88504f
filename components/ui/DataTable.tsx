"use client";
import { flexRender, type Row, type Table } from "@tanstack/react-table";
import { useSyncExternalStore, type HTMLAttributes, type ReactNode } from "react";
import { SkeletonBar } from "./Skeleton";
import { SortHeaderButton } from "./SortHeaderButton";

declare module "@tanstack/react-table" {
  // Column meta of every table: the API sort field, alignment and width.
  interface ColumnMeta<TData, TValue> {
    /** The API's sort field; the header sorts by it when set. */
    sortKey?: string;
    /** First click sorts descending (numbers, dates); text sorts A to Z first. */
    descFirst?: boolean;
    align?: "left" | "right";
    /** A Tailwind width class for the column. */
    width?: string;
    /** Phantom use of the type parameters (required by the interface merge). */
    _types?: [TData, TValue];
  }
}

/** True while the viewport is at least `px` wide (the table); below it, cards. */
export function useWideViewport(px = 1024): boolean {
  return useSyncExternalStore(
    (notify) => {
      const mq = window.matchMedia(`(min-width: ${px}px)`);
      mq.addEventListener("change", notify);
      return () => mq.removeEventListener("change", notify);
    },
    () => window.matchMedia(`(min-width: ${px}px)`).matches,
    () => true,
  );
}

export interface DataTableProps<T> {
  table: Table<T>;
  caption: string;
  sort?: string;
  order?: "asc" | "desc";
  onSort?: (sort: string, order: "asc" | "desc") => void;
  loading?: boolean;
  skeletonRows?: number;
  /** Attributes of each row (test ids, click to open). */
  rowProps?: (row: Row<T>) => HTMLAttributes<HTMLElement> & Record<`data-${string}`, string | undefined>;
  /** Below 1024 px each row renders as this card instead (status, name, error stay visible). */
  renderCard?: (row: Row<T>) => ReactNode;
  /** Shown under the header when there are no rows (and not loading). */
  empty?: ReactNode;
  minWidthClass?: string;
  busy?: boolean;
}

/**
 * A table driven by the columns' meta: sortable headers, alignment, widths, a sticky header, and
 * cards instead of rows on narrow screens.
 */
export function DataTable<T>({
  table,
  caption,
  sort,
  order,
  onSort,
  loading = false,
  skeletonRows = 8,
  rowProps,
  renderCard,
  empty,
  minWidthClass = "",
  busy,
}: DataTableProps<T>) {
  const wide = useWideViewport();
  const rows = table.getRowModel().rows;
  if (!wide && renderCard) {
    return (
      <div aria-busy={busy || undefined}>
        <h2 className="sr-only">{caption}</h2>
        {loading ? (
          <ul className="space-y-2">
            {Array.from({ length: Math.min(skeletonRows, 4) }, (_, i) => (
              <li key={i} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
                <SkeletonBar className="h-4 w-2/3" />
                <SkeletonBar className="mt-2 h-3 w-1/2" />
              </li>
            ))}
          </ul>
        ) : rows.length === 0 ? (
          empty
        ) : (
          <ul className="space-y-2">
            {rows.map((r) => {
              const props = rowProps?.(r) ?? {};
              return (
                <li
                  key={r.id}
                  {...props}
                  className={`rounded-lg border border-slate-200 p-3 dark:border-slate-800 ${props.className ?? ""}`}
                >
                  {renderCard(r)}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    );
  }
  const headers = table.getFlatHeaders();
  return (
    <div className="rounded-lg border border-slate-200 dark:border-slate-800">
      <table className={`w-full table-fixed border-collapse text-sm ${minWidthClass}`} aria-busy={busy || undefined}>
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 z-10 bg-slate-100 text-left text-xs uppercase tracking-wide text-slate-700 dark:bg-slate-900 dark:text-slate-300">
          <tr>
            {headers.map((h) => {
              const meta = h.column.columnDef.meta ?? {};
              const active = meta.sortKey && meta.sortKey === sort;
              const label = flexRender(h.column.columnDef.header, h.getContext());
              const next = active ? (order === "asc" ? "desc" : "asc") : meta.descFirst ? "desc" : "asc";
              return (
                <th
                  key={h.id}
                  scope="col"
                  className={`${meta.width ?? ""} px-3 py-2 font-semibold ${meta.align === "right" ? "text-right" : ""}`}
                  aria-sort={active ? (order === "asc" ? "ascending" : "descending") : undefined}
                >
                  {meta.sortKey && onSort ? (
                    <SortHeaderButton
                      dir={active ? (order ?? "asc") : false}
                      onClick={() => onSort(meta.sortKey!, next)}
                      arrowFirst={meta.align === "right"}
                    >
                      {label}
                    </SortHeaderButton>
                  ) : (
                    label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {loading
            ? Array.from({ length: skeletonRows }, (_, i) => (
                <tr key={i} className="h-12 border-t border-slate-200 dark:border-slate-800">
                  {headers.map((h) => (
                    <td key={h.id} className="px-3">
                      <SkeletonBar className="h-3.5 w-4/5" />
                    </td>
                  ))}
                </tr>
              ))
            : rows.map((r) => {
                const props = rowProps?.(r) ?? {};
                return (
                  <tr
                    key={r.id}
                    {...props}
                    className={`border-t border-slate-200 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-900/60 ${props.className ?? ""}`}
                  >
                    {r.getVisibleCells().map((c) => (
                      <td
                        key={c.id}
                        className={`px-3 py-2 align-middle ${c.column.columnDef.meta?.align === "right" ? "text-right" : ""}`}
                      >
                        {flexRender(c.column.columnDef.cell, c.getContext())}
                      </td>
                    ))}
                  </tr>
                );
              })}
        </tbody>
      </table>
      {!loading && rows.length === 0 ? empty : null}
    </div>
  );
}
