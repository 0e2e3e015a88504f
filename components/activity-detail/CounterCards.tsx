"use client";
import { useState } from "react";
import type { ExecutionStats } from "@/lib/api/activities";
import { COUNTER_FIELDS, COUNTER_GROUPS, COUNTER_LABELS } from "@/lib/domain/counters";
import { formatInt } from "@/lib/client/format";
import { Button } from "@/components/ui/Button";

/** The run's counters by operation; the ones at 0 folded away behind "Show all 23 counters". */
export function CounterCards({ counters }: { counters: ExecutionStats }) {
  const [all, setAll] = useState(false);
  const zero = COUNTER_FIELDS.filter((f) => counters[f] === 0).length;
  const groups = COUNTER_GROUPS.map((g) => ({ ...g, fields: g.fields.filter((f) => all || counters[f] !== 0) })).filter(
    (g) => g.fields.length,
  );
  return (
    <div data-testid="counter-cards">
      {groups.length ? (
        <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
          {groups.map((g) => (
            <div key={g.key} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
              <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-300">
                {g.title}
              </h3>
              <dl className="space-y-1 text-sm">
                {g.fields.map((f) => (
                  <div key={f} className="flex justify-between gap-3" data-testid={`counter-${f}`}>
                    <dt className={counters[f] === 0 ? "text-slate-600 dark:text-slate-400" : ""}>
                      {COUNTER_LABELS[f]}
                    </dt>
                    <dd
                      className={`tabular-nums font-medium ${f === "totalObjectErrors" && counters[f] > 0 ? "text-red-800 dark:text-red-300" : ""}`}
                    >
                      {formatInt(counters[f])}
                    </dd>
                  </div>
                ))}
              </dl>
            </div>
          ))}
        </div>
      ) : (
        <p className="text-sm text-slate-700 dark:text-slate-300">Every counter is 0.</p>
      )}
      {zero > 0 ? (
        <Button
          variant="ghost"
          className="mt-2 text-sm"
          onClick={() => setAll((v) => !v)}
          aria-expanded={all}
          data-testid="show-all-counters"
        >
          {all ? `Hide the ${zero} counters at 0` : `Show all ${COUNTER_FIELDS.length} counters (${zero} at 0)`}
        </Button>
      ) : null}
    </div>
  );
}
