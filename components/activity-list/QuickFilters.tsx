"use client";
import { Chip } from "@/components/ui/Chip";
import { activityList, includesSteps, type ActivityListPatch, type ActivityListState } from "@/lib/client/list-params";

/**
 * One-click views. "Failed" includes schedule steps (its filter implies them, see stepsImplied), so a
 * schedule whose step failed is found at once (the step's row links to its schedule execution).
 */
const QUICK: { label: string; patch: ActivityListPatch; on: (s: ActivityListState) => boolean; danger?: boolean }[] = [
  {
    label: "Failed",
    patch: { status: ["FailedWithError"] },
    on: (s) => s.status.length === 1 && s.status[0] === "FailedWithError" && includesSteps(s),
    danger: true,
  },
  {
    label: "With errors",
    patch: { hasErrors: true },
    on: (s) => s.hasErrors === true && includesSteps(s) && s.status.length === 0,
    danger: true,
  },
  {
    label: "Running or queued",
    patch: { status: ["InProgress"] },
    on: (s) => s.status.length === 1 && s.status[0] === "InProgress",
  },
];

export function QuickFilters({
  state,
  onChange,
}: {
  state: ActivityListState;
  onChange: (patch: ActivityListPatch) => void;
}) {
  return (
    <div role="group" aria-label="Quick filters" className="flex flex-wrap items-center gap-2">
      <span className="text-xs font-medium text-slate-700 dark:text-slate-300">Show</span>
      {QUICK.map((q) => {
        const on = q.on(state);
        return (
          <Chip
            key={q.label}
            pressed={on}
            tone={q.danger ? "danger" : "default"}
            testId={`quick-${q.label.toLowerCase().replace(/\W+/g, "-")}`}
            onClick={() => onChange(on ? activityList.clear : { ...activityList.clear, ...q.patch })}
          >
            {q.label}
          </Chip>
        );
      })}
    </div>
  );
}
