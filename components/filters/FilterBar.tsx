"use client";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/Button";
import { Chip } from "@/components/ui/Chip";

/** A filter that is set, shown as a removable chip. */
export interface ActiveFilter {
  key: string;
  name: string;
  value: ReactNode;
  onRemove: () => void;
  removeLabel?: string;
  testId?: string;
}

/**
 * The filter bar of every list: the common filters on one line (`children`), the rest behind "More
 * filters" (which counts those set, and opens by itself when a link sets one), what is set out of
 * sight or only by a link as removable chips, "Clear filters", and groups shown below the line.
 */
export function FilterBar({
  label = "Filters",
  idPrefix,
  children,
  more,
  moreSet = 0,
  moreChips = [],
  chips = [],
  onClear,
  actions,
  below,
  testId,
}: {
  label?: string;
  idPrefix: string;
  children: ReactNode;
  /** The filters behind "More filters". */
  more?: ReactNode;
  /** How many of those are set. */
  moreSet?: number;
  /** Those set, as chips while the panel is closed. */
  moreChips?: ActiveFilter[];
  /** Filters a link sets that have no control (a run, a message), as chips. */
  chips?: ActiveFilter[];
  /** Clears every filter; no button while nothing is set. */
  onClear: (() => void) | null;
  actions?: ReactNode;
  below?: ReactNode;
  testId?: string;
}) {
  const [moreChosen, setMoreChosen] = useState<boolean | null>(null);
  const moreOpen = more ? (moreChosen ?? moreSet > 0) : false;
  const shown = [...chips, ...(moreOpen ? [] : moreChips)];
  return (
    <section
      aria-label={label}
      data-testid={testId}
      className="mb-2 space-y-2 rounded-lg border border-slate-200 bg-slate-50 p-2 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-end gap-2">
        {children}
        <div className="ml-auto flex flex-wrap items-center gap-2">
          {more ? (
            <Button
              aria-expanded={moreOpen}
              aria-controls={`${idPrefix}-more`}
              onClick={() => setMoreChosen(!moreOpen)}
              data-testid="more-filters"
            >
              {moreOpen ? "Fewer filters" : "More filters"}
              {moreSet ? ` (${moreSet})` : ""}
            </Button>
          ) : null}
          {onClear ? (
            <Button variant="ghost" onClick={onClear} data-testid="clear-filters">
              Clear filters
            </Button>
          ) : null}
          {actions}
        </div>
      </div>
      {shown.length ? (
        <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Filters set">
          {shown.map(({ key, name, value, onRemove, removeLabel, testId: chipTestId }) => (
            <Chip key={key} name={name} onRemove={onRemove} removeLabel={removeLabel} testId={chipTestId}>
              {value}
            </Chip>
          ))}
        </div>
      ) : null}
      {moreOpen ? (
        // Opened by a filter it holds, it stays open once used (clearing that filter must not take focus away).
        <div
          id={`${idPrefix}-more`}
          onFocus={() => setMoreChosen((chosen) => chosen ?? true)}
          onChange={() => setMoreChosen((chosen) => chosen ?? true)}
          className="space-y-2 border-t border-slate-200 pt-2 dark:border-slate-800"
        >
          {more}
        </div>
      ) : null}
      {below}
    </section>
  );
}
