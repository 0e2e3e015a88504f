import type { ReactNode } from "react";

/** A column heading: its label, or its label and the classes it adds to the row's (a width, an alignment). */
type HeadColumn = ReactNode | [label: ReactNode, className: string];

/**
 * The heading row of a plain table (not a DataTable): one `<th scope="col">` per column, in order, each
 * with the classes every heading of the row shares (`cell`) and its own. A column that is `false` is
 * left out (one shown only to administrators).
 */
export function TableHead({ className, cell, columns }: { className: string; cell: string; columns: HeadColumn[] }) {
  return (
    <thead className={className}>
      <tr>
        {columns.map((c, i) => {
          if (c === false) return null;
          const [label, own] = Array.isArray(c) ? c : [c, ""];
          return (
            <th key={i} scope="col" className={own ? `${cell} ${own}` : cell}>
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/** The screen-reader-only heading of a column of buttons. */
export const ACTIONS_LABEL = <span className="sr-only">Actions</span>;
