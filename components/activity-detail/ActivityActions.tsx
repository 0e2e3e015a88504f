"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endpoints } from "@/lib/client/endpoints";
import type { ActivityDetail, ActivitySummary } from "@/lib/api/activities";
import { keys, queries } from "@/lib/client/resources";
import { describeError, request } from "@/lib/client/http";
import { ordinal } from "@/lib/client/error-types";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { Modal } from "@/components/ui/Modal";
import { MutationError } from "@/components/ui/MutationError";

export const canRunAgain = (a: ActivityDetail) =>
  (a.targetType === "Schedule" && a.scheduleId !== null && a.parentActivityId === null) ||
  (a.targetType === "ConnectedSystemRunProfile" && a.connectedSystemId !== null && a.runProfileId !== null);

const sameTarget = (a: ActivityDetail) => (o: ActivitySummary) =>
  o.id !== a.id &&
  (a.targetType === "Schedule"
    ? o.targetType === "Schedule" && o.scheduleId === a.scheduleId
    : o.targetType === "ConnectedSystemRunProfile" && o.runProfileId === a.runProfileId);

function RunAgainDialog({ activity: a, onClose }: { activity: ActivityDetail; onClose: () => void }) {
  const router = useRouter();
  const qc = useQueryClient();
  const ops = useQuery({ ...queries.operations(), staleTime: 0 });
  const run = useMutation({
    mutationFn: () =>
      a.targetType === "Schedule"
        ? request(endpoints.executeSchedule, { params: { id: a.scheduleId! }, body: {} })
        : request(endpoints.executeRunProfile, {
            params: { id: a.connectedSystemId!, runProfileId: a.runProfileId! },
            body: {},
          }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: keys.activities });
      router.push(`/activities/${r.activityId}`);
    },
  });
  const what = a.targetType === "Schedule" ? "schedule" : "run profile";
  const running = ops.data?.running.filter(sameTarget(a)) ?? [];
  const queued = ops.data?.queued.filter(sameTarget(a)) ?? [];
  return (
    <div className="p-5">
      <h2 id="run-again-title" className="text-lg font-semibold">
        Run{" "}
        {a.targetType === "Schedule" ? (a.scheduleName ?? "this schedule") : (a.runProfileName ?? "this run profile")}{" "}
        again?
      </h2>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        A new {a.targetType === "Schedule" ? "execution" : "run"} of {a.targetName} starts now, or waits in the queue
        while another run of the same {a.targetType === "Schedule" ? "schedule" : "connected system"} is running.
      </p>
      {ops.isPending ? (
        <p className="mt-3 text-sm" aria-live="polite">
          Checking what runs now…
        </p>
      ) : ops.isError ? (
        <p className="mt-3 text-sm text-red-800 dark:text-red-300">
          Could not check what runs now ({describeError(ops.error)}).
        </p>
      ) : running.length || queued.length ? (
        <div
          role="alert"
          data-testid="run-again-warning"
          className="mt-3 rounded-md border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          {running.map((o) => (
            <p key={o.id}>
              This {what} is already running:{" "}
              <Link href={`/activities/${o.id}`} className="font-semibold underline">
                {o.name}
              </Link>
              . A new run would wait behind it.
            </p>
          ))}
          {queued.map((o) => (
            <p key={o.id}>
              A run of this {what} is already queued ({o.queue ? `${ordinal(o.queue.position)} in line` : "waiting"}):{" "}
              <Link href={`/activities/${o.id}`} className="font-semibold underline">
                {o.name}
              </Link>
              . Running again opens that run instead of queueing a second one.
            </p>
          ))}
        </div>
      ) : (
        <p className="mt-3 text-sm text-slate-700 dark:text-slate-300" data-testid="run-again-clear">
          Nothing of this {what} is running or queued now.
        </p>
      )}
      {run.isError ? (
        <p role="alert" className="mt-3 text-sm text-red-800 dark:text-red-300">
          Could not start the run: {describeError(run.error)}
        </p>
      ) : null}
      <div className="mt-5 flex justify-end gap-2">
        <Button onClick={onClose} autoFocus>
          Not now
        </Button>
        <Button variant="primary" onClick={() => run.mutate()} disabled={run.isPending}>
          {run.isPending ? "Starting…" : queued.length ? "Open the queued run" : "Run again"}
        </Button>
      </div>
    </div>
  );
}

/** "Run again" (asks first; warns when the same run profile runs or waits) and "Cancel" (asks first). Admins only. */
export function ActivityActions({ activity: a }: { activity: ActivityDetail }) {
  const qc = useQueryClient();
  const [dialog, setDialog] = useState<"cancel" | "run" | null>(null);
  const cancel = useMutation({
    mutationFn: () => request(endpoints.cancelActivity, { params: { id: a.id }, body: {} }),
    onSettled: () => {
      setDialog(null);
      void qc.invalidateQueries({ queryKey: keys.activity(a.id) });
    },
  });
  const inProgress = a.status === "InProgress";
  const queued = inProgress && !a.started;
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        {canRunAgain(a) ? (
          <Button variant="primary" onClick={() => setDialog("run")}>
            Run again
          </Button>
        ) : null}
        {inProgress ? (
          <Button variant="danger" onClick={() => setDialog("cancel")} disabled={a.cancelRequested || cancel.isPending}>
            {a.cancelRequested ? "Cancelling…" : "Cancel"}
          </Button>
        ) : null}
      </div>
      <MutationError mutation={cancel} what="Could not cancel" />
      <Modal
        open={dialog === "run"}
        onClose={() => setDialog(null)}
        labelledBy="run-again-title"
        testId="run-again-dialog"
      >
        {dialog === "run" ? <RunAgainDialog activity={a} onClose={() => setDialog(null)} /> : null}
      </Modal>
      <ConfirmDialog
        open={dialog === "cancel"}
        title={queued ? "Remove this run from the queue?" : "Cancel this activity?"}
        confirmLabel="Cancel activity"
        cancelLabel={queued ? "Keep it queued" : "Keep running"}
        pendingLabel="Cancelling…"
        danger
        mutation={cancel}
        onClose={() => setDialog(null)}
        onConfirm={() => cancel.mutate()}
        testId="cancel-dialog"
      >
        <p>
          {queued
            ? `“${a.name}” has not started; it ends Cancelled and never runs.`
            : `“${a.name}” stops after the object it is processing. Objects already processed keep their changes.`}
        </p>
      </ConfirmDialog>
    </div>
  );
}
