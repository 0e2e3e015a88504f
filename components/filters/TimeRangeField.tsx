"use client";
import { fromLocalInput, toLocalInput } from "@/lib/client/format";
import {
  ANY_TIME,
  CUSTOM,
  LAST_NIGHT,
  LAST_NIGHT_LABEL,
  chooseRange,
  rangeChoice,
  type RangeState,
} from "@/lib/client/lists/time-range";
import { Field, INPUT_CLASS, SMALL_SCREEN_PAIR } from "./Field";

/**
 * A list's time range: its presets, "Last night", and a custom range picked in the viewer's zone.
 * `fallback` is what no range means (any time, or a preset such as the last 7 days). Problems with
 * the dates are the page's to say; `problemId` names where (the pickers point to it).
 */
export function TimeRangeField({
  idPrefix,
  label,
  state,
  presets,
  labels,
  fallback = ANY_TIME,
  onChange,
  problemId,
  inline = false,
}: {
  idPrefix: string;
  label: string;
  state: RangeState;
  /** Each preset's span back from now, in milliseconds, in the order offered. */
  presets: Record<string, number>;
  labels: Record<string, string>;
  fallback?: string;
  onChange: (patch: RangeState, history?: "push" | "replace") => void;
  problemId?: string;
  inline?: boolean;
}) {
  const choice = rangeChoice(state, fallback);
  const date = (key: "from" | "to", text: string) =>
    onChange({ ...state, range: CUSTOM, [key]: fromLocalInput(text) }, "replace");
  const picker = (key: "from" | "to", name: string) => (
    <Field id={`${idPrefix}-${key}`} label={name}>
      <input
        id={`${idPrefix}-${key}`}
        type="datetime-local"
        value={toLocalInput(state[key])}
        aria-invalid={problemId ? true : undefined}
        aria-describedby={problemId}
        onChange={(e) => date(key, e.target.value)}
        className={INPUT_CLASS}
      />
    </Field>
  );
  return (
    <>
      <Field id={`${idPrefix}-range`} label={label} inline={inline} className={SMALL_SCREEN_PAIR}>
        <select
          id={`${idPrefix}-range`}
          value={choice}
          onChange={(e) => onChange(chooseRange(state, e.target.value, presets, fallback))}
          className={`${INPUT_CLASS} w-full sm:w-auto`}
        >
          {fallback === ANY_TIME ? <option value={ANY_TIME}>Any time</option> : null}
          {Object.keys(presets).map((p) => (
            <option key={p} value={p}>
              {labels[p]}
            </option>
          ))}
          <option value={LAST_NIGHT}>{LAST_NIGHT_LABEL}</option>
          <option value={CUSTOM}>Custom range…</option>
        </select>
      </Field>
      {choice === CUSTOM ? (
        <>
          {picker("from", "From")}
          {picker("to", "To")}
        </>
      ) : null}
    </>
  );
}
