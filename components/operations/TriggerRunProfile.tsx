"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import type { ActivitySummary, TriggerResult } from "@/lib/api/activities";
import { RUN_TYPE_LABELS } from "@/lib/client/labels";
import { ordinal } from "@/lib/client/queue";
import { queries } from "@/lib/client/resources";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { useOperationActions } from "./useOperationActions";

/**
 * Start a run profile. The confirmation warns when its connected system already runs or queues
 * something (the new run then waits its turn, or the queued run of the same profile is reused).
 */
export function TriggerRunProfile({ busy }: { busy: ActivitySummary[] }) {
  const id = useId();
  const systems = useQuery(queries.connectedSystems());
  const { runProfile } = useOperationActions();
  const [choice, setChoice] = useState("");
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<TriggerResult | null>(null);
  const options = (systems.data?.items ?? []).flatMap((s) =>
    s.runProfiles.map((rp) => ({ value: `${s.id}:${rp.id}`, cs: s, rp })),
  );
  const picked = options.find((o) => o.value === choice);
  const sameSystem = picked ? busy.filter((a) => a.connectedSystemId === picked.cs.id) : [];
  return (
    <div className="flex max-w-full flex-wrap items-end gap-2" data-testid="ops-trigger">
      <div className="max-w-full">
        <label htmlFor={`${id}-rp`} className="mb-1 block text-xs font-medium text-slate-700 dark:text-slate-300">
          Run a run profile
        </label>
        <select
          id={`${id}-rp`}
          value={choice}
          onChange={(e) => {
            setChoice(e.target.value);
            setResult(null);
          }}
          className="h-9 w-[22rem] max-w-full rounded-md border border-slate-400 bg-white px-2 text-sm dark:border-slate-500 dark:bg-slate-900"
        >
          <option value="">Choose…</option>
          {systems.data?.items.map((s) => (
            <optgroup key={s.id} label={s.name}>
              {s.runProfiles.map((rp) => (
                <option key={rp.id} value={`${s.id}:${rp.id}`}>
                  {s.name}: {rp.name} ({RUN_TYPE_LABELS[rp.runType]})
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <Button variant="primary" disabled={!picked} onClick={() => setOpen(true)}>
        Run…
      </Button>
      {result ? (
        <p role="status" className="w-full text-sm text-emerald-800 dark:text-emerald-300">
          {result.deduplicated
            ? "A run of this profile was already queued: it is kept, no second one was added. "
            : result.queued
              ? `Queued, ${ordinal(result.queuePosition ?? 1)} in line. `
              : "Started. "}
          <Link href={`/activities/${result.activityId}`} className="underline">
            Open it
          </Link>
        </p>
      ) : null}
      <ConfirmDialog
        open={open && !!picked}
        title={picked ? `Run ${picked.cs.name}: ${picked.rp.name}?` : "Run?"}
        confirmLabel={sameSystem.length ? "Queue it anyway" : "Run now"}
        cancelLabel="Not now"
        mutation={runProfile}
        onClose={() => setOpen(false)}
        onConfirm={() =>
          picked &&
          runProfile.mutate(
            { connectedSystemId: picked.cs.id, runProfileId: picked.rp.id },
            {
              onSuccess: (r) => {
                setResult(r);
                setOpen(false);
              },
            },
          )
        }
        testId="trigger-dialog"
      >
        {picked?.rp.runType === "Export" ? <p>An export writes changes to {picked.cs.name}.</p> : null}
        {sameSystem.length ? (
          <div className="rounded-md border border-amber-300 bg-amber-50 p-2 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
            <p className="font-medium">{picked?.cs.name} is busy: one run at a time per connected system.</p>
            <ul className="mt-1 list-disc pl-5">
              {sameSystem.map((a) => (
                <li key={a.id}>
                  {a.name} — {a.started ? "running" : `queued, ${ordinal(a.queue?.position ?? 1)} in line`}
                </li>
              ))}
            </ul>
            <p className="mt-1">The new run waits until they are done (a queued run of the same profile is reused).</p>
          </div>
        ) : (
          <p>It starts at once: nothing else runs on {picked?.cs.name}.</p>
        )}
      </ConfirmDialog>
    </div>
  );
}
