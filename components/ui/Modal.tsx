"use client";
import { useEffect, useRef, type ReactNode, type RefObject } from "react";

/**
 * A modal on the native <dialog> element: showModal() makes the rest of the page inert (focus
 * stays inside), Esc closes, and focus returns to whatever opened it.
 */
export function Modal({
  open,
  onClose,
  labelledBy,
  children,
  variant = "center",
  testId,
  returnFocusTo,
}: {
  open: boolean;
  onClose: () => void;
  labelledBy: string;
  children: ReactNode;
  variant?: "center" | "drawer";
  testId?: string;
  /** Where focus goes on close when the opener is not the element focused at open time (e.g. after a URL change). */
  returnFocusTo?: RefObject<HTMLElement | null>;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const closeRef = useRef(onClose);
  const returnRef = useRef(returnFocusTo);
  useEffect(() => {
    closeRef.current = onClose;
    returnRef.current = returnFocusTo;
  });
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement as HTMLElement | null;
      d.showModal();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const onCancel = (e: Event) => {
      e.preventDefault();
      closeRef.current();
    };
    const onClosed = () => {
      const preferred = returnRef.current?.current;
      const el = preferred && preferred.isConnected ? preferred : opener.current;
      opener.current = null;
      if (el && el.isConnected) el.focus();
    };
    // Keep Tab and Shift+Tab inside the dialog (the page behind is inert, but Tab could leave
    // for the browser's own UI).
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== "Tab" || !d.open) return;
      const focusable = Array.from(
        d.querySelectorAll<HTMLElement>(
          'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])',
        ),
      ).filter((el) => el.offsetParent !== null || el === document.activeElement);
      if (!focusable.length) return;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      const active = document.activeElement;
      if (e.shiftKey && (active === first || !d.contains(active))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (active === last || !d.contains(active))) {
        e.preventDefault();
        first.focus();
      }
    };
    document.addEventListener("keydown", onKeyDown);
    d.addEventListener("cancel", onCancel);
    d.addEventListener("close", onClosed);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
      d.removeEventListener("cancel", onCancel);
      d.removeEventListener("close", onClosed);
    };
  }, []);
  const cls =
    variant === "drawer"
      ? "fixed inset-y-0 right-0 left-auto m-0 h-full max-h-none w-full max-w-2xl overflow-y-auto border-l border-slate-300 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-950/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      : "m-auto w-full max-w-md rounded-lg border border-slate-300 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-950/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100";
  return (
    <dialog
      ref={ref}
      aria-labelledby={labelledBy}
      aria-modal="true"
      data-testid={testId}
      className={cls}
      onClick={(e) => {
        if (e.target === ref.current) onClose(); // click on the backdrop
      }}
    >
      {open ? children : null}
    </dialog>
  );
}
