import type { ReactNode } from "react";

/** A column header that sorts the table; the arrow shows the current direction. */
export function SortHeaderButton({
  children,
  dir,
  onClick,
  arrowFirst = false,
}: {
  children: ReactNode;
  dir: "asc" | "desc" | false;
  onClick: () => void;
  arrowFirst?: boolean;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      className={
        "inline-flex items-center gap-1 uppercase hover:text-slate-950 dark:hover:text-white " +
        (arrowFirst ? "flex-row-reverse" : "")
      }
    >
      {children}
      <span aria-hidden="true" className="inline-block w-3 text-center">
        {dir === "asc" ? "▲" : dir === "desc" ? "▼" : "↕"}
      </span>
    </button>
  );
}
