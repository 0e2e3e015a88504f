"use client";
import Link from "next/link";
import { useState } from "react";
import type { OperationsView } from "@/lib/api/operations";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { useWideViewport } from "@/components/ui/DataTable";
import { RelativeTime } from "@/components/ui/RelativeTime";
import { StatusBadge } from "@/components/ui/StatusBadge";
import { Section } from "./Section";
import { useOperationActions } from "./useOperationActions";
import { ACTIONS_LABEL, TableHead } from "@/components/ui/TableHead";

type Upcoming = OperationsView["upcoming"][number];

const everyMinutes = (m: number) => (m % 60 === 0 ? `every ${m / 60} h` : `every ${m} min`);
const everySeconds = (s: number) =>
  s % 60 === 0
    ? everyMinutes(s / 60)
    : s % 30 === 0
      ? `every ${s / 60} min`
      : s > 60
        ? `every ${Math.floor(s / 60)} min ${s % 60} s`
        : `every ${s} s`;

/** The interval it really fires at; the configured one beside it when the demo's clock runs faster. */
function Interval({ s }: { s: Upcoming }) {
  if (!s.enabled) return <>disabled</>;
  if (s.firesEverySeconds === null || s.firesEverySeconds === s.intervalMinutes * 60)
    return <>{everyMinutes(s.intervalMinutes)}</>;
  // per schedule: the demo keeps its intervals between 1 and 15 minutes (15 min → 2.5 min, 24 h → 15 min)
  const often = Number(((s.intervalMinutes * 60) / s.firesEverySeconds).toFixed(1));
  return (
    <>
      <span data-testid="fires-every">{everySeconds(s.firesEverySeconds)}</span>
      <span className="block text-xs text-slate-600 dark:text-slate-400">
        configured {everyMinutes(s.intervalMinutes)}; the demo fires it {often}× as often
      </span>
    </>
  );
}

function NextRun({ s, writingHistory }: { s: Upcoming; writingHistory: boolean }) {
  return s.nextRunAt ? (
    <RelativeTime iso={s.nextRunAt} />
  ) : (
    <span className="text-slate-600 dark:text-slate-400">
      {!s.enabled ? "never" : writingHistory ? "once the demo history is written" : "not on its own"}
    </span>
  );
}

function LastExecution({ s }: { s: Upcoming }) {
  return s.lastExecution ? (
    <Link href={`/activities/${s.lastExecution.id}`} className="inline-flex flex-col gap-0.5 hover:underline">
      <StatusBadge status={s.lastExecution.status} />
      <span className="sr-only">latest execution of {s.name}</span>
    </Link>
  ) : (
    <span className="text-slate-600 dark:text-slate-400">none yet</span>
  );
}

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
        mutation={runSchedule}
        onClose={() => setOpen(false)}
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
  writingHistory,
  admin,
  busySchedules,
}: {
  upcoming: Upcoming[];
  autorun: boolean;
  writingHistory: boolean;
  admin: boolean;
  busySchedules: Set<number>;
}) {
  const wide = useWideViewport(768);
  return (
    <Section title="Scheduled next" count={upcoming.length} testId="ops-upcoming">
      {!autorun ? (
        <p className="mb-2 text-sm text-amber-900 dark:text-amber-200">
          Schedules do not fire on their own on this server (autorun is off); they run when started.
        </p>
      ) : null}
      {/* below 768 px each schedule is a card: every column stays visible */}
      {!wide ? (
        <ul className="grid gap-2">
          {upcoming.map((s) => (
            <li
              key={s.scheduleId}
              className="rounded-lg border border-slate-200 p-3 text-sm [overflow-wrap:anywhere] dark:border-slate-800"
              data-testid="ops-upcoming-card"
            >
              <div className="flex flex-wrap items-start justify-between gap-2">
                <h3 className="min-w-0 font-medium">{s.name}</h3>
                {admin ? <RunScheduleButton s={s} busy={busySchedules.has(s.scheduleId)} /> : null}
              </div>
              <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
                <dt className="text-slate-600 dark:text-slate-400">Interval</dt>
                <dd className="min-w-0">
                  <Interval s={s} />
                </dd>
                <dt className="text-slate-600 dark:text-slate-400">Next run</dt>
                <dd className="min-w-0">
                  <NextRun s={s} writingHistory={writingHistory && autorun} />
                </dd>
                <dt className="text-slate-600 dark:text-slate-400">Last execution</dt>
                <dd className="min-w-0">
                  <LastExecution s={s} />
                </dd>
              </dl>
            </li>
          ))}
        </ul>
      ) : (
        <div className="overflow-hidden rounded-lg border border-slate-200 dark:border-slate-800">
          <table className="w-full table-fixed text-sm">
            <caption className="sr-only">Schedules by next fire time</caption>
            <TableHead
              className="bg-slate-100 text-left text-xs tracking-wide text-slate-700 uppercase dark:bg-slate-900 dark:text-slate-300"
              cell="px-3 py-2"
              columns={[
                "Schedule",
                ["Interval", "w-[12rem]"],
                ["Next run", "w-[9rem]"],
                ["Last execution", "w-[11rem]"],
                admin && [ACTIONS_LABEL, "w-[7.5rem]"],
              ]}
            />
            <tbody>
              {upcoming.map((s) => (
                <tr
                  key={s.scheduleId}
                  className="border-t border-slate-200 dark:border-slate-800"
                  data-testid="ops-upcoming-row"
                >
                  <td className="px-3 py-2 font-medium break-words">{s.name}</td>
                  <td className="px-3 py-2">
                    <Interval s={s} />
                  </td>
                  <td className="px-3 py-2">
                    <NextRun s={s} writingHistory={writingHistory && autorun} />
                  </td>
                  <td className="px-3 py-2">
                    <LastExecution s={s} />
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
      )}
    </Section>
  );
}
