"use client";
import { useId, type ReactNode } from "react";
import { describeError } from "@/lib/client/http";
import { Button } from "./Button";
import { Modal } from "./Modal";

/** What a dialog needs of the mutation it confirms (a TanStack Query mutation). */
export interface ConfirmedMutation {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  reset: () => void;
}

/**
 * A yes/no question in a Modal: the title names the action, the body says what happens, errors show inline.
 * The dialog shows its mutation's pending state and error; closing it forgets that error.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = "Keep it",
  pendingLabel = "Working…",
  danger = false,
  mutation,
  onConfirm,
  onClose: close,
  testId,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** The confirm button's label while the mutation runs. */
  pendingLabel?: string;
  danger?: boolean;
  mutation: ConfirmedMutation;
  onConfirm: () => void;
  onClose: () => void;
  testId?: string;
}) {
  const id = useId();
  const pending = mutation.isPending;
  const error = mutation.isError ? describeError(mutation.error) : null;
  const onClose = () => {
    close();
    mutation.reset();
  };
  return (
    <Modal open={open} onClose={onClose} labelledBy={`${id}-title`} testId={testId}>
      <div className="p-5">
        <h2 id={`${id}-title`} className="text-lg font-semibold">
          {title}
        </h2>
        {children ? <div className="mt-2 space-y-2 text-sm text-slate-700 dark:text-slate-300">{children}</div> : null}
        {error ? (
          <p role="alert" className="mt-3 text-sm font-medium text-red-800 dark:text-red-300">
            {error}
          </p>
        ) : null}
        <div className="mt-5 flex justify-end gap-2">
          <Button onClick={onClose} autoFocus>
            {cancelLabel}
          </Button>
          <Button variant={danger ? "danger" : "primary"} onClick={onConfirm} disabled={pending}>
            {pending ? pendingLabel : confirmLabel}
          </Button>
        </div>
      </div>
    </Modal>
  );
}
