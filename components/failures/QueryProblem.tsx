"use client";
import { Button } from "@/components/ui/Button";
import { QueryErrorBanner } from "@/components/ui/ErrorBanner";
import { ApiError } from "@/lib/client/http";
import { NOTICE_CLASS } from "./styles";

/** The fields a 400 answer names, as "from: must not be after to". */
function fieldProblems(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d) => {
    if (!d || typeof d !== "object") return [];
    const { path, message } = d as { path?: unknown; message?: unknown };
    if (typeof message !== "string") return [];
    const where = Array.isArray(path) ? path.join(".") : typeof path === "string" ? path : "";
    return [where ? `${where}: ${message}` : message];
  });
}

/**
 * What went wrong with a read (nothing while it has not failed). A refused request (400: the link's
 * filters) is a clear inline message with a way out; anything else is an error banner with Retry.
 */
export function QueryProblem({
  query,
  what,
  onReset,
}: {
  query: { isError: boolean; error: unknown; isFetching: boolean; refetch: () => unknown };
  what: string;
  onReset?: () => void;
}) {
  if (!query.isError) return null;
  const { error } = query;
  if (ApiError.is(error, "BAD_REQUEST")) {
    const problems = fieldProblems(error.details);
    return (
      <div role="alert" data-testid="filter-problem" className={`mb-4 ${NOTICE_CLASS}`}>
        <p className="font-semibold">The filters in this link cannot be used.</p>
        <p className="mt-0.5">{problems.length ? problems.join("; ") : error.message}</p>
        {onReset ? (
          <Button size="sm" className="mt-2" onClick={onReset}>
            Clear the filters
          </Button>
        ) : null}
      </div>
    );
  }
  return <QueryErrorBanner title={`Could not load ${what}`} query={query} />;
}
