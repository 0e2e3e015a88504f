"use client";
import { useId } from "react";
import type { ExecutionItemList } from "@/lib/api/items";
import { ERROR_TYPE_INFO, ERROR_TYPES, FAILURE_RECURRENCES, OBJECT_CHANGE_TYPES } from "@/lib/domain/enums";
import { changeTypeLabel, errorTypeLabel } from "@/lib/client/error-types";
import { Chip } from "@/components/ui/Chip";
import { Button } from "@/components/ui/Button";
import { useDebouncedInput } from "@/components/ui/useDebounced";
import { toggled } from "@/lib/client/lists/define-list";
import { MAX_SEARCH, itemList, type ItemState, type ItemStatePatch } from "./item-list";

type Facets = ExecutionItemList["facets"];

function Group({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div role="group" aria-label={label} className="flex flex-wrap items-center gap-1.5">
      <span className="mr-1 text-xs font-semibold text-slate-700 dark:text-slate-300">{label}</span>
      {children}
    </div>
  );
}

/** Error type (plain words, with counts), any/none, New/Recurring, change type, object type, and a search. */
export function ItemFilters({
  state,
  facets,
  onChange,
}: {
  state: ItemState;
  facets: Facets | undefined;
  onChange: (patch: ItemStatePatch, history?: "push" | "replace") => void;
}) {
  const searchId = useId();
  const [search, setSearch] = useDebouncedInput(state.search, (v) => {
    if (v.trim().length <= MAX_SEARCH) onChange({ search: v || null, page: null }, "replace");
  });
  const tooLong = search.trim().length > MAX_SEARCH;

  const set = (patch: ItemStatePatch) => onChange({ ...patch, page: null });
  const errorCounts = facets?.errorTypes ?? {};
  const anyCount = Object.entries(errorCounts)
    .filter(([k]) => k !== "none")
    .reduce((s, [, v]) => s + v, 0);
  const errorTypes = ERROR_TYPES.filter((t) => (errorCounts[t] ?? 0) > 0 || state.errorType.includes(t));
  const specific = state.errorType.filter((t) => t !== "any" && t !== "none");
  const only = (v: "any" | "none") => state.errorType.length === 1 && state.errorType[0] === v;
  const recurrenceTotal = FAILURE_RECURRENCES.reduce((s, r) => s + (facets?.recurrence[r] ?? 0), 0);
  const changeTypes = OBJECT_CHANGE_TYPES.filter(
    (c) => (facets?.changeTypes[c] ?? 0) > 0 || state.changeType.includes(c),
  );
  const objectTypes = Object.keys(facets?.objectTypes ?? {})
    .concat(state.objectType)
    .filter((v, i, a) => a.indexOf(v) === i)
    .sort();

  return (
    <div className="space-y-2" data-testid="item-filters">
      <Group label="Errors">
        <Chip
          pressed={state.errorType.length === 0}
          onClick={() => set({ errorType: null })}
          testId="chip-all"
          count={facets ? anyCount + (errorCounts.none ?? 0) : undefined}
        >
          All items
        </Chip>
        <Chip
          pressed={only("any")}
          onClick={() => set({ errorType: only("any") ? null : ["any"] })}
          testId="chip-any"
          tone="danger"
          count={facets ? anyCount : undefined}
        >
          Any error
        </Chip>
        <Chip
          pressed={only("none")}
          onClick={() => set({ errorType: only("none") ? null : ["none"] })}
          testId="chip-none"
          count={facets ? (errorCounts.none ?? 0) : undefined}
        >
          No error
        </Chip>
        {errorTypes.map((t) => (
          <Chip
            key={t}
            pressed={specific.includes(t)}
            onClick={() => set({ errorType: toggled(specific, t) })}
            testId={`chip-${t}`}
            tone="danger"
            title={ERROR_TYPE_INFO[t].meaning}
            count={errorCounts[t] ?? 0}
          >
            {errorTypeLabel(t)}
          </Chip>
        ))}
      </Group>
      <div className="flex flex-wrap items-start gap-x-6 gap-y-2">
        {recurrenceTotal > 0 || state.recurrence.length ? (
          <Group label="Failure">
            {FAILURE_RECURRENCES.map((r) => (
              <Chip
                key={r}
                pressed={state.recurrence.includes(r)}
                onClick={() => set({ recurrence: toggled(state.recurrence, r) })}
                testId={`chip-recurrence-${r}`}
                title={
                  r === "New"
                    ? "Failed in this run but not in the previous run of the run profile"
                    : "Failed in the previous run of the run profile too"
                }
                count={facets?.recurrence[r] ?? 0}
              >
                {r}
              </Chip>
            ))}
          </Group>
        ) : null}
        {changeTypes.length ? (
          <Group label="Change">
            {changeTypes.map((c) => (
              <Chip
                key={c}
                pressed={state.changeType.includes(c)}
                onClick={() => set({ changeType: toggled(state.changeType, c) })}
                testId={`chip-change-${c}`}
                count={facets?.changeTypes[c] ?? 0}
              >
                {changeTypeLabel(c)}
              </Chip>
            ))}
          </Group>
        ) : null}
        {objectTypes.length > 1 || state.objectType.length ? (
          <Group label="Object type">
            {objectTypes.map((o) => (
              <Chip
                key={o}
                pressed={state.objectType.includes(o)}
                onClick={() => set({ objectType: toggled(state.objectType, o) })}
                testId={`chip-object-${o}`}
                count={facets?.objectTypes[o] ?? 0}
              >
                {o}
              </Chip>
            ))}
          </Group>
        ) : null}
        <div className="flex flex-wrap items-start gap-2">
          <div>
            <label htmlFor={searchId} className="sr-only">
              Search items by name or external id
            </label>
            <input
              id={searchId}
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder="Search name or external id"
              aria-invalid={tooLong || undefined}
              aria-describedby={tooLong ? `${searchId}-error` : undefined}
              className="h-8 w-64 max-w-full rounded-md border border-slate-400 bg-white px-2 text-sm dark:border-slate-500 dark:bg-slate-900"
              data-testid="item-search"
            />
            {tooLong ? (
              <p id={`${searchId}-error`} className="mt-1 text-xs text-red-800 dark:text-red-300">
                Search at most {MAX_SEARCH} characters ({search.trim().length} typed).
              </p>
            ) : null}
          </div>
          {itemList.hasFilters(state) ? (
            <Button
              size="sm"
              onClick={() => {
                setSearch("");
                set(itemList.clear);
              }}
            >
              Clear filters
            </Button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
