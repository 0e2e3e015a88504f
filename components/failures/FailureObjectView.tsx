"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/Button";
import { ErrorBanner } from "@/components/ui/ErrorBanner";
import { SkeletonBar } from "@/components/ui/Skeleton";
import type { FailureObjectDetail } from "@/lib/api/failures";
import { formatInt } from "@/lib/client/format";
import { ApiError, describeError } from "@/lib/client/http";
import { errorTypeHelp } from "@/lib/client/error-types";
import { queries } from "@/lib/client/resources";
import { ErrorTypeText } from "./ErrorTypeText";
import { FailureStateBadge } from "./FailureStateBadge";
import { failureList } from "./failure-params";
import { FACTS_CLASS, LAST_ERROR_CLASS, NOTICE_CLASS, TIMELINE_DOT_CLASS } from "./styles";
import { When } from "./When";

const linkClass = "text-blue-800 hover:underline dark:text-blue-300";
type HistoryEntry = FailureObjectDetail["history"][number];

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="mt-0.5">{children}</dd>
    </div>
  );
}

function BackLink() {
  return (
    <Link href="/failures" className={`text-sm ${linkClass}`}>
      ← Failures
    </Link>
  );
}

function RunLink({ e }: { e: HistoryEntry }) {
  if (!e.activityExists)
    return (
      <span className="text-slate-600 dark:text-slate-400">
        {e.activityName} <span className="italic">(removed by retention)</span>
      </span>
    );
  return (
    <Link
      href={`/activities/${e.activityId}`}
      className="text-blue-800 underline underline-offset-2 dark:text-blue-300"
      data-testid="history-run-link"
    >
      {e.activityName}
    </Link>
  );
}

function Timeline({ history }: { history: HistoryEntry[] }) {
  if (history.length === 0) return <p className="text-sm">No runs are recorded for this object.</p>;
  return (
    <ol className="relative space-y-3 border-l-2 border-slate-200 pl-5 dark:border-slate-700" data-testid="history">
      {history.map((e, i) => {
        const failed = e.kind === "Failed";
        return (
          <li key={`${e.activityId}-${i}`} className="relative" data-testid="history-entry" data-kind={e.kind}>
            <span
              aria-hidden="true"
              className={`${TIMELINE_DOT_CLASS} ${
                failed ? "bg-red-700 dark:bg-red-400" : "bg-emerald-700 dark:bg-emerald-400"
              }`}
            >
              <svg
                viewBox="0 0 16 16"
                className="h-3 w-3 text-white dark:text-slate-950"
                fill="none"
                stroke="currentColor"
                strokeWidth={2.5}
              >
                {failed ? <path d="M5 5l6 6M11 5l-6 6" /> : <path d="M3.5 8.5l3 3 6-6" />}
              </svg>
            </span>
            <div className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800">
              <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
                <p className="font-semibold">
                  {failed ? "Failed" : "Succeeded: recovered"}
                  <span className="font-normal"> in </span>
                  <RunLink e={e} />
                </p>
                <When iso={e.at} inline />
              </div>
              {failed ? (
                <div className="mt-1">
                  {e.errorType ? <ErrorTypeText type={e.errorType} /> : null}
                  {e.errorMessage ? (
                    <p className="break-words text-slate-700 dark:text-slate-300" data-testid="history-error">
                      {e.errorMessage}
                    </p>
                  ) : null}
                </div>
              ) : (
                <p className="mt-1 text-slate-700 dark:text-slate-300">The object was processed without an error.</p>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading the object's history">
      <SkeletonBar className="h-7 w-72" />
      <SkeletonBar className="mt-3 h-4 w-96 max-w-full" />
      <div className="mt-6 grid grid-cols-2 gap-4 md:grid-cols-4">
        {Array.from({ length: 8 }, (_, i) => (
          <SkeletonBar key={i} className="h-10" />
        ))}
      </div>
      <SkeletonBar className="mt-8 h-24" />
      <SkeletonBar className="mt-3 h-24" />
    </div>
  );
}

/** One failed object: what it is, its state, and every run it failed or recovered in. */
export function FailureObjectView({ id }: { id: string }) {
  const q = useQuery(queries.failureObject(id));
  if (q.isPending) return <Loading />;
  if (q.isError) {
    const e = q.error;
    const notFound = ApiError.is(e, "NOT_FOUND");
    const badId = ApiError.is(e, "BAD_REQUEST");
    return (
      <div>
        <BackLink />
        <h1 className="mt-2 text-2xl font-semibold">Failed object</h1>
        {notFound || badId ? (
          <p className={`mt-4 ${NOTICE_CLASS}`} role="alert" data-testid="object-problem">
            {notFound
              ? "No failure record has this id: it may have been removed by retention."
              : `“${id}” is not the id of a failure record.`}{" "}
            <Link href="/failures" className="font-medium underline">
              See all failures
            </Link>
          </p>
        ) : (
          <div className="mt-4">
            <ErrorBanner
              title="Could not load the object's history"
              action={
                <Button size="sm" onClick={() => q.refetch()}>
                  Retry
                </Button>
              }
            >
              {describeError(e)}
            </ErrorBanner>
          </div>
        )}
      </div>
    );
  }
  const o = q.data;
  const name = o.displayName ?? o.externalIdValue ?? "Unnamed object";
  const failures = o.history.filter((h) => h.kind === "Failed").length;
  const help = errorTypeHelp(o.lastErrorType);
  const sameGroup = failureList.serialize("/failures", {
    errorType: [o.lastErrorType],
    connectedSystemId: [o.connectedSystemId],
    objectType: o.objectType ? [o.objectType] : null,
    state: o.state === "Open" ? null : ["Recovered"],
  });
  return (
    <div>
      <BackLink />
      <header className="mt-2 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="break-words text-2xl font-semibold" data-testid="object-name">
            {name}
          </h1>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
            {o.objectType ?? "Object of unknown type"} in {o.connectedSystemName}
            {o.externalIdValue ? (
              <>
                {" · "}external id <span className="break-all font-mono text-xs">{o.externalIdValue}</span>
              </>
            ) : null}
          </p>
        </div>
        <FailureStateBadge state={o.state} />
      </header>

      <dl className={FACTS_CLASS}>
        <Fact label="Failing since">
          <When iso={o.firstSeen} />
        </Fact>
        <Fact label="Last seen failing">
          <When iso={o.lastSeen} />
        </Fact>
        <Fact label={o.state === "Open" ? "Runs in a row" : "Recovered"}>
          {o.state === "Open" ? (
            <span className="tabular-nums" data-testid="object-consecutive">
              {formatInt(o.consecutiveRuns)} of {o.lastRunProfileName ?? "its run profile"}
            </span>
          ) : (
            <When iso={o.recoveredAt} />
          )}
        </Fact>
        <Fact label="Runs it failed in">
          <span className="tabular-nums">{formatInt(o.totalFailures)}</span>
        </Fact>
      </dl>

      <section aria-labelledby="last-error-title" className={LAST_ERROR_CLASS}>
        <h2 id="last-error-title" className="text-base font-semibold">
          {o.state === "Open" ? "Last error" : "Last error before it recovered"}
        </h2>
        <div className="mt-1">
          <ErrorTypeText type={o.lastErrorType} />
          {o.lastErrorMessage ? <p className="mt-1 break-words">{o.lastErrorMessage}</p> : null}
        </div>
        <p className="mt-2">
          <span className="font-medium">What it means: </span>
          {help.meaning}
        </p>
        <p>
          <span className="font-medium">What usually fixes it: </span>
          {help.usualFix}
        </p>
        <p className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
          <Link href={`/activities/${o.lastActivityId}`} className="font-medium underline">
            Open the last failed run
          </Link>
          {o.recoveredActivityId ? (
            <Link href={`/activities/${o.recoveredActivityId}`} className="font-medium underline">
              Open the run it recovered in
            </Link>
          ) : null}
          <Link href={sameGroup} className="font-medium underline">
            Other objects failing the same way
          </Link>
        </p>
      </section>

      <section aria-labelledby="history-title" className="mt-6">
        <h2 id="history-title" className="mb-3 text-lg font-semibold">
          History across runs{" "}
          <span className="text-sm font-normal text-slate-600 dark:text-slate-400">
            ({formatInt(failures)} failed, newest first{o.history.length >= 200 ? "; the latest 200" : ""})
          </span>
        </h2>
        <Timeline history={o.history} />
      </section>
    </div>
  );
}
