import type { ObjectFailureState } from "@/lib/domain/enums";
import { FAILURE_STATE_LABELS } from "@/lib/client/labels";
import { StatusIcon } from "@/components/ui/StatusBadge";
import { BADGE_CLASS } from "./styles";

const TONES: Record<ObjectFailureState, string> = {
  Open: "bg-red-100 text-red-900 ring-red-300 dark:bg-red-950 dark:text-red-100 dark:ring-red-700",
  Recovered:
    "bg-emerald-100 text-emerald-900 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-100 dark:ring-emerald-700",
};

/** Open (still failing) or Recovered, as a badge with an icon so colour is not the only cue. */
export function FailureStateBadge({ state }: { state: ObjectFailureState }) {
  return (
    <span data-testid="failure-state" data-state={state} className={`${BADGE_CLASS} ${TONES[state]}`}>
      <StatusIcon status={state === "Open" ? "FailedWithError" : "Complete"} className="h-3.5 w-3.5" />
      {FAILURE_STATE_LABELS[state]}
    </span>
  );
}
