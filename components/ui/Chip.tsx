import type { ReactNode } from "react";
import { formatInt } from "@/lib/client/format";

interface Look {
  children: ReactNode;
  /** A count after the label: "(12)". */
  count?: number | null;
  title?: string;
  testId?: string;
  /** "danger" marks chips of failures. */
  tone?: "default" | "danger";
}
/** A toggle button: a quick filter or a preset, pressed or not. */
interface Toggle extends Look {
  pressed: boolean;
  onClick: () => void;
}
/** One value of an "any of" group: a checkbox. */
interface Check extends Look {
  checked: boolean;
  onChange: () => void;
}
/** A filter that is set, said in words, with a button that removes just it ("Status: Failed ×"). */
interface Removable {
  name: string;
  children: ReactNode;
  onRemove: () => void;
  /** The remove button's name (default: "Remove the filter <name>: <text>"). */
  removeLabel?: string;
  testId?: string;
}

const SHAPE = "inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs font-medium";
const TONES = {
  default: {
    off: "border-slate-400 bg-white text-slate-800 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800",
    on: "border-blue-700 bg-blue-700 text-white dark:border-blue-300 dark:bg-blue-300 dark:text-slate-950",
  },
  danger: {
    off: "border-red-300 bg-white text-red-900 hover:bg-red-50 dark:border-red-800 dark:bg-slate-900 dark:text-red-200 dark:hover:bg-red-950",
    on: "border-red-700 bg-red-700 text-white dark:border-red-300 dark:bg-red-300 dark:text-slate-950",
  },
};

/** The one chip of the filters: a toggle (pressed), a checkbox of a group (checked), or a set filter (onRemove). */
export function Chip(props: Toggle | Check | Removable) {
  if ("onRemove" in props) return <SetFilterChip {...props} />;
  const { children, count, title, testId, tone = "default" } = props;
  const on = "pressed" in props ? props.pressed : props.checked;
  const look = `${SHAPE} ${on ? TONES[tone].on : TONES[tone].off}`;
  const content = (
    <>
      {children}
      {count !== undefined ? <span className="tabular-nums opacity-90">({formatInt(count)})</span> : null}
    </>
  );
  if ("pressed" in props)
    return (
      <button
        type="button"
        aria-pressed={on}
        onClick={props.onClick}
        title={title}
        data-testid={testId}
        className={look}
      >
        {content}
      </button>
    );
  return (
    <label
      title={title}
      data-testid={testId}
      className={`${look} cursor-pointer has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-blue-600`}
    >
      <input type="checkbox" className="sr-only" checked={on} onChange={props.onChange} />
      {content}
    </label>
  );
}

function SetFilterChip({ name, children, onRemove, removeLabel, testId = "active-filter" }: Removable) {
  return (
    <span
      className="inline-flex max-w-full items-center gap-1 rounded-2xl border border-blue-700 bg-blue-50 py-0.5 pr-0.5 pl-2.5 text-xs text-blue-950 dark:border-blue-300 dark:bg-blue-950 dark:text-blue-100"
      data-testid={testId}
    >
      <span className="min-w-0 [overflow-wrap:anywhere]">
        <span className="font-medium">{name}:</span> {children}
      </span>
      <button
        type="button"
        onClick={onRemove}
        aria-label={removeLabel ?? `Remove the filter ${name}: ${typeof children === "string" ? children : ""}`.trim()}
        title="Remove this filter"
        className="inline-flex h-6 w-6 shrink-0 items-center justify-center rounded-full hover:bg-blue-200 dark:hover:bg-blue-800"
      >
        <span aria-hidden="true">×</span>
      </button>
    </span>
  );
}
