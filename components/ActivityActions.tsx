"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActivityDetail } from "@/lib/api/schemas";
import { describeError } from "@/lib/client/api";
import { canRunAgain, useCancelActivity, useRunAgain } from "@/lib/client/queries";
import { Modal } from "@/components/ui/Modal";

const primary =
  "h-9 rounded-md bg-blue-700 px-3 text-sm font-semibold text-white hover:bg-blue-800 disabled:opacity-60 dark:bg-blue-300 dark:text-slate-950 dark:hover:bg-blue-200";
const danger =
  "h-9 rounded-md border border-red-600 bg-white px-3 text-sm font-semibold text-red-800 hover:bg-red-50 disabled:opacity-60 dark:border-red-400 dark:bg-slate-900 dark:text-red-200 dark:hover:bg-red-950";
const secondary =
  "h-9 rounded-md border border-slate-300 px-3 text-sm font-medium text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800";

/** "Run again" and "Cancel" (Administrator only; the caller decides whether to render this). */
export function ActivityActions({ activity }: { activity: ActivityDetail }) {
  const router = useRouter();
  const runAgain = useRunAgain();
  const cancel = useCancelActivity(activity.id);
  const [confirming, setConfirming] = useState(false);
  const running = activity.status === "InProgress";
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        {canRunAgain(activity) ? (
          <button
            type="button"
            className={primary}
            disabled={runAgain.isPending}
            onClick={() => runAgain.mutate(activity, { onSuccess: (r) => router.push(`/activities/${r.activityId}`) })}
          >
            {runAgain.isPending ? "Starting…" : "Run again"}
          </button>
        ) : null}
        {running ? (
          <button
            type="button"
            className={danger}
            disabled={cancel.isPending || activity.cancelRequested}
            onClick={() => setConfirming(true)}
          >
            {activity.cancelRequested ? "Cancelling…" : "Cancel"}
          </button>
        ) : null}
      </div>
      {runAgain.isError ? (
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          Could not start the run: {describeError(runAgain.error)}
        </p>
      ) : null}
      {cancel.isError ? (
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          Could not cancel: {describeError(cancel.error)}
        </p>
      ) : null}
      <Modal open={confirming} onClose={() => setConfirming(false)} labelledBy="cancel-title" testId="cancel-dialog">
        <div className="p-5">
          <h2 id="cancel-title" className="text-lg font-semibold">
            Cancel this activity?
          </h2>
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
            “{activity.name}” stops after the object it is processing. Objects already processed keep their changes.
          </p>
          <div className="mt-5 flex justify-end gap-2">
            <button type="button" className={secondary} onClick={() => setConfirming(false)} autoFocus>
              Keep running
            </button>
            <button
              type="button"
              className={danger}
              onClick={() => cancel.mutate(undefined, { onSettled: () => setConfirming(false) })}
              disabled={cancel.isPending}
            >
              {cancel.isPending ? "Cancelling…" : "Cancel activity"}
            </button>
          </div>
        </div>
      </Modal>
    </div>
  );
}
