"use client";
import Link from "next/link";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { ChoiceChips } from "@/components/filters/ChoiceChips";
import { FilterBar, type ActiveFilter } from "@/components/filters/FilterBar";
import { SearchField } from "@/components/filters/SearchField";
import { SelectField } from "@/components/filters/SelectField";
import { TimeRangeField } from "@/components/filters/TimeRangeField";
import { choiceKeys } from "@/lib/client/lists/choices";
import { searchable } from "@/lib/client/lists/search";
import { queries } from "@/lib/client/resources";
import { NO_TEMPLATE } from "@/lib/domain/messages";
import { FAILURE_CHOICES, RANGE_LABELS, RANGE_MS, type FailureUrlPatch, type FailureUrlState } from "./failure-params";
import { TemplateText } from "./TemplateText";
import type { FailureUrl } from "./useFailureUrl";

const STATE_CHOICES = [
  { value: "Open", label: "Open (still failing)" },
  { value: "Recovered", label: "Recovered" },
  { value: "Open,Recovered", label: "Open and recovered" },
];

/** The filters a link sets that have no control: the runs the objects failed in (named, linked), the message. */
function useLinkFilters({ url, setFilters }: FailureUrl): ActiveFilter[] {
  const runs = useQueries({ queries: url.activityId.map((id) => queries.activity(id)) });
  const chips: ActiveFilter[] = url.activityId.map((id, i) => {
    const run = runs[i];
    const name = run?.data?.name ?? (run?.isError ? `${id.slice(0, 8)}… (not found)` : `${id.slice(0, 8)}…`);
    const rest = url.activityId.filter((x) => x !== id);
    return {
      key: `run:${id}`,
      name: "Failed in the run",
      value: (
        <Link href={`/activities/${id}`} className="break-all text-blue-800 underline dark:text-blue-300">
          {name}
        </Link>
      ),
      onRemove: () => setFilters({ activityId: rest.length ? rest : null }),
      removeLabel: `Remove the run filter ${name}`,
      testId: "run-filter",
    };
  });
  if (url.template)
    chips.push({
      key: "template",
      name: "Latest message",
      value: <TemplateText template={url.template === NO_TEMPLATE ? null : url.template} />,
      onRemove: () => setFilters({ template: null }),
      removeLabel: "Remove the message filter",
      testId: "template-filter",
    });
  return chips;
}

/** The filters of the Failures page; every change is written to the URL. */
export function FailureFilters({ state }: { state: FailureUrl }) {
  const { url, check, setFilters, clearFilters, hasFilters } = state;
  const systems = useQuery(queries.connectedSystems());
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
  const linkFilters = useLinkFilters(state);

  return (
    <FilterBar
      idPrefix="fl"
      chips={linkFilters}
      onClear={hasFilters ? clearFilters : null}
      below={choiceKeys(FAILURE_CHOICES).map((k) => (
        <ChoiceChips
          key={k}
          choice={FAILURE_CHOICES[k]}
          selected={url[k]}
          onChange={(next) => setFilters({ [k]: next.length ? next : null } as FailureUrlPatch)}
        />
      ))}
    >
      <TimeRangeField
        idPrefix="fl"
        label="Time range (last seen failing)"
        state={{ range: url.range, from: url.from || null, to: url.to || null }}
        presets={RANGE_MS}
        labels={RANGE_LABELS}
        fallback="7d"
        onChange={(patch, history) => setFilters(patch as FailureUrlPatch, history)}
        problemId={check.ok ? undefined : "fl-range-problem"}
      />
      <SelectField
        id="fl-state"
        label="State"
        value={url.state.length ? [...url.state].sort().join(",") : "Open"}
        options={STATE_CHOICES}
        onChange={(v) => setFilters({ state: !v || v === "Open" ? null : (v.split(",") as FailureUrlState["state"]) })}
      />
      <SelectField
        id="fl-system"
        label="Connected system"
        allLabel="All systems"
        value={url.connectedSystemId.map(String)}
        options={systemOptions}
        onChange={(v) => setFilters({ connectedSystemId: v ? [Number(v)] : null })}
      />
      <SelectField
        id="fl-object-type"
        label="Object type"
        allLabel="All object types"
        value={url.objectType}
        options={objectTypeOptions}
        onChange={(v) => setFilters({ objectType: v ? [v] : null })}
      />
      <SearchField
        id="fl-search"
        label="Object"
        value={url.search}
        onCommit={(v) => searchable(v) && setFilters({ search: v.trim() || null }, "replace")}
        placeholder="Part of the name or external id"
        className="min-w-48 flex-1"
      />
    </FilterBar>
  );
}
