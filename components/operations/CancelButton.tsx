"use client";
import { useState } from "react";
import type { ActivitySummary } from "@/lib/api/activities";
import { isQueued } from "@/lib/client/queue";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { useOperationActions } from "./useOperationActions";

/** Cancel with a confirmation that says what happens (a queued run never starts; a running one stops). */
export function CancelButton({ a }: { a: ActivitySummary }) {
  const [open, setOpen] = useState(false);
  const { cancel } = useOperationActions();
  const queued = isQueued(a);
  return (
    <>
      <Button size="sm" variant="danger" onClick={() => setOpen(true)}>
        Cancel<span className="sr-only"> {a.name}</span>
      </Button>
      <ConfirmDialog
        open={open}
        title={queued ? "Cancel this queued run?" : "Cancel this running activity?"}
        confirmLabel={queued ? "Cancel queued run" : "Cancel activity"}
        cancelLabel={queued ? "Keep it queued" : "Keep running"}
        danger
        mutation={cancel}
        onClose={() => setOpen(false)}
        onConfirm={() => cancel.mutate(a.id, { onSuccess: () => setOpen(false) })}
        testId="cancel-dialog"
      >
        <p>
          <strong>{a.name}</strong>{" "}
          {queued
            ? "will be removed from the queue and never start; the runs behind it move up."
            : "stops at its next step and ends Cancelled; objects already processed stay processed."}
          {a.childCount > 0 ? " Its steps are cancelled with it." : ""}
        </p>
      </ConfirmDialog>
    </>
  );
}
