import type { ReactNode } from "react";
import { formatInt } from "@/lib/client/format";

/** A toggle chip of a filter, with an optional count. */
export function Chip({
  pressed,
  onClick,
  children,
  count,
  title,
  testId,
  tone = "default",
}: {
  pressed: boolean;
  onClick: () => void;
  children: ReactNode;
  count?: number | null;
  title?: string;
  testId?: string;
  /** "danger" marks chips of failures. */
  tone?: "default" | "danger";
}) {
  const off =
    tone === "danger"
      ? "border-red-300 bg-white text-red-900 hover:bg-red-50 dark:border-red-800 dark:bg-slate-900 dark:text-red-200 dark:hover:bg-red-950"
      : "border-slate-400 bg-white text-slate-800 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800";
  const on =
    tone === "danger"
      ? "border-red-700 bg-red-700 text-white dark:border-red-300 dark:bg-red-300 dark:text-slate-950"
      : "border-blue-700 bg-blue-700 text-white dark:border-blue-300 dark:bg-blue-300 dark:text-slate-950";
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={onClick}
      title={title}
      data-testid={testId}
      className={`inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs font-medium ${pressed ? on : off}`}
    >
      {children}
      {count !== undefined ? <span className="tabular-nums opacity-90">({formatInt(count)})</span> : null}
    </button>
  );
}
