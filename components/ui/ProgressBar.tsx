import { formatInt, formatPercent } from "@/lib/client/format";

/** Processed of total as a bar; indeterminate (striped pulse) while the total is unknown. */
export function ProgressBar({
  processed,
  total,
  label,
  size = "md",
  showText = true,
  done = false,
  unit = "",
}: {
  processed: number;
  total: number | null;
  label: string;
  size?: "sm" | "md";
  showText?: boolean;
  /** Finished: a full bar even when the total was never known. */
  done?: boolean;
  unit?: string;
}) {
  const fraction = total && total > 0 ? Math.min(1, processed / total) : done ? 1 : null;
  const h = size === "sm" ? "h-1.5" : "h-2.5";
  return (
    <div className="w-full">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={total ? processed : undefined}
        aria-valuetext={
          total
            ? `${formatInt(processed)} of ${formatInt(total)} (${formatPercent(fraction)})`
            : `${formatInt(processed)} processed`
        }
        className={`${h} w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700`}
      >
        <div
          className={`${h} rounded-full bg-blue-600 transition-[width] duration-500 dark:bg-blue-400 ${fraction === null ? "sw-pulse w-1/3" : ""}`}
          style={fraction === null ? undefined : { width: `${(fraction * 100).toFixed(2)}%` }}
        />
      </div>
      {showText ? (
        <p className="mt-1 text-xs tabular-nums text-slate-700 dark:text-slate-300">
          {formatInt(processed)}
          {total !== null ? ` / ${formatInt(total)}` : ""}
          {unit ? ` ${unit}` : ""}
          {fraction !== null && total ? ` · ${formatPercent(fraction)}` : ""}
        </p>
      ) : null}
    </div>
  );
}
