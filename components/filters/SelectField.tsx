import { Field, INPUT_CLASS, SMALL_SCREEN_PAIR } from "./Field";

export interface Option {
  value: string;
  label: string;
}

const SEVERAL = "__several";

/**
 * A select over one filter: one value, or none (`allLabel`). A filter that takes several values
 * (a link may hold more than one) shows them together until one is chosen; a value the options do
 * not know (a deleted system) is still shown, as `unknownLabel` says it.
 */
export function SelectField({
  id,
  label,
  value,
  options,
  onChange,
  allLabel,
  unknownLabel = (v) => v,
  inline = false,
  width = "sm:w-48",
}: {
  id: string;
  label: string;
  value: string | readonly string[] | null;
  options: readonly Option[];
  onChange: (value: string | null) => void;
  /** The choice of no value (no such choice when not given). */
  allLabel?: string;
  unknownLabel?: (value: string) => string;
  inline?: boolean;
  /** From the small breakpoint up (below it, two selects share a line). */
  width?: string;
}) {
  const values = value === null ? [] : typeof value === "string" ? (value ? [value] : []) : value;
  const labelOf = (v: string) => options.find((o) => o.value === v)?.label ?? unknownLabel(v);
  const unknown = values.length === 1 && !options.some((o) => o.value === values[0]);
  return (
    <Field id={id} label={label} inline={inline} className={SMALL_SCREEN_PAIR}>
      <select
        id={id}
        value={values.length > 1 ? SEVERAL : (values[0] ?? "")}
        onChange={(e) => onChange(e.target.value && e.target.value !== SEVERAL ? e.target.value : null)}
        className={`${INPUT_CLASS} w-full ${width}`}
      >
        {allLabel !== undefined ? <option value="">{allLabel}</option> : null}
        {values.length > 1 ? (
          <option value={SEVERAL} disabled>
            {values.map(labelOf).join(", ")}
          </option>
        ) : null}
        {unknown ? <option value={values[0]}>{labelOf(values[0])}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
