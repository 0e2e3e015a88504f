"use client";
import { Chip } from "@/components/ui/Chip";
import { activityList, type ActivityListPatch, type ActivityListState } from "@/lib/client/list-params";

/**
 * One-click views. Each sets only its own filter and adds up with the others; pressed again it
 * clears only that filter. "Failed" and "With errors" include schedule steps (the filters imply
 * them, see stepsImplied), so a schedule whose step failed is found at once (the step's row links
 * to its schedule execution). "With errors" is the list's one control of hasErrors.
 */
const QUICK: { label: string; preset: ActivityListPatch; danger?: boolean }[] = [
  { label: "Failed", preset: { status: ["FailedWithError"] }, danger: true },
  { label: "With errors", preset: { hasErrors: true }, danger: true },
  { label: "Running or queued", preset: { status: ["InProgress"] } },
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
      {QUICK.map((q) => (
        <Chip
          key={q.label}
          pressed={activityList.hasPreset(state, q.preset)}
          tone={q.danger ? "danger" : "default"}
          testId={`quick-${q.label.toLowerCase().replace(/\W+/g, "-")}`}
          onClick={() => onChange(activityList.togglePreset(state, q.preset))}
        >
          {q.label}
        </Chip>
      ))}
    </div>
  );
}
