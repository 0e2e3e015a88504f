"use client";
import type { ActivitySummary } from "@/lib/api/activities";
import { ElapsedDuration } from "@/components/ui/ElapsedDuration";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { RelativeTime } from "@/components/ui/RelativeTime";
import { StatusBadge } from "@/components/ui/StatusBadge";
import { CancelButton } from "./CancelButton";
import { RunName, RunRow } from "./RunRow";
import { Section } from "./Section";

/** What runs now, oldest first, with its progress. */
export function RunningNow({ running, admin }: { running: ActivitySummary[]; admin: boolean }) {
  return (
    <Section title="Running now" count={running.length} testId="ops-running">
      {running.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Nothing runs right now.</p>
      ) : (
        <ul className="grid gap-3 lg:grid-cols-2">
          {running.map((a) => (
            <RunRow key={a.id} a={a} section="running">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="min-w-0">
                  <RunName a={a} />
                  <p className="text-xs text-slate-600 dark:text-slate-400">
                    {a.targetName}
                    {a.scheduleExecutionId ? ` · step ${a.stepIndex ?? "?"} of ${a.scheduleName ?? "a schedule"}` : ""}
                  </p>
                </div>
                <div className="flex items-center gap-2">
                  <StatusBadge status="InProgress" />
                  {admin ? <CancelButton a={a} /> : null}
                </div>
              </div>
              <div className="mt-2">
                <ProgressBar
                  processed={a.progress.objectsProcessed}
                  total={a.progress.objectsToProcess}
                  label={`Progress of ${a.name}`}
                  unit="objects"
                />
              </div>
              <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-700 dark:text-slate-300">
                <span>
                  Started <RelativeTime iso={a.started} />
                </span>
                <span>
                  Running for{" "}
                  <ElapsedDuration started={a.started} ended={null} durationMs={a.executionTimeMs} running />
                </span>
                {a.progress.message ? (
                  <span className="min-w-0 [overflow-wrap:anywhere]">{a.progress.message}</span>
                ) : null}
              </p>
            </RunRow>
          ))}
        </ul>
      )}
    </Section>
  );
}
