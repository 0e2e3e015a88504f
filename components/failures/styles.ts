/** Class lists the failures pages share (split so no line passes 120 columns). */
export const NOTICE_CLASS = [
  "rounded-md border border-amber-400 bg-amber-50 px-4 py-3 text-sm text-amber-950",
  "dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100",
].join(" ");
export const LAST_ERROR_CLASS = [
  "mt-5 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-950",
  "dark:border-red-900 dark:bg-red-950/40 dark:text-red-100",
].join(" ");
export const FACTS_CLASS = [
  "mt-5 grid grid-cols-2 gap-4 rounded-lg border border-slate-200 p-4 text-sm",
  "md:grid-cols-4 dark:border-slate-800",
].join(" ");
export const TIMELINE_DOT_CLASS = [
  "absolute -left-[1.95rem] top-1 flex h-5 w-5 items-center justify-center rounded-full",
  "ring-2 ring-white dark:ring-slate-950",
].join(" ");
export const BADGE_CLASS =
  "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset";
