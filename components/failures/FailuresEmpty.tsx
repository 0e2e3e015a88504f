"use client";
import { Button } from "@/components/ui/Button";
import { formatDateTime } from "@/lib/client/format";
import { RANGE_LABELS, rangePhrase, WIDER_RANGE } from "./failure-params";
import type { FailureUrl } from "./useFailureUrl";

/** What is true when a table is empty ("No open failures in the last 7 days"), and ways to widen it. */
export function FailuresEmpty({ state }: { state: FailureUrl }) {
  const { url, check, setFilters, clearFilters } = state;
  const states = url.state.length ? url.state : ["Open"];
  const which = states.length === 2 ? "" : states[0] === "Open" ? "open " : "recovered ";
  const otherFilters =
    url.errorType.length > 0 || url.connectedSystemId.length > 0 || url.objectType.length > 0 || url.search !== "";
  const wider = WIDER_RANGE[check.preset];
  return (
    <div className="px-4 py-8 text-center text-sm" data-testid="failures-empty">
      <p className="font-medium text-slate-800 dark:text-slate-200">
        No {which}failures{otherFilters ? " match these filters" : ""} {rangePhrase(check, formatDateTime)}.
      </p>
      <div className="mt-3 flex flex-wrap justify-center gap-2">
        {wider ? (
          <Button size="sm" onClick={() => setFilters({ range: wider === "7d" ? null : wider, from: null, to: null })}>
            Widen to {RANGE_LABELS[wider].toLowerCase()}
          </Button>
        ) : null}
        {states.length === 1 && states[0] === "Open" ? (
          <Button size="sm" onClick={() => setFilters({ state: ["Open", "Recovered"] })}>
            Include recovered objects
          </Button>
        ) : null}
        {otherFilters ? (
          <Button size="sm" onClick={clearFilters}>
            Clear filters
          </Button>
        ) : null}
      </div>
    </div>
  );
}
