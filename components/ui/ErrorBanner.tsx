import type { ReactNode } from "react";
import { describeError } from "@/lib/client/http";
import { Button } from "./Button";

/**
 * A clear, non-blocking banner: the last good data stays on screen under it. With `onRetry` it
 * offers a Retry button (a query's refetch).
 */
export function ErrorBanner({
  title,
  children,
  action,
  onRetry,
  retrying = false,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  onRetry?: () => void;
  retrying?: boolean;
}) {
  return (
    <div
      role="alert"
      className="mb-4 flex flex-wrap items-start justify-between gap-3 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <div className="min-w-0">
        <p className="font-semibold">{title}</p>
        {children ? <p className="mt-0.5 break-words">{children}</p> : null}
      </div>
      <div className="flex items-center gap-2">
        {action}
        {onRetry ? (
          <Button variant="danger" size="sm" onClick={onRetry} disabled={retrying}>
            {retrying ? "Retrying…" : "Retry"}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

/** A failed read's banner: what went wrong, and Retry (the query's refetch) while it is not fetching. */
export function QueryErrorBanner({
  title,
  query,
}: {
  title: string;
  query: { error: unknown; isFetching: boolean; refetch: () => unknown };
}) {
  return (
    <ErrorBanner title={title} onRetry={() => void query.refetch()} retrying={query.isFetching}>
      {describeError(query.error)}
    </ErrorBanner>
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
