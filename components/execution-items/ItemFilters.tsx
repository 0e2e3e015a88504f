"use client";
import type { ReactNode } from "react";
import type { ExecutionItemList } from "@/lib/api/items";
import { Chip } from "@/components/ui/Chip";
import { ChoiceChips } from "@/components/filters/ChoiceChips";
import { FilterBar } from "@/components/filters/FilterBar";
import { SearchField } from "@/components/filters/SearchField";
import { choiceKeys, offered } from "@/lib/client/lists/choices";
import { searchable } from "@/lib/client/lists/search";
import { ITEM_CHOICES, ITEM_FACETS, itemList, type ItemState, type ItemStatePatch } from "./item-list";

type Facets = ExecutionItemList["facets"];

/** "All items", "Any error", "No error": the error filter's three views besides its types. */
function ErrorViews({ state, facets, set }: { state: ItemState; facets?: Facets; set: (p: ItemStatePatch) => void }) {
  const counts = facets?.errorTypes ?? {};
  const failed = Object.entries(counts).reduce((sum, [k, v]) => (k === "none" ? sum : sum + v), 0);
  const only = (v: "any" | "none") => state.errorType.length === 1 && state.errorType[0] === v;
  /** "Any error" and "No error" pressed again go back to all items. */
  const view = (v: "any" | "none"): ItemStatePatch => ({ errorType: only(v) ? null : [v] });
  const views = [
    {
      label: "All items",
      id: "all",
      pressed: !state.errorType.length,
      patch: { errorType: null },
      n: failed + (counts.none ?? 0),
    },
    { label: "Any error", id: "any", pressed: only("any"), patch: view("any"), n: failed, danger: true },
    { label: "No error", id: "none", pressed: only("none"), patch: view("none"), n: counts.none ?? 0 },
  ];
  return views.map((v) => (
    <Chip
      key={v.id}
      pressed={v.pressed}
      onClick={() => set(v.patch)}
      testId={`chip-${v.id}`}
      tone={v.danger ? "danger" : "default"}
      count={facets ? v.n : undefined}
    >
      {v.label}
    </Chip>
  ));
}

/** The item grid's filters: its chip groups with the run's counts (the error filter first), and a search. */
export function ItemFilters({
  state,
  facets,
  onChange,
  actions,
}: {
  state: ItemState;
  facets: Facets | undefined;
  onChange: (patch: ItemStatePatch, history?: "push" | "replace") => void;
  actions?: ReactNode;
}) {
  const set = (patch: ItemStatePatch) => onChange({ ...patch, page: null });
  const groups = choiceKeys(ITEM_CHOICES).map((k) => {
    const facet = ITEM_FACETS[k];
    const counts = facet ? facets?.[facet] : undefined;
    const values = facet ? offered(ITEM_CHOICES[k], state[k], counts) : ITEM_CHOICES[k].values;
    const errors = k === "errorType";
    if (!values.length && !errors) return null;
    return (
      <ChoiceChips
        key={k}
        choice={ITEM_CHOICES[k]}
        selected={state[k]}
        values={values}
        counts={facet && facets ? (counts ?? {}) : undefined}
        before={errors ? <ErrorViews state={state} facets={facets} set={set} /> : undefined}
        onChange={(next) => set({ [k]: next.length ? next : null } as ItemStatePatch)}
      />
    );
  });
  return (
    <FilterBar
      label="Item filters"
      idPrefix="i"
      testId="item-filters"
      onClear={itemList.hasFilters(state) ? () => set(itemList.clear) : null}
      actions={actions}
      below={groups}
    >
      <SearchField
        id="i-search"
        label="Search items by name or external id"
        inline
        value={state.search}
        onCommit={(v) => searchable(v) && onChange({ search: v || null, page: null }, "replace")}
        placeholder="Search name or external id"
        className="w-full sm:w-64"
        testId="item-search"
      />
    </FilterBar>
  );
}
