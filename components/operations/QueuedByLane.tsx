"use client";
import { ActivityLink } from "@/components/ui/ActivityLink";
import type { ActivitySummary } from "@/lib/api/activities";
import { formatDuration } from "@/lib/client/format";
import { ordinal } from "@/lib/client/queue";
import { RelativeTime } from "@/components/ui/RelativeTime";
import { StatusBadge } from "@/components/ui/StatusBadge";
import { useNow } from "@/components/ui/useNow";
import { CancelButton } from "./CancelButton";
import { RunName, RunRow } from "./RunRow";
import { Section } from "./Section";

/** The lane a queued run waits in, in words: its connected system or its schedule. */
function laneName(a: ActivitySummary): string {
  const lane = a.queue?.lane ?? "";
  if (lane.startsWith("cs:")) return a.connectedSystemName ?? `Connected system ${lane.slice(3)}`;
  if (lane.startsWith("schedule:")) return `Schedule ${a.scheduleName ?? lane.slice(9)}`;
  return lane || "Queue";
}

/** What waits, per lane (one run at a time per connected system or schedule), in queue order. */
export function QueuedByLane({ queued, admin }: { queued: ActivitySummary[]; admin: boolean }) {
  const now = useNow(1000, queued.length > 0);
  const lanes = new Map<string, ActivitySummary[]>();
  for (const a of queued) {
    const k = a.queue?.lane ?? "unknown";
    lanes.set(k, [...(lanes.get(k) ?? []), a]);
  }
  return (
    <Section title="Queued" count={queued.length} testId="ops-queued">
      {queued.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Nothing waits: every run started at once.</p>
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          {[...lanes.entries()].map(([lane, runs]) => (
            <div key={lane} className="rounded-lg border border-slate-200 dark:border-slate-800" data-lane={lane}>
              <h3 className="border-b border-slate-200 bg-slate-50 px-3 py-2 text-sm font-semibold dark:border-slate-800 dark:bg-slate-900">
                {laneName(runs[0])}
                <span className="ml-2 font-normal text-slate-600 dark:text-slate-400">one run at a time</span>
              </h3>
              <ol>
                {[...runs]
                  .sort((x, y) => (x.queue?.position ?? 0) - (y.queue?.position ?? 0))
                  .map((a) => (
                    <RunRow key={a.id} a={a} section="queued">
                      <div className="min-w-0">
                        <div className="flex flex-wrap items-center gap-2">
                          <StatusBadge status="Queued" />
                          <RunName a={a} />
                        </div>
                        <p className="mt-1 text-xs text-slate-700 dark:text-slate-300" data-testid="queue-place">
                          {a.queue ? `${ordinal(a.queue.position)} in line` : "Waiting"}
                          {a.queue?.behind ? (
                            <>
                              {" "}
                              · behind <ActivityLink id={a.queue.behind.id}>{a.queue.behind.name}</ActivityLink>
                            </>
                          ) : null}
                        </p>
                        <p className="text-xs text-slate-600 dark:text-slate-400" suppressHydrationWarning>
                          Queued <RelativeTime iso={a.created} /> · waiting{" "}
                          {formatDuration(Math.max(0, now - Date.parse(a.created)))}
                        </p>
                      </div>
                      {admin ? <CancelButton a={a} /> : null}
                    </RunRow>
                  ))}
              </ol>
            </div>
          ))}
        </div>
      )}
    </Section>
  );
}
