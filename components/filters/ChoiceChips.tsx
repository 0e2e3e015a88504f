import type { ReactNode } from "react";
import { Chip } from "@/components/ui/Chip";
import { labelOf, type Choice } from "@/lib/client/lists/choices";

/**
 * A multi-valued filter as a group of checkbox chips ("any of"), with counts when the list has them.
 * `values` narrows what is offered (a list with counts offers what it counts); `before` holds chips
 * that are not values of the filter (the item grid's "All items").
 */
export function ChoiceChips({
  choice,
  selected,
  onChange,
  values = choice.values,
  counts,
  before,
}: {
  choice: Choice;
  selected: readonly string[];
  onChange: (next: string[]) => void;
  values?: readonly string[];
  counts?: Record<string, number>;
  before?: ReactNode;
}) {
  return (
    <div role="group" aria-label={choice.legend} className="flex flex-wrap items-center gap-1.5">
      <span aria-hidden="true" className="mr-1 min-w-16 text-xs font-medium text-slate-700 dark:text-slate-300">
        {choice.legend}
      </span>
      {before}
      {values.map((v) => {
        const on = selected.includes(v);
        return (
          <Chip
            key={v}
            checked={on}
            onChange={() => onChange(values.filter((x) => (x === v ? !on : selected.includes(x))))}
            tone={choice.tone}
            title={choice.title?.(v)}
            testId={choice.testId?.(v)}
            count={counts ? (counts[v] ?? 0) : undefined}
          >
            {labelOf(choice, v)}
          </Chip>
        );
      })}
    </div>
  );
}
