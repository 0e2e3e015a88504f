import type { ObjectFailureState } from "@/lib/domain/enums";
import { FAILURE_STATE_LABELS } from "@/lib/client/labels";
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
      <svg
        aria-hidden="true"
        viewBox="0 0 16 16"
        className="h-3.5 w-3.5"
        fill="none"
        stroke="currentColor"
        strokeWidth={2}
      >
        {state === "Open" ? (
          <>
            <circle cx="8" cy="8" r="6" />
            <path d="M5.5 5.5l5 5M10.5 5.5l-5 5" />
          </>
        ) : (
          <path d="M3 8.5l3 3 7-7" />
        )}
      </svg>
      {FAILURE_STATE_LABELS[state]}
    </span>
  );
}
