"use client";
import { ACTIVITY_STATUSES, ACTIVITY_TARGET_TYPES, INITIATOR_TYPES, type ActivityStatus } from "@/lib/domain/enums";
import { INITIATOR_LABELS, STATUS_LABELS, TARGET_TYPE_LABELS } from "@/lib/client/labels";
import { hasActiveFilters, type ListState } from "@/lib/client/list-params";
import type { ParamPatch } from "@/lib/client/url-state";
import { useConnectedSystems } from "@/lib/client/queries";
import { useDebouncedInput } from "@/components/ui/useDebounced";

export const inputClass =
  "h-9 rounded-md border border-slate-400 bg-white px-2 text-sm text-slate-900 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100";
const labelClass = "mb-1 block text-xs font-medium text-slate-700 dark:text-slate-300";

/** ISO → value for <input type="datetime-local"> in the viewer's zone. */
function toLocalInput(iso: string): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : "");

export function FilterBar({
  state,
  onChange,
}: {
  state: ListState;
  onChange: (patch: ParamPatch, mode?: "push" | "replace") => void;
}) {
  const systems = useConnectedSystems();
  // every filter change goes back to page 1
  const set = (patch: ParamPatch, mode: "push" | "replace" = "push") => onChange({ ...patch, page: null }, mode);
  const [q, setQ] = useDebouncedInput(state.q, (v) => set({ q: v }, "replace"));
  const [initiator, setInitiator] = useDebouncedInput(state.initiator, (v) => set({ initiator: v }, "replace"));

  const toggleStatus = (s: ActivityStatus) => {
    const next = state.status.includes(s) ? state.status.filter((x) => x !== s) : [...state.status, s];
    set({ status: ACTIVITY_STATUSES.filter((x) => next.includes(x)) });
  };

  return (
    <section
      aria-label="Filters"
      className="mb-4 space-y-3 rounded-lg border border-slate-200 bg-slate-50 p-3 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <label htmlFor="f-search" className={labelClass}>
            Search
          </label>
          <input
            id="f-search"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="Name, system, run profile, schedule"
            className={inputClass + " w-full"}
          />
        </div>
        <div>
          <label htmlFor="f-target" className={labelClass}>
            Target type
          </label>
          <select
            id="f-target"
            value={state.targetType}
            onChange={(e) => set({ targetType: e.target.value })}
            className={inputClass}
          >
            <option value="">All types</option>
            {ACTIVITY_TARGET_TYPES.map((t) => (
              <option key={t} value={t}>
                {TARGET_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-system" className={labelClass}>
            Connected system
          </label>
          <select
            id="f-system"
            value={state.cs}
            onChange={(e) => set({ cs: e.target.value })}
            className={inputClass + " max-w-56"}
          >
            <option value="">All systems</option>
            {systems.data?.items.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.name}
              </option>
            ))}
            {state.cs && !systems.data?.items.some((s) => String(s.id) === state.cs) ? (
              <option value={state.cs}>System {state.cs}</option>
            ) : null}
          </select>
        </div>
        <div>
          <label htmlFor="f-initiator-type" className={labelClass}>
            Initiated by
          </label>
          <select
            id="f-initiator-type"
            value={state.initiatorType}
            onChange={(e) => set({ initiatorType: e.target.value })}
            className={inputClass}
          >
            <option value="">Anyone</option>
            {INITIATOR_TYPES.map((t) => (
              <option key={t} value={t}>
                {INITIATOR_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-initiator" className={labelClass}>
            Initiator name
          </label>
          <input
            id="f-initiator"
            type="text"
            value={initiator}
            onChange={(e) => setInitiator(e.target.value)}
            className={inputClass + " w-40"}
          />
        </div>
        <div>
          <label htmlFor="f-range" className={labelClass}>
            Time range
          </label>
          <select
            id="f-range"
            value={state.range}
            onChange={(e) =>
              set({
                range: e.target.value,
                from: e.target.value === "custom" ? state.from : null,
                to: e.target.value === "custom" ? state.to : null,
              })
            }
            className={inputClass}
          >
            <option value="">Any time</option>
            <option value="1h">Last hour</option>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
            <option value="custom">Custom…</option>
          </select>
        </div>
        {state.range === "custom" ? (
          <>
            <div>
              <label htmlFor="f-from" className={labelClass}>
                From
              </label>
              <input
                id="f-from"
                type="datetime-local"
                value={toLocalInput(state.from)}
                onChange={(e) => set({ from: fromLocalInput(e.target.value) }, "replace")}
                className={inputClass}
              />
            </div>
            <div>
              <label htmlFor="f-to" className={labelClass}>
                To
              </label>
              <input
                id="f-to"
                type="datetime-local"
                value={toLocalInput(state.to)}
                onChange={(e) => set({ to: fromLocalInput(e.target.value) }, "replace")}
                className={inputClass}
              />
            </div>
          </>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <fieldset className="flex flex-wrap items-center gap-1.5">
          <legend className="sr-only">Status</legend>
          <span aria-hidden="true" className="mr-1 text-xs font-medium text-slate-700 dark:text-slate-300">
            Status
          </span>
          {ACTIVITY_STATUSES.map((s) => {
            const on = state.status.includes(s);
            return (
              <label
                key={s}
                className={
                  "inline-flex cursor-pointer items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-blue-600 " +
                  (on
                    ? "border-blue-700 bg-blue-700 text-white dark:border-blue-300 dark:bg-blue-300 dark:text-slate-950"
                    : "border-slate-400 bg-white text-slate-800 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800")
                }
              >
                <input type="checkbox" className="sr-only" checked={on} onChange={() => toggleStatus(s)} />
                {STATUS_LABELS[s]}
              </label>
            );
          })}
        </fieldset>
        <label className="inline-flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={state.errors}
            onChange={(e) => set({ errors: e.target.checked ? "1" : null })}
            className="h-4 w-4 accent-blue-700"
          />
          Errors only
        </label>
        <label className="inline-flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={state.topLevel}
            onChange={(e) => set({ topLevel: e.target.checked ? null : "0" })}
            className="h-4 w-4 accent-blue-700"
          />
          Top-level only
        </label>
        {hasActiveFilters(state) ? (
          <button
            type="button"
            onClick={() =>
              set({
                status: null,
                targetType: null,
                cs: null,
                initiatorType: null,
                initiator: null,
                q: null,
                range: null,
                from: null,
                to: null,
                errors: null,
                topLevel: null,
              })
            }
            className="ml-auto text-sm font-medium text-blue-800 underline hover:text-blue-950 dark:text-blue-300 dark:hover:text-blue-100"
          >
            Clear filters
          </button>
        ) : null}
      </div>
    </section>
  );
}
