"use client";
import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { ACTIVITY_TARGET_TYPES, INITIATOR_TYPES } from "@/lib/domain/enums";
import { fromLocalInput, toLocalInput } from "@/lib/client/format";
import { INITIATOR_LABELS, TARGET_TYPE_LABELS } from "@/lib/client/labels";
import {
  CHOICE_FILTERS,
  CHOICE_KEYS,
  activityList,
  includesSteps,
  listProblems,
  MAX_SEARCH_LENGTH,
  RANGE_LABELS,
  type ActivityListPatch,
  type ActivityListState,
} from "@/lib/client/list-params";
import { queries } from "@/lib/client/resources";
import { useDebouncedInput } from "@/components/ui/useDebounced";
import { Button } from "@/components/ui/Button";
import { RemovableChip } from "@/components/ui/RemovableChip";

export const inputClass =
  "h-9 rounded-md border border-slate-400 bg-white px-2 text-sm text-slate-900 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100";
const labelClass = "mb-1 block text-xs font-medium text-slate-700 dark:text-slate-300";
const errorClass = "mt-1 text-xs font-medium text-red-800 dark:text-red-300";

function Field({
  id,
  label,
  children,
  className = "",
}: {
  id: string;
  label: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {children}
    </div>
  );
}

/** A group of checkbox chips (any of): status, run type. */
function ChipGroup<T extends string>({
  legend,
  values,
  selected,
  labels,
  onChange,
}: {
  legend: string;
  values: readonly T[];
  selected: readonly T[];
  labels: Record<T, string>;
  onChange: (next: T[]) => void;
}) {
  return (
    <fieldset className="flex flex-wrap items-center gap-1.5">
      <legend className="sr-only">{legend}</legend>
      <span aria-hidden="true" className="mr-1 w-16 text-xs font-medium text-slate-700 dark:text-slate-300">
        {legend}
      </span>
      {values.map((v) => {
        const on = selected.includes(v);
        return (
          <label
            key={v}
            className={
              "inline-flex cursor-pointer items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-blue-600 " +
              (on
                ? "border-blue-700 bg-blue-700 text-white dark:border-blue-300 dark:bg-blue-300 dark:text-slate-950"
                : "border-slate-400 bg-white text-slate-800 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800")
            }
          >
            <input
              type="checkbox"
              className="sr-only"
              checked={on}
              onChange={() => onChange(values.filter((x) => (x === v ? !on : selected.includes(x))))}
            />
            {labels[v]}
          </label>
        );
      })}
    </fieldset>
  );
}

/** The filters behind "More filters", each set value as a removable chip while the panel is closed. */
function HiddenFilterChips({
  state,
  onChange,
}: {
  state: ActivityListState;
  onChange: (patch: ActivityListPatch) => void;
}) {
  const chips: { key: string; name: string; value: string; patch: ActivityListPatch }[] = [];
  for (const k of CHOICE_KEYS) {
    const f = CHOICE_FILTERS[k];
    const labels = f.labels as Record<string, string>;
    for (const v of state[k] as readonly string[]) {
      const rest = (state[k] as readonly string[]).filter((x) => x !== v);
      chips.push({ key: `${k}:${v}`, name: f.legend, value: labels[v], patch: { [k]: rest.length ? rest : null } });
    }
  }
  for (const t of state.targetType) {
    const rest = state.targetType.filter((x) => x !== t);
    chips.push({
      key: `t:${t}`,
      name: "Target type",
      value: TARGET_TYPE_LABELS[t],
      patch: { targetType: rest.length ? rest : null },
    });
  }
  if (state.initiatorType)
    chips.push({
      key: "it",
      name: "Initiated by",
      value: INITIATOR_LABELS[state.initiatorType],
      patch: { initiatorType: null },
    });
  if (state.initiatorName)
    chips.push({ key: "in", name: "Initiator", value: state.initiatorName, patch: { initiatorName: null } });
  if (!activityList.isImplied(state, "topLevelOnly"))
    chips.push({
      key: "steps",
      name: "Schedule steps",
      value: state.topLevelOnly ? "hidden" : "included",
      patch: { topLevelOnly: null },
    });
  if (!chips.length) return null;
  return (
    <div className="flex flex-wrap items-center gap-1.5" aria-label="Filters set under More filters" role="group">
      {chips.map((c) => (
        <RemovableChip key={c.key} name={c.name} value={c.value} onRemove={() => onChange(c.patch)} />
      ))}
    </div>
  );
}

/** The filters behind "More filters": open by themselves when one of them is set. */
const MORE_FILTERS = ["status", "runType", "targetType", "initiatorType", "initiatorName", "topLevelOnly"] as const;

/**
 * Every filter of the activity list, in the API's vocabulary; problems are said inline and nothing
 * is asked. The common ones on one line; the rest behind "More filters" (with how many are set).
 */
export function FilterBar({
  state,
  onChange,
}: {
  state: ActivityListState;
  onChange: (patch: ActivityListPatch, history?: "push" | "replace") => void;
}) {
  const systems = useQuery(queries.connectedSystems());
  const [search, setSearch] = useDebouncedInput(state.search, (v) => onChange({ search: v || null }, "replace"));
  const [initiator, setInitiator] = useDebouncedInput(state.initiatorName ?? "", (v) =>
    onChange({ initiatorName: v || null }, "replace"),
  );
  // the typed text is checked at once (the URL follows after a pause), with the same rule as the URL's
  const searchProblem = listProblems({ ...state, search }).find((p) => p.field === "search")?.message ?? null;
  const rangeProblems = listProblems(state).filter((p) => p.field === "range");
  const system = systems.data?.items.find((s) => s.id === state.connectedSystemId);
  const profiles = (system ? [system] : (systems.data?.items ?? [])).flatMap((s) =>
    s.runProfiles.map((rp) => ({ ...rp, systemName: s.name })),
  );
  const rangeValue = state.range ?? (state.from || state.to ? "custom" : "");
  const moreSet = activityList.countSet(state, MORE_FILTERS);
  const [moreChosen, setMoreChosen] = useState<boolean | null>(null);
  const moreOpen = moreChosen ?? moreSet > 0;

  return (
    <section
      aria-label="Filters"
      className="mb-3 space-y-3 rounded-lg border border-slate-200 bg-slate-50 p-3 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-[1_1_16rem]">
          <label htmlFor="f-search" className={labelClass}>
            Search
          </label>
          <input
            id="f-search"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Name, system, run profile, schedule"
            aria-invalid={searchProblem ? true : undefined}
            aria-describedby={searchProblem ? "f-search-error" : undefined}
            className={inputClass + " w-full"}
          />
          {searchProblem ? (
            <p id="f-search-error" role="alert" className={errorClass}>
              {searchProblem}
            </p>
          ) : null}
        </div>
        <Field id="f-system" label="Connected system">
          <select
            id="f-system"
            value={state.connectedSystemId ?? ""}
            onChange={(e) =>
              onChange({ connectedSystemId: e.target.value ? Number(e.target.value) : null, runProfileId: null })
            }
            className={inputClass + " w-48 max-w-full"}
          >
            <option value="">All systems</option>
            {systems.data?.items.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
            {state.connectedSystemId && !system ? (
              <option value={state.connectedSystemId}>System {state.connectedSystemId}</option>
            ) : null}
          </select>
        </Field>
        <Field id="f-run-profile" label="Run profile">
          <select
            id="f-run-profile"
            value={state.runProfileId ?? ""}
            onChange={(e) => onChange({ runProfileId: e.target.value ? Number(e.target.value) : null })}
            className={inputClass + " w-56 max-w-full"}
          >
            <option value="">All run profiles</option>
            {profiles.map((rp) => (
              <option key={rp.id} value={rp.id}>
                {system ? rp.name : `${rp.systemName}: ${rp.name}`}
              </option>
            ))}
            {state.runProfileId && !profiles.some((rp) => rp.id === state.runProfileId) ? (
              <option value={state.runProfileId}>Run profile {state.runProfileId}</option>
            ) : null}
          </select>
        </Field>
        <Field id="f-range" label="Time range">
          <select
            id="f-range"
            value={rangeValue}
            onChange={(e) => {
              const v = e.target.value as ActivityListState["range"] | "";
              onChange({ range: v || null, ...(v === "custom" ? {} : { from: null, to: null }) });
            }}
            className={inputClass}
          >
            <option value="">Any time</option>
            {(Object.keys(RANGE_LABELS) as (keyof typeof RANGE_LABELS)[]).map((r) => (
              <option key={r} value={r}>
                {RANGE_LABELS[r]}
              </option>
            ))}
          </select>
        </Field>
        {rangeValue === "custom" ? (
          <div className="flex flex-wrap items-start gap-3">
            <Field id="f-from" label="From">
              <input
                id="f-from"
                type="datetime-local"
                value={toLocalInput(state.from)}
                aria-invalid={rangeProblems.length ? true : undefined}
                aria-describedby={rangeProblems.length ? "f-range-error" : undefined}
                onChange={(e) => onChange({ range: "custom", from: fromLocalInput(e.target.value) }, "replace")}
                className={inputClass}
              />
            </Field>
            <Field id="f-to" label="To">
              <input
                id="f-to"
                type="datetime-local"
                value={toLocalInput(state.to)}
                aria-invalid={rangeProblems.length ? true : undefined}
                aria-describedby={rangeProblems.length ? "f-range-error" : undefined}
                onChange={(e) => onChange({ range: "custom", to: fromLocalInput(e.target.value) }, "replace")}
                className={inputClass}
              />
            </Field>
          </div>
        ) : null}
        <div className="ml-auto flex items-center gap-2">
          <Button
            aria-expanded={moreOpen}
            aria-controls="f-more"
            onClick={() => setMoreChosen(!moreOpen)}
            data-testid="more-filters"
          >
            {moreOpen ? "Fewer filters" : "More filters"}
            {moreSet ? ` (${moreSet})` : ""}
          </Button>
          {activityList.hasFilters(state) ? (
            <Button variant="ghost" onClick={() => onChange(activityList.clear)}>
              Clear filters
            </Button>
          ) : null}
        </div>
      </div>
      {rangeProblems.length ? (
        <p id="f-range-error" role="alert" className={errorClass}>
          {rangeProblems.map((p) => p.message).join(" ")}
        </p>
      ) : null}
      {!moreOpen && moreSet ? <HiddenFilterChips state={state} onChange={onChange} /> : null}
      {moreOpen ? (
        // Opened by a filter it holds, it stays open once used (clearing that filter must not take focus away).
        <div
          id="f-more"
          onFocus={() => setMoreChosen((chosen) => chosen ?? true)}
          onChange={() => setMoreChosen((chosen) => chosen ?? true)}
          className="space-y-3 border-t border-slate-200 pt-3 dark:border-slate-800"
        >
          <div className="flex flex-wrap items-end gap-3">
            <Field id="f-target" label="Target type">
              <select
                id="f-target"
                value={state.targetType.length === 1 ? state.targetType[0] : state.targetType.length ? "__many" : ""}
                onChange={(e) =>
                  onChange({
                    targetType: e.target.value ? [e.target.value as (typeof ACTIVITY_TARGET_TYPES)[number]] : null,
                  })
                }
                className={inputClass + " w-44 max-w-full"}
              >
                <option value="">All types</option>
                {state.targetType.length > 1 ? (
                  <option value="__many" disabled>
                    {state.targetType.map((t) => TARGET_TYPE_LABELS[t]).join(", ")}
                  </option>
                ) : null}
                {ACTIVITY_TARGET_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {TARGET_TYPE_LABELS[t]}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="f-initiator-type" label="Initiated by">
              <select
                id="f-initiator-type"
                value={state.initiatorType ?? ""}
                onChange={(e) =>
                  onChange({ initiatorType: (e.target.value || null) as ActivityListState["initiatorType"] })
                }
                className={inputClass}
              >
                <option value="">Anyone</option>
                {INITIATOR_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {INITIATOR_LABELS[t]}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="f-initiator" label="Initiator name">
              <input
                id="f-initiator"
                type="text"
                value={initiator}
                maxLength={MAX_SEARCH_LENGTH}
                onChange={(e) => setInitiator(e.target.value)}
                className={inputClass + " w-36"}
              />
            </Field>
            <label className="inline-flex h-9 items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={includesSteps(state)}
                onChange={(e) => onChange(activityList.choose(state, "topLevelOnly", !e.target.checked))}
                className="h-4 w-4 accent-blue-700"
              />
              Include schedule steps
            </label>
          </div>
          {CHOICE_KEYS.map((k) => (
            <ChipGroup<string>
              key={k}
              legend={CHOICE_FILTERS[k].legend}
              values={CHOICE_FILTERS[k].values}
              selected={state[k]}
              labels={CHOICE_FILTERS[k].labels}
              onChange={(next) => onChange({ [k]: next.length ? next : null })}
            />
          ))}
        </div>
      ) : null}
    </section>
  );
}
