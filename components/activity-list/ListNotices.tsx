"use client";
import { formatCount } from "@/lib/client/counts";
import { formatInt } from "@/lib/client/format";

/** "+N matching steps inside schedules — show": the filter matched steps the top-level view leaves out. */
export function StepMatchesNotice({ count, capped, onShow }: { count: number; capped: boolean; onShow: () => void }) {
  return (
    <div
      className="mb-3 flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md border border-blue-300 bg-blue-50 px-3 py-2 text-sm text-blue-950 dark:border-blue-800 dark:bg-blue-950 dark:text-blue-100"
      data-testid="step-matches"
    >
      <span>
        +{formatCount(count, capped)} matching {count === 1 && !capped ? "step" : "steps"} inside schedules
      </span>
      <button
        type="button"
        onClick={onShow}
        data-focus-key="steps-toggle"
        className="font-semibold underline underline-offset-2 hover:no-underline"
      >
        Show {count === 1 && !capped ? "it" : "them"}
      </button>
    </div>
  );
}

/**
 * "Steps inside schedules are included — hide them": the filters implied the steps (the person did
 * not choose); hiding them writes topLevelOnly=true. Its button and "Show them" share a focus key, so
 * focus stays on the toggle that replaces the one pressed.
 */
export function StepsIncludedNotice({ onHide }: { onHide: () => void }) {
  return (
    <div
      className="mb-3 flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md border border-blue-300 bg-blue-50 px-3 py-2 text-sm text-blue-950 dark:border-blue-800 dark:bg-blue-950 dark:text-blue-100"
      data-testid="steps-included"
    >
      <span>Steps inside schedules are included: these filters match them.</span>
      <button
        type="button"
        onClick={onHide}
        data-focus-key="steps-toggle"
        className="font-semibold underline underline-offset-2 hover:no-underline"
      >
        Hide steps
      </button>
    </div>
  );
}

/** "N new activities — show": matching activities created since the view was opened, on any page. */
export function NewActivitiesButton({ count, onShow }: { count: number; onShow: () => void }) {
  return (
    <button
      type="button"
      onClick={onShow}
      data-testid="new-activities"
      className="rounded-full bg-blue-700 px-4 py-1.5 text-sm font-semibold text-white shadow hover:bg-blue-800 dark:bg-blue-300 dark:text-slate-950 dark:hover:bg-blue-200"
    >
      {formatInt(count)} new {count === 1 ? "activity" : "activities"} — show
    </button>
  );
}
