import type { ReactNode } from "react";

/** The look of every text box and select of the filters. */
export const INPUT_CLASS =
  "h-9 rounded-md border border-slate-400 bg-white px-2 text-sm text-slate-900 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100";
export const LABEL_CLASS = "mb-1 block text-xs font-medium text-slate-700 dark:text-slate-300";
/** A select's box: below the small breakpoint two share a line; from it up, each its own width. */
export const SMALL_SCREEN_PAIR = "min-w-40 flex-1 sm:flex-none";
export const PROBLEM_CLASS = "mt-1 text-xs font-medium text-red-800 dark:text-red-300";

/**
 * A labelled filter control. On the bar's one line the label is read out but not shown (the
 * control's own first choice says what it filters: "All systems"); in "More filters" it is shown.
 */
export function Field({
  id,
  label,
  inline = false,
  className = "",
  children,
}: {
  id: string;
  label: string;
  inline?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className={inline ? "sr-only" : LABEL_CLASS}>
        {label}
      </label>
      {children}
    </div>
  );
}
