import { COUNTER_GROUPS, COUNTER_LABELS, type Counters } from "@/lib/domain/counters";
import { formatInt } from "@/lib/client/format";

/** One card per operation group (seed 000), every counter of the group with its label. */
export function CounterCards({ counters }: { counters: Counters }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" data-testid="counter-cards">
      {COUNTER_GROUPS.map((g) => (
        <section
          key={g.key}
          aria-labelledby={`counters-${g.key}`}
          className="rounded-lg border border-slate-200 p-4 dark:border-slate-800"
        >
          <h3 id={`counters-${g.key}`} className="mb-2 text-sm font-semibold">
            {g.title}
          </h3>
          <dl className="space-y-1 text-sm">
            {g.fields.map((f) => (
              <div key={f} className="flex items-baseline justify-between gap-3">
                <dt className="text-slate-700 dark:text-slate-300">{COUNTER_LABELS[f]}</dt>
                <dd
                  data-testid={`counter-${f}`}
                  className={
                    "tabular-nums " +
                    (counters[f] === 0
                      ? "text-slate-600 dark:text-slate-400"
                      : f === "totalObjectErrors" || f === "totalPendingExportsFailed"
                        ? "font-semibold text-red-800 dark:text-red-300"
                        : "font-semibold")
                  }
                >
                  {formatInt(counters[f])}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
