"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Button } from "@/components/ui/Button";
import { Chip } from "@/components/ui/Chip";
import { useDebouncedInput } from "@/components/ui/useDebounced";
import { errorTypeHelp, errorTypeLabel } from "@/lib/client/error-types";
import { fromLocalInput, toLocalInput } from "@/lib/client/format";
import { toggled } from "@/lib/client/lists/define-list";
import { queries } from "@/lib/client/resources";
import { ERROR_TYPES, type ErrorType } from "@/lib/domain/enums";
import { NO_TEMPLATE } from "@/lib/domain/messages";
import { RANGE_LABELS, RANGE_MS, RANGE_PRESETS, type RangePreset } from "./failure-params";
import { FILTERS_CLASS, INPUT_CLASS } from "./styles";
import { TemplateText } from "./TemplateText";
import type { FailureUrl } from "./useFailureUrl";

const inputClass = INPUT_CLASS;
const labelClass = "mb-1 block text-xs font-medium text-slate-700 dark:text-slate-300";

const STATE_CHOICES = [
  { value: "Open", label: "Open (still failing)" },
  { value: "Recovered", label: "Recovered" },
  { value: "Open,Recovered", label: "Open and recovered" },
] as const;

/** A select over a list filter of the URL: one value, or "several" when the link holds more. */
function ListSelect({
  id,
  label,
  allLabel,
  values,
  options,
  onChange,
}: {
  id: string;
  label: string;
  allLabel: string;
  values: string[];
  options: { value: string; label: string }[];
  onChange: (v: string | null) => void;
}) {
  const several = values.length > 1;
  const value = several ? "__several" : (values[0] ?? "");
  const known = new Set(options.map((o) => o.value));
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value && e.target.value !== "__several" ? e.target.value : null)}
        className={`${inputClass} w-48 max-w-full`}
      >
        <option value="">{allLabel}</option>
        {several ? <option value="__several">{values.length} chosen in the link</option> : null}
        {values.length === 1 && !known.has(values[0]) ? <option value={values[0]}>{values[0]}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** "Failed in run <name>": the run filter a run's page links with, named, and removable. */
function RunFilter({ id, onRemove }: { id: string; onRemove: () => void }) {
  const run = useQuery(queries.activity(id));
  return (
    <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="run-filter">
      <span className="font-medium">Failed in the run</span>
      <Link href={`/activities/${id}`} className="break-all text-blue-800 underline dark:text-blue-300">
        {run.data?.name ?? (run.isError ? `${id.slice(0, 8)}… (not found)` : `${id.slice(0, 8)}…`)}
      </Link>
      <Button onClick={onRemove} aria-label={`Remove the run filter ${run.data?.name ?? id}`}>
        Remove
      </Button>
    </p>
  );
}

/** "Latest message like <template>": the template filter a group's message links set, removable. */
function TemplateFilter({ template, onRemove }: { template: string; onRemove: () => void }) {
  return (
    <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="template-filter">
      <span className="font-medium">Latest message</span>
      <span className="min-w-0 max-w-full rounded-md bg-white px-2 py-0.5 ring-1 ring-slate-300 dark:bg-slate-950 dark:ring-slate-700">
        <TemplateText template={template === NO_TEMPLATE ? null : template} />
      </span>
      <Button onClick={onRemove} aria-label="Remove the message filter">
        Remove
      </Button>
    </p>
  );
}

/** The filters of the Failures page; every change is written to the URL. */
export function FailureFilters({ state }: { state: FailureUrl }) {
  const { url, check, setFilters, clearFilters, hasFilters } = state;
  const systems = useQuery(queries.connectedSystems());
  const [search, setSearch] = useDebouncedInput(url.search, (v) => setFilters({ search: v.trim() || null }, "replace"));

  const systemOptions = useMemo(
    () => (systems.data?.items ?? []).map((s) => ({ value: String(s.id), label: s.name })),
    [systems.data],
  );
  const objectTypeOptions = useMemo(() => {
    const chosen = url.connectedSystemId;
    const types = new Set<string>();
    for (const s of systems.data?.items ?? [])
      if (!chosen.length || chosen.includes(s.id)) s.objectTypes.forEach((t) => types.add(t));
    return [...types].sort().map((t) => ({ value: t, label: t }));
  }, [systems.data, url.connectedSystemId]);

  const toggleErrorType = (t: ErrorType) => {
    const next = toggled(url.errorType, t);
    setFilters({ errorType: next.length ? ERROR_TYPES.filter((x) => next.includes(x)) : null });
  };
  const stateValue = url.state.length ? [...url.state].sort().join(",") : "Open";
  const preset = check.preset;

  return (
    <section aria-label="Filters" className={FILTERS_CLASS}>
      {url.activityId.map((id) => (
        <RunFilter
          key={id}
          id={id}
          onRemove={() => {
            const rest = url.activityId.filter((x) => x !== id);
            setFilters({ activityId: rest.length ? rest : null });
          }}
        />
      ))}
      {url.template ? <TemplateFilter template={url.template} onRemove={() => setFilters({ template: null })} /> : null}
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="fl-range" className={labelClass}>
            Time range (last seen failing)
          </label>
          <select
            id="fl-range"
            value={preset}
            onChange={(e) => {
              const next = e.target.value as RangePreset;
              // a custom range starts as the preset it replaces, so the page keeps showing the same rows
              if (next === "custom" && preset !== "custom") {
                const now = Date.now();
                const from = new Date(now - RANGE_MS[preset]).toISOString();
                setFilters({ range: "custom", from, to: new Date(now).toISOString() });
              } else if (next === "custom") setFilters({ range: "custom" });
              else setFilters({ range: next === "7d" ? null : next, from: null, to: null });
            }}
            className={inputClass}
          >
            {RANGE_PRESETS.map((r) => (
              <option key={r} value={r}>
                {RANGE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        {preset === "custom" ? (
          <>
            <div>
              <label htmlFor="fl-from" className={labelClass}>
                From
              </label>
              <input
                id="fl-from"
                type="datetime-local"
                value={toLocalInput(url.from)}
                onChange={(e) => setFilters({ range: "custom", from: fromLocalInput(e.target.value) }, "replace")}
                aria-invalid={!check.ok || undefined}
                aria-describedby={!check.ok ? "fl-range-problem" : undefined}
                className={inputClass}
              />
            </div>
            <div>
              <label htmlFor="fl-to" className={labelClass}>
                To
              </label>
              <input
                id="fl-to"
                type="datetime-local"
                value={toLocalInput(url.to)}
                onChange={(e) => setFilters({ range: "custom", to: fromLocalInput(e.target.value) }, "replace")}
                aria-invalid={!check.ok || undefined}
                aria-describedby={!check.ok ? "fl-range-problem" : undefined}
                className={inputClass}
              />
            </div>
          </>
        ) : null}
        <div>
          <label htmlFor="fl-state" className={labelClass}>
            State
          </label>
          <select
            id="fl-state"
            value={stateValue}
            onChange={(e) =>
              setFilters({
                state: e.target.value === "Open" ? null : (e.target.value.split(",") as ("Open" | "Recovered")[]),
              })
            }
            className={inputClass}
          >
            {STATE_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <ListSelect
          id="fl-system"
          label="Connected system"
          allLabel="All systems"
          values={url.connectedSystemId.map(String)}
          options={systemOptions}
          onChange={(v) => setFilters({ connectedSystemId: v ? [Number(v)] : null })}
        />
        <ListSelect
          id="fl-object-type"
          label="Object type"
          allLabel="All object types"
          values={url.objectType}
          options={objectTypeOptions}
          onChange={(v) => setFilters({ objectType: v ? [v] : null })}
        />
        <div className="min-w-48 flex-1">
          <label htmlFor="fl-search" className={labelClass}>
            Object
          </label>
          <input
            id="fl-search"
            type="search"
            value={search}
            maxLength={200}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Part of the name or external id"
            className={`${inputClass} w-full`}
          />
        </div>
        {hasFilters ? (
          <Button onClick={clearFilters} data-testid="clear-filters">
            Clear filters
          </Button>
        ) : null}
      </div>
      <fieldset>
        <legend className={labelClass}>Error type</legend>
        <div className="flex flex-wrap gap-2">
          {ERROR_TYPES.map((t) => (
            <Chip
              key={t}
              tone="danger"
              pressed={url.errorType.includes(t)}
              onClick={() => toggleErrorType(t)}
              title={errorTypeHelp(t).meaning}
              testId={`error-type-${t}`}
            >
              {errorTypeLabel(t)}
            </Chip>
          ))}
        </div>
      </fieldset>
    </section>
  );
}
