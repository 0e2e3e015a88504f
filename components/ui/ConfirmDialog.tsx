"use client";
import { useId, type ReactNode } from "react";
import { Button } from "./Button";
import { Modal } from "./Modal";

/** A yes/no question in a Modal: the title names the action, the body says what happens, errors show inline. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = "Keep it",
  danger = false,
  pending = false,
  error,
  onConfirm,
  onClose,
  testId,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  pending?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
  testId?: string;
}) {
  const id = useId();
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
            {pending ? "Working…" : confirmLabel}
          </Button>
        </div>
      </div>
    </Modal>
  );
}
