"use client";
import { useState } from "react";
import { PAGE_SIZES } from "@/lib/api/schemas";
import { formatInt } from "@/lib/client/format";
import { Button } from "./Button";

/**
 * Rows a–b of N, first / previous / next / last, a page number to jump to, and rows per page.
 * When the count is capped ("10,000+"), the last page is unknown: next follows hasNextPage.
 */
export function Pagination({
  page,
  pageSize,
  totalCount,
  totalCountCapped = false,
  hasNextPage,
  onPage,
  onPageSize,
  label,
  idPrefix,
}: {
  page: number;
  pageSize: number;
  totalCount: number;
  totalCountCapped?: boolean;
  hasNextPage: boolean;
  onPage: (p: number) => void;
  onPageSize: (s: number) => void;
  label: string;
  idPrefix: string;
}) {
  const totalPages = Math.max(1, Math.ceil(totalCount / pageSize));
  const first = totalCount === 0 ? 0 : Math.min(totalCount, (page - 1) * pageSize + 1);
  const last = Math.min(totalCount, page * pageSize);
  const [jump, setJump] = useState("");
  const go = (p: number) => onPage(Math.max(1, totalCountCapped ? p : Math.min(totalPages, p)));
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm">
      <p className="tabular-nums text-slate-700 dark:text-slate-300" aria-live="polite">
        {formatInt(first)}–{formatInt(last)} of {formatInt(totalCount)}
        {totalCountCapped ? "+" : ""}
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
          {PAGE_SIZES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <Button onClick={() => go(1)} disabled={page <= 1} aria-label="First page">
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
            if (Number.isFinite(n)) go(n);
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
            placeholder={String(page)}
            onChange={(e) => setJump(e.target.value.replace(/\D/g, ""))}
            className="h-9 w-16 rounded-md border border-slate-400 bg-white px-2 tabular-nums dark:border-slate-500 dark:bg-slate-900"
          />
          <span className="tabular-nums text-slate-700 dark:text-slate-300">
            of {formatInt(totalPages)}
            {totalCountCapped ? "+" : ""}
          </span>
        </form>
        <Button onClick={() => go(page + 1)} disabled={!hasNextPage}>
          Next
        </Button>
        <Button onClick={() => go(totalPages)} disabled={totalCountCapped || page >= totalPages} aria-label="Last page">
          »
        </Button>
      </div>
    </nav>
  );
}
