"use client";
import { useQuery } from "@tanstack/react-query";
import { SkeletonBar } from "@/components/ui/Skeleton";
import { formatDateTime, formatInt } from "@/lib/client/format";
import type { QueryInput } from "@/lib/client/http";
import { queries } from "@/lib/client/resources";
import { rangePhrase, resolveRange, type RangeCheck } from "./failure-params";

const MAX_GROUPS = 100;

function Figure({
  value,
  plus,
  failed,
  label,
  testId,
}: {
  value?: number;
  plus?: boolean;
  failed: boolean;
  label: string;
  testId: string;
}) {
  return (
    <span className="inline-flex items-baseline gap-1" data-testid={testId}>
      {failed ? (
        <strong className="text-lg">—</strong>
      ) : value === undefined ? (
        // as tall as the figure that replaces it: the line does not grow when the counts arrive
        <strong className="text-lg">
          <SkeletonBar className="inline-block h-4 w-8 align-middle" />
        </strong>
      ) : (
        <strong className="text-lg tabular-nums" data-value={value}>
          {formatInt(value)}
          {plus ? "+" : ""}
        </strong>
      )}
      <span>{label}</span>
    </span>
  );
}

/**
 * One line over the tables: open failures, how many of them are new in the range, and how many
 * objects recovered, for the filters other than the state.
 */
export function FailureSummary({ filters, check }: { filters: QueryInput; check: RangeCheck }) {
  const base = { ...filters, state: undefined };
  const open = useQuery(
    // The headline figures are worth a full count (cached on the server like any other).
    queries.failureObjectsResolved({ ...base, state: ["Open"], page: 1, pageSize: 1, count: "exact" }, resolveRange),
  );
  const recovered = useQuery(
    queries.failureObjectsResolved(
      { ...base, state: ["Recovered"], page: 1, pageSize: 1, count: "exact" },
      resolveRange,
    ),
  );
  const groups = useQuery(
    queries.failureGroupsResolved({ ...base, state: ["Open"], page: 1, pageSize: MAX_GROUPS }, resolveRange),
  );
  const newObjects = groups.data?.items.reduce((n, g) => n + g.newObjects, 0);
  const failed = open.isError || recovered.isError || groups.isError;
  return (
    <p
      className="mb-4 flex flex-wrap items-baseline gap-x-5 gap-y-1 text-sm text-slate-800 dark:text-slate-200"
      data-testid="failure-summary"
      aria-live="polite"
    >
      <Figure
        value={open.data?.totalCount ?? undefined}
        failed={open.isError}
        label="open failures"
        testId="summary-open"
      />
      <Figure
        value={newObjects}
        plus={(groups.data?.totalCount ?? 0) > MAX_GROUPS}
        failed={groups.isError}
        label="new"
        testId="summary-new"
      />
      <Figure
        value={recovered.data?.totalCount ?? undefined}
        failed={recovered.isError}
        label="recovered"
        testId="summary-recovered"
      />
      <span className="text-slate-600 dark:text-slate-400">
        objects last seen failing {rangePhrase(check, formatDateTime)}
        {failed ? " (some counts could not be loaded)" : ""}
      </span>
    </p>
  );
}
