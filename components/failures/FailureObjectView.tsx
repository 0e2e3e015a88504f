"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { QueryErrorBanner } from "@/components/ui/ErrorBanner";
import { SkeletonBar } from "@/components/ui/Skeleton";
import type { FailureObjectDetail } from "@/lib/api/failures";
import { formatDateTime, formatInt } from "@/lib/client/format";
import { ApiError } from "@/lib/client/http";
import { errorTypeHelp } from "@/lib/client/error-types";
import { queries } from "@/lib/client/resources";
import { ErrorTypeText } from "./ErrorTypeText";
import { FailureStateBadge } from "./FailureStateBadge";
import { failureList } from "./failure-params";
import { FACTS_CLASS, LAST_ERROR_CLASS, NOTICE_CLASS, TIMELINE_DOT_CLASS } from "./styles";
import { When } from "./When";

const linkClass = "text-blue-800 hover:underline dark:text-blue-300";
type StoryRun = FailureObjectDetail["runs"][number];
/** How the timeline names a run of the story: it failed the object, recovered it, or processed it without an error. */
type StoryKind = "Failed" | "Recovered" | "Succeeded";
const kindOf = (r: StoryRun): StoryKind =>
  r.outcome === "Failed" ? "Failed" : r.recovered ? "Recovered" : "Succeeded";
const KIND_TITLE: Record<StoryKind, string> = {
  Failed: "Failed",
  Recovered: "Succeeded: recovered",
  Succeeded: "Succeeded",
};
const DOT_CLASS: Record<StoryKind, string> = {
  Failed: "bg-red-700 text-white dark:bg-red-400 dark:text-slate-950",
  Recovered: "bg-emerald-700 text-white dark:bg-emerald-400 dark:text-slate-950",
  // a success that ended nothing: the same check, outlined
  Succeeded:
    "border-2 border-emerald-700 bg-white text-emerald-800 dark:border-emerald-400 dark:bg-slate-950 dark:text-emerald-300",
};

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

function RunLink({ r }: { r: StoryRun }) {
  if (!r.activityExists)
    return (
      <span className="text-slate-600 dark:text-slate-400">
        {r.activityName} <span className="italic">(removed by retention)</span>
      </span>
    );
  return (
    <Link
      href={`/activities/${r.activityId}`}
      className="text-blue-800 underline underline-offset-2 dark:text-blue-300"
      data-testid="history-run-link"
    >
      {r.activityName}
    </Link>
  );
}

/** "New: it began failing in this run" or "Recurring: failure 3 of a streak that began …" (as of that run). */
function StreakNote({ r }: { r: StoryRun }) {
  if (r.streak === null) return null;
  return (
    <p className="mt-1 text-xs font-medium text-slate-700 dark:text-slate-300" data-testid="history-streak">
      {r.streak === 1
        ? "New: it began failing in this run"
        : `Recurring: failure ${formatInt(r.streak)} of a streak that began ${formatDateTime(r.firstOccurred)}`}
    </p>
  );
}

/** The object's story, newest first: the runs that failed it, recovered it, and processed it fine in between. */
function Timeline({ runs }: { runs: StoryRun[] }) {
  if (runs.length === 0) return <p className="text-sm">No runs are recorded for this object.</p>;
  return (
    <ol className="relative space-y-3 border-l-2 border-slate-200 pl-5 dark:border-slate-700" data-testid="history">
      {runs.map((r) => {
        const kind = kindOf(r);
        return (
          <li key={r.activityId} className="relative" data-testid="history-entry" data-kind={kind}>
            <span aria-hidden="true" className={`${TIMELINE_DOT_CLASS} ${DOT_CLASS[kind]}`}>
              <svg viewBox="0 0 16 16" className="h-3 w-3" fill="none" stroke="currentColor" strokeWidth={2.5}>
                {kind === "Failed" ? <path d="M5 5l6 6M11 5l-6 6" /> : <path d="M3.5 8.5l3 3 6-6" />}
              </svg>
            </span>
            <div className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800">
              <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
                <p className="font-semibold">
                  {KIND_TITLE[kind]}
                  <span className="font-normal"> in </span>
                  <RunLink r={r} />
                </p>
                <When iso={r.at} inline />
              </div>
              {kind === "Failed" ? (
                <div className="mt-1">
                  {r.errorType ? <ErrorTypeText type={r.errorType} /> : null}
                  {r.errorMessage ? (
                    <p className="break-words text-slate-700 dark:text-slate-300" data-testid="history-error">
                      {r.errorMessage}
                    </p>
                  ) : null}
                  <StreakNote r={r} />
                </div>
              ) : (
                <p className="mt-1 text-slate-700 dark:text-slate-300">
                  {kind === "Recovered"
                    ? "The object was processed without an error: its failure ended here."
                    : "The object was processed without an error."}
                </p>
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
            <QueryErrorBanner title="Could not load the object's history" query={q} />
          </div>
        )}
      </div>
    );
  }
  const o = q.data;
  const name = o.displayName ?? o.externalIdValue ?? "Unnamed object";
  const failures = o.runs.filter((r) => r.outcome === "Failed").length;
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

      <section aria-labelledby="history-title" className="mt-6" data-testid="object-story">
        <h2 id="history-title" className="mb-3 text-lg font-semibold">
          Its story across runs{" "}
          <span className="text-sm font-normal text-slate-600 dark:text-slate-400" data-testid="story-summary">
            ({formatInt(failures)} failed, {formatInt(o.runs.length - failures)} succeeded, newest first
            {o.history.length >= 200 ? "; the latest 200 failures and recoveries" : ""})
          </span>
        </h2>
        <Timeline runs={o.runs} />
        <p className="mt-3 text-xs text-slate-600 dark:text-slate-400">
          Failures and recoveries are kept for the retention window; the other runs that processed the object show while
          their items are kept.
        </p>
      </section>
    </div>
  );
}
