"use client";
import { formatInt } from "@/lib/client/format";

export const PAGE_SIZES = [25, 50, 100] as const;

export function Pagination({
  page,
  totalPages,
  totalCount,
  pageSize,
  onPage,
  onPageSize,
  label,
  idPrefix,
}: {
  page: number;
  totalPages: number;
  totalCount: number;
  pageSize: number;
  onPage: (p: number) => void;
  onPageSize: (s: number) => void;
  label: string;
  idPrefix: string;
}) {
  const first = totalCount === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(totalCount, page * pageSize);
  const btn =
    "h-9 rounded-md border border-slate-300 px-3 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800";
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm">
      <p className="tabular-nums text-slate-700 dark:text-slate-300" aria-live="polite">
        {formatInt(first)}–{formatInt(last)} of {formatInt(totalCount)}
      </p>
      <div className="flex items-center gap-2">
        <label htmlFor={`${idPrefix}-page-size`} className="text-slate-700 dark:text-slate-300">
          Rows per page
        </label>
        <select
          id={`${idPrefix}-page-size`}
          value={pageSize}
          onChange={(e) => onPageSize(Number(e.target.value))}
          className="h-9 rounded-md border border-slate-400 bg-white px-2 dark:border-slate-500 dark:bg-slate-900"
        >
          {PAGE_SIZES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <button type="button" className={btn} onClick={() => onPage(page - 1)} disabled={page <= 1}>
          Previous
        </button>
        <span className="tabular-nums text-slate-700 dark:text-slate-300">
          Page {formatInt(page)} of {formatInt(Math.max(1, totalPages))}
        </span>
        <button type="button" className={btn} onClick={() => onPage(page + 1)} disabled={page >= totalPages}>
          Next
        </button>
      </div>
    </nav>
  );
}
