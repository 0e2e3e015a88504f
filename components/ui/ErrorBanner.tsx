import type { ReactNode } from "react";

/** A clear, non-blocking banner: the last good data stays on screen under it. */
export function ErrorBanner({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div
      role="alert"
      className="mb-4 flex flex-wrap items-start justify-between gap-3 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <div>
        <p className="font-semibold">{title}</p>
        {children ? <p className="mt-0.5">{children}</p> : null}
      </div>
      {action}
    </div>
  );
}

/** A plain explanation where the viewer's role does not allow something. */
export function RoleNotice({ children }: { children: ReactNode }) {
  return (
    <p className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      {children}
    </p>
  );
}
