"use client";
import { flexRender, type Row, type Table } from "@tanstack/react-table";
import { Fragment, useSyncExternalStore, type HTMLAttributes, type ReactNode } from "react";
import { useShortcuts, type Shortcut } from "./shortcuts";
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

/** How a list's rows stand (loading, under way, out of date) and sort: what its page hands a table. */
export interface ListingProps {
  sort?: string;
  order?: "asc" | "desc";
  onSort?: (sort: string, order: "asc" | "desc") => void;
  /** The first answer has not come: skeleton rows. */
  loading?: boolean;
  /** Rows the skeleton shows while the first page loads (as many as will come, when known). */
  skeletonRows?: number;
  /** A request for these rows is under way (aria-busy). */
  busy?: boolean;
  /**
   * The rows shown belong to the previous query while the new one loads: they are dimmed, said to
   * be out of date, and cannot be clicked or focused (a click would open a row of the old answer).
   */
  stale?: boolean;
}

/** A list query's state as a table shows it: pending, fetching, showing the previous answer. */
export const queryListing = (q: { isPending: boolean; isFetching: boolean; isPlaceholderData: boolean }) => ({
  loading: q.isPending,
  busy: q.isFetching,
  stale: q.isPlaceholderData,
});

export interface DataTableProps<T> extends ListingProps {
  table: Table<T>;
  caption: string;
  /** Attributes of each row (test ids, click to open). */
  rowProps?: (row: Row<T>) => HTMLAttributes<HTMLElement> & Record<`data-${string}`, string | undefined>;
  /** Below 1024 px each row renders as this card instead (status, name, error stay visible). */
  renderCard?: (row: Row<T>) => ReactNode;
  /** What belongs to a row across the whole width, in a row of its own under it (nothing: no row). */
  renderSubRow?: (row: Row<T>) => ReactNode;
  /** Shown under the header when there are no rows (and not loading). */
  empty?: ReactNode;
  minWidthClass?: string;
}

const ROW_SHORTCUTS: Shortcut[] = [
  { keys: ["J"], description: "Next row of the table (from anywhere on the page: the first row)" },
  { keys: ["K"], description: "Previous row of the table" },
  { keys: ["Enter"], description: "Open the row reached with J or K" },
];

const STALE_ROWS = "pointer-events-none opacity-50 transition-opacity";

/** A stable id for the region around a table, from its caption. */
const regionId = (caption: string) => `table-${caption.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

/**
 * A table driven by the columns' meta: sortable headers, alignment, widths, a sticky header, and
 * cards instead of rows on narrow screens (long unbroken words wrap inside the card).
 *
 * Keyboard: the region around it is a skip-link target and the place focus falls back to when the
 * control a person used disappears (components/shell/FocusKeeper); J and K move between rows (the
 * row's `[data-row-primary]` element, else its first link or button) and Enter opens the row
 * (components/shell/KeyboardLayer). While `stale`, the rows are inert.
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
  renderSubRow,
  empty,
  minWidthClass = "",
  busy,
  stale = false,
}: DataTableProps<T>) {
  const wide = useWideViewport();
  useShortcuts(ROW_SHORTCUTS);
  const rows = table.getRowModel().rows;
  const region = {
    id: regionId(caption),
    role: "region",
    "aria-label": caption,
    "aria-busy": busy || stale || undefined,
    tabIndex: -1,
    "data-skip-label": caption,
    "data-focus-fallback": "",
    "data-keyboard-rows": "",
    className: "outline-none focus-visible:outline-2",
  } as const;
  const staleNote = stale ? <span className="sr-only">Loading: the rows below are out of date.</span> : null;
  if (!wide && renderCard) {
    return (
      <div {...region}>
        <h2 className="sr-only">{caption}</h2>
        {staleNote}
        {loading ? (
          <ul className="space-y-2">
            {Array.from({ length: Math.min(skeletonRows, 4) }, (_, i) => (
              <li key={i} className="h-28 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
                <SkeletonBar className="h-4 w-2/3" />
                <SkeletonBar className="mt-3 h-3 w-1/2" />
                <SkeletonBar className="mt-3 h-3 w-3/4" />
              </li>
            ))}
          </ul>
        ) : rows.length === 0 ? (
          empty
        ) : (
          <ul className={`space-y-2 ${stale ? STALE_ROWS : ""}`} inert={stale || undefined}>
            {rows.map((r) => {
              const props = rowProps?.(r) ?? {};
              return (
                <li
                  key={r.id}
                  data-row=""
                  {...props}
                  className={`min-w-0 rounded-lg border border-slate-200 p-3 [overflow-wrap:anywhere] dark:border-slate-800 ${props.className ?? ""}`}
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
    <div {...region} className={`${region.className} rounded-lg border border-slate-200 dark:border-slate-800`}>
      <table className={`w-full table-fixed border-collapse text-sm ${minWidthClass}`}>
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
        <tbody className={stale ? STALE_ROWS : undefined} inert={stale || undefined}>
          {loading
            ? Array.from({ length: skeletonRows }, (_, i) => (
                <tr key={i} className="h-14 border-t border-slate-200 dark:border-slate-800">
                  {headers.map((h) => (
                    <td key={h.id} className="px-3">
                      <SkeletonBar className="h-3.5 w-4/5" />
                    </td>
                  ))}
                </tr>
              ))
            : rows.map((r) => {
                const props = rowProps?.(r) ?? {};
                const sub = renderSubRow?.(r);
                return (
                  <Fragment key={r.id}>
                    <tr
                      data-row=""
                      {...props}
                      className={`border-t border-slate-200 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-900/60 ${props.className ?? ""}`}
                    >
                      {r.getVisibleCells().map((c) => (
                        <td
                          key={c.id}
                          className={`px-3 py-2 align-middle break-words ${c.column.columnDef.meta?.align === "right" ? "text-right" : ""}`}
                        >
                          {flexRender(c.column.columnDef.cell, c.getContext())}
                        </td>
                      ))}
                    </tr>
                    {sub ? (
                      <tr>
                        <td colSpan={headers.length} className="px-3 pb-3 pt-0 break-words">
                          {sub}
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
        </tbody>
      </table>
      {staleNote}
      {!loading && rows.length === 0 ? empty : null}
    </div>
  );
}
