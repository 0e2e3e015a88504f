"use client";
import { useState } from "react";
import { PAGE_SIZES } from "@/lib/api/limits";
import { formatInt } from "@/lib/client/format";
import { formatTotal, isPastEnd, pageCount, type KnownTotal } from "@/lib/client/counts";
import { Button } from "./Button";

/**
 * Rows a–b of N, first / previous / next / last, a page number to jump to, and rows per page.
 * When the total is only a lower bound ("10,000+", or "50+" while it is counted), the last page is
 * unknown: next follows hasNextPage and "last" is disabled. A page past the end never shows
 * impossible numbers ("Page 99,999 of 5"): use <PastEndNotice> in place of the rows.
 */
export function Pagination({
  page,
  pageSize,
  total,
  hasNextPage,
  onPage,
  onPageSize,
  label,
  idPrefix,
  pageSizes = PAGE_SIZES,
}: {
  page: number;
  pageSize: number;
  total: KnownTotal;
  hasNextPage: boolean;
  onPage: (p: number) => void;
  onPageSize: (s: number) => void;
  label: string;
  idPrefix: string;
  pageSizes?: readonly number[];
}) {
  const open = !total.exact;
  const totalPages = pageCount(total.n, pageSize);
  const pastEnd = isPastEnd(page, pageSize, total);
  const empty = total.exact && total.n === 0;
  const first = empty || pastEnd ? 0 : (page - 1) * pageSize + 1;
  const last = pastEnd ? 0 : Math.min(open ? Infinity : total.n, page * pageSize);
  const [jump, setJump] = useState("");
  const [jumpError, setJumpError] = useState<string | null>(null);
  const clamp = (p: number) => Math.max(1, open ? p : Math.min(totalPages, p));
  const go = (p: number) => onPage(clamp(p));
  const totalText = formatTotal(total);
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm">
      <p className="tabular-nums text-slate-700 dark:text-slate-300" aria-live="polite" data-testid="page-range">
        {empty
          ? "No rows"
          : pastEnd
            ? `No rows on page ${formatInt(page)} · ${totalText} in all`
            : `${formatInt(first)}–${formatInt(last)} of ${totalText}`}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={`${idPrefix}-page-size`} className="text-slate-700 dark:text-slate-300">
          Rows per page
        </label>
        <select
          id={`${idPrefix}-page-size`}
          value={pageSize}
          onChange={(e) => onPageSize(Number(e.target.value))}
          className="h-9 rounded-md border border-slate-400 bg-white px-2 dark:border-slate-500 dark:bg-slate-900"
        >
          {pageSizes.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <Button onClick={() => go(1)} disabled={page <= 1} aria-label="First page" title="First page">
          «
        </Button>
        <Button onClick={() => go(page - 1)} disabled={page <= 1}>
          Previous
        </Button>
        <form
          className="flex items-center gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number.parseInt(jump, 10);
            if (!Number.isFinite(n) || n < 1) {
              setJumpError("Type a page number");
              return;
            }
            if (!open && n > totalPages) {
              setJumpError(`There ${totalPages === 1 ? "is 1 page" : `are ${formatInt(totalPages)} pages`}`);
              return;
            }
            setJumpError(null);
            go(n);
            setJump("");
          }}
        >
          <label htmlFor={`${idPrefix}-page-jump`} className="tabular-nums text-slate-700 dark:text-slate-300">
            Page
          </label>
          <input
            id={`${idPrefix}-page-jump`}
            inputMode="numeric"
            value={jump}
            placeholder={pastEnd ? "—" : String(page)}
            aria-describedby={jumpError ? `${idPrefix}-page-jump-error` : undefined}
            aria-invalid={jumpError ? true : undefined}
            onChange={(e) => {
              setJump(e.target.value.replace(/\D/g, ""));
              setJumpError(null);
            }}
            className="h-9 w-16 rounded-md border border-slate-400 bg-white px-2 tabular-nums dark:border-slate-500 dark:bg-slate-900"
          />
          <span className="tabular-nums text-slate-700 dark:text-slate-300">
            of {open ? "many" : formatInt(totalPages)}
          </span>
          <Button type="submit" size="sm" variant="ghost" className="px-1">
            Go
          </Button>
          {jumpError ? (
            <span id={`${idPrefix}-page-jump-error`} role="alert" className="text-xs text-red-800 dark:text-red-300">
              {jumpError}
            </span>
          ) : null}
        </form>
        <Button onClick={() => go(page + 1)} disabled={!hasNextPage || pastEnd}>
          Next
        </Button>
        <Button
          onClick={() => go(totalPages)}
          disabled={open || page === totalPages}
          aria-label="Last page"
          title={open ? "The last page is not known: more rows match than have been counted" : "Last page"}
        >
          »
        </Button>
      </div>
    </nav>
  );
}

/** In place of the rows when the URL names a page past the end: says so and links to the last page. */
export function PastEndNotice({
  page,
  totalPages,
  onLast,
  noun = "rows",
  atLeast = false,
}: {
  page: number;
  totalPages: number;
  onLast: () => void;
  noun?: string;
  /** The count is a lower bound: the end is not known, only that this page is out of reach. */
  atLeast?: boolean;
}) {
  return (
    <div
      className="rounded-lg border border-amber-300 bg-amber-50 p-6 text-center text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
      data-testid="past-end"
    >
      <p className="font-semibold">
        {atLeast
          ? `Page ${formatInt(page)} is deeper than pages are numbered: narrow the filters, or go to page ${formatInt(totalPages)}.`
          : `Page ${formatInt(page)} does not exist: the ${noun} fill ${formatInt(totalPages)} ${totalPages === 1 ? "page" : "pages"}.`}
      </p>
      <Button variant="primary" className="mt-3" onClick={onLast}>
        {atLeast ? `Go to page ${formatInt(totalPages)}` : `Go to the last page (${formatInt(totalPages)})`}
      </Button>
    </div>
  );
}
