"use client";
import Link from "next/link";
import { useState } from "react";
import type { OperationsView } from "@/lib/api/operations";
import { describeError } from "@/lib/client/http";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { RelativeTime } from "@/components/ui/RelativeTime";
import { StatusBadge } from "@/components/ui/StatusBadge";
import { Section } from "./Section";
import { useOperationActions } from "./useOperationActions";

type Upcoming = OperationsView["upcoming"][number];

const every = (m: number) => (m % 60 === 0 ? `every ${m / 60} h` : `every ${m} min`);

function RunScheduleButton({ s, busy }: { s: Upcoming; busy: boolean }) {
  const [open, setOpen] = useState(false);
  const { runSchedule } = useOperationActions();
  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)}>
        Run now<span className="sr-only"> {s.name}</span>
      </Button>
      <ConfirmDialog
        open={open}
        title={`Run ${s.name} now?`}
        confirmLabel="Run schedule"
        cancelLabel="Not now"
        pending={runSchedule.isPending}
        error={runSchedule.isError ? describeError(runSchedule.error) : null}
        onClose={() => {
          setOpen(false);
          runSchedule.reset();
        }}
        onConfirm={() => runSchedule.mutate(s.scheduleId, { onSuccess: () => setOpen(false) })}
      >
        <p>An execution of the schedule is queued now, besides the scheduler&apos;s own.</p>
        {busy ? (
          <p className="font-medium text-amber-900 dark:text-amber-200">
            An execution of this schedule is already running or queued: if one is queued, that one is kept (no second
            one is added).
          </p>
        ) : null}
      </ConfirmDialog>
    </>
  );
}

/** What the scheduler fires next: each schedule's next fire time and its latest execution. */
export function ScheduledNext({
  upcoming,
  autorun,
  admin,
  busySchedules,
}: {
  upcoming: Upcoming[];
  autorun: boolean;
  admin: boolean;
  busySchedules: Set<number>;
}) {
  return (
    <Section title="Scheduled next" count={upcoming.length} testId="ops-upcoming">
      {!autorun ? (
        <p className="mb-2 text-sm text-amber-900 dark:text-amber-200">
          Schedules do not fire on their own on this server (autorun is off); they run when started.
        </p>
      ) : null}
      <div className="overflow-hidden rounded-lg border border-slate-200 dark:border-slate-800">
        <table className="w-full table-fixed text-sm">
          <caption className="sr-only">Schedules by next fire time</caption>
          <thead className="bg-slate-100 text-left text-xs tracking-wide text-slate-700 uppercase dark:bg-slate-900 dark:text-slate-300">
            <tr>
              <th scope="col" className="px-3 py-2">
                Schedule
              </th>
              <th scope="col" className="w-[9rem] px-3 py-2 max-md:hidden">
                Interval
              </th>
              <th scope="col" className="w-[10rem] px-3 py-2">
                Next run
              </th>
              <th scope="col" className="w-[11rem] px-3 py-2 max-md:hidden">
                Last execution
              </th>
              {admin ? (
                <th scope="col" className="w-[8rem] px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {upcoming.map((s) => (
              <tr
                key={s.scheduleId}
                className="border-t border-slate-200 dark:border-slate-800"
                data-testid="ops-upcoming-row"
              >
                <td className="px-3 py-2 font-medium break-words">{s.name}</td>
                <td className="px-3 py-2 max-md:hidden">{s.enabled ? every(s.intervalMinutes) : "disabled"}</td>
                <td className="px-3 py-2">
                  {s.nextRunAt ? (
                    <RelativeTime iso={s.nextRunAt} />
                  ) : (
                    <span className="text-slate-600 dark:text-slate-400">{s.enabled ? "not on its own" : "never"}</span>
                  )}
                </td>
                <td className="px-3 py-2 max-md:hidden">
                  {s.lastExecution ? (
                    <Link
                      href={`/activities/${s.lastExecution.id}`}
                      className="inline-flex flex-col gap-0.5 hover:underline"
                    >
                      <StatusBadge status={s.lastExecution.status} />
                      <span className="sr-only">latest execution, </span>
                    </Link>
                  ) : (
                    <span className="text-slate-600 dark:text-slate-400">none yet</span>
                  )}
                </td>
                {admin ? (
                  <td className="px-3 py-2 text-right">
                    <RunScheduleButton s={s} busy={busySchedules.has(s.scheduleId)} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
