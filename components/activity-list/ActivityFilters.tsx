"use client";
import { useQuery } from "@tanstack/react-query";
import { INITIATOR_TYPES } from "@/lib/domain/enums";
import { INITIATOR_LABELS } from "@/lib/client/labels";
import {
  CHOICE_FILTERS,
  TARGET_TYPE_FILTER,
  TIME_RANGES,
  activityList,
  includesSteps,
  listProblems,
  RANGE_LABELS,
  type ActivityListPatch,
  type ActivityListState,
} from "@/lib/client/list-params";
import { choiceChips, choiceKeys, type SetFilter } from "@/lib/client/lists/choices";
import { MAX_SEARCH_LENGTH } from "@/lib/client/lists/search";
import { queries } from "@/lib/client/resources";
import { useDebouncedInput } from "@/components/ui/useDebounced";
import { ChoiceChips } from "@/components/filters/ChoiceChips";
import { Field, INPUT_CLASS, PROBLEM_CLASS } from "@/components/filters/Field";
import { FilterBar, type ActiveFilter } from "@/components/filters/FilterBar";
import { SearchField } from "@/components/filters/SearchField";
import { SelectField } from "@/components/filters/SelectField";
import { TimeRangeField } from "@/components/filters/TimeRangeField";

type OnChange = (patch: ActivityListPatch, history?: "push" | "replace") => void;

const TARGET = TARGET_TYPE_FILTER.targetType;
/** The filters behind "More filters". */
const MORE = [...choiceKeys(CHOICE_FILTERS), "targetType", "initiatorType", "initiatorName", "topLevelOnly"] as const;

/** The filters behind "More filters" that are set, as removable chips. */
function moreChips(state: ActivityListState, onChange: OnChange): ActiveFilter[] {
  const set: SetFilter<ActivityListPatch>[] = choiceChips({ ...CHOICE_FILTERS, ...TARGET_TYPE_FILTER }, state).map(
    (c) => ({ ...c, patch: c.patch as ActivityListPatch }),
  );
  if (state.initiatorType)
    set.push({
      key: "it",
      name: "Initiated by",
      value: INITIATOR_LABELS[state.initiatorType],
      patch: { initiatorType: null },
    });
  if (state.initiatorName)
    set.push({ key: "in", name: "Initiator", value: state.initiatorName, patch: { initiatorName: null } });
  if (!activityList.isImplied(state, "topLevelOnly"))
    set.push({
      key: "steps",
      name: "Schedule steps",
      value: state.topLevelOnly ? "hidden" : "included",
      patch: { topLevelOnly: null },
    });
  return set.map(({ patch, ...c }) => ({ ...c, onRemove: () => onChange(patch) }));
}

/** Target type, initiator, steps inside schedules and the chip groups: the filters behind "More filters". */
function MoreActivityFilters({ state, onChange }: { state: ActivityListState; onChange: OnChange }) {
  const [initiator, setInitiator] = useDebouncedInput(state.initiatorName ?? "", (v) =>
    onChange({ initiatorName: v || null }, "replace"),
  );
  return (
    <>
      <div className="flex flex-wrap items-end gap-2">
        <SelectField
          id="f-target"
          label={TARGET.legend}
          allLabel="All types"
          value={state.targetType}
          options={TARGET.values.map((t) => ({ value: t, label: TARGET.label!(t) }))}
          onChange={(v) => onChange({ targetType: v ? [v as ActivityListState["targetType"][number]] : null })}
          width="sm:w-44"
        />
        <SelectField
          id="f-initiator-type"
          label="Initiated by"
          allLabel="Anyone"
          value={state.initiatorType}
          options={INITIATOR_TYPES.map((t) => ({ value: t, label: INITIATOR_LABELS[t] }))}
          onChange={(v) => onChange({ initiatorType: v as ActivityListState["initiatorType"] })}
          width="sm:w-36"
        />
        <Field id="f-initiator" label="Initiator name">
          <input
            id="f-initiator"
            type="text"
            value={initiator}
            maxLength={MAX_SEARCH_LENGTH}
            onChange={(e) => setInitiator(e.target.value)}
            className={`${INPUT_CLASS} w-36`}
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
      {choiceKeys(CHOICE_FILTERS).map((k) => (
        <ChoiceChips
          key={k}
          choice={CHOICE_FILTERS[k]}
          selected={state[k]}
          onChange={(next) => onChange({ [k]: next.length ? next : null } as ActivityListPatch)}
        />
      ))}
    </>
  );
}

/**
 * Every filter of the activity list, in the API's vocabulary; problems are said inline and nothing
 * is asked. Search, connected system, run profile and time range on one line; the rest behind "More filters".
 */
export function ActivityFilters({ state, onChange }: { state: ActivityListState; onChange: OnChange }) {
  const systems = useQuery(queries.connectedSystems());
  const rangeProblems = listProblems(state).filter((p) => p.field === "range");
  const system = systems.data?.items.find((s) => s.id === state.connectedSystemId);
  const profiles = (system ? [system] : (systems.data?.items ?? [])).flatMap((s) =>
    s.runProfiles.map((rp) => ({ value: String(rp.id), label: system ? rp.name : `${s.name}: ${rp.name}` })),
  );
  const id = (n: number | null) => (n === null ? null : String(n));
  return (
    <FilterBar
      idPrefix="f"
      more={<MoreActivityFilters state={state} onChange={onChange} />}
      moreSet={activityList.countSet(state, MORE)}
      moreChips={moreChips(state, onChange)}
      onClear={activityList.hasFilters(state) ? () => onChange(activityList.clear) : null}
      below={
        rangeProblems.length ? (
          <p id="f-range-error" role="alert" className={PROBLEM_CLASS}>
            {rangeProblems.map((p) => p.message).join(" ")}
          </p>
        ) : null
      }
    >
      <SearchField
        id="f-search"
        label="Search"
        inline
        value={state.search}
        onCommit={(v) => onChange({ search: v || null }, "replace")}
        placeholder="Search name, system, profile, schedule"
      />
      <SelectField
        id="f-system"
        label="Connected system"
        inline
        allLabel="All systems"
        value={id(state.connectedSystemId)}
        options={(systems.data?.items ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
        unknownLabel={(v) => `System ${v}`}
        onChange={(v) => onChange({ connectedSystemId: v ? Number(v) : null, runProfileId: null })}
      />
      <SelectField
        id="f-run-profile"
        label="Run profile"
        inline
        allLabel="All run profiles"
        value={id(state.runProfileId)}
        options={profiles}
        unknownLabel={(v) => `Run profile ${v}`}
        onChange={(v) => onChange({ runProfileId: v ? Number(v) : null })}
        width="sm:w-56"
      />
      <TimeRangeField
        idPrefix="f"
        label="Time range"
        inline
        state={state}
        presets={TIME_RANGES}
        labels={RANGE_LABELS}
        onChange={(patch, history) => onChange(patch as ActivityListPatch, history)}
        problemId={rangeProblems.length ? "f-range-error" : undefined}
      />
    </FilterBar>
  );
}
