"use client";
import { useCallback, useState } from "react";
import { SavedViewsMenu } from "@/components/saved-views/SavedViewsMenu";
import { Button } from "@/components/ui/Button";
import { PageTitle } from "@/components/ui/PageTitle";
import { ExportCsvLink } from "./ExportCsvLink";
import { FailureFilters } from "./FailureFilters";
import { FailureGroupsTable } from "./FailureGroupsTable";
import { FailureObjectsTable } from "./FailureObjectsTable";
import { FailureSummary } from "./FailureSummary";
import { useFailureUrl } from "./useFailureUrl";
import { NOTICE_CLASS } from "./styles";

/** The Failures page: objects that fail across runs, grouped, with drill-down to the objects. */
export function FailuresView() {
  const state = useFailureUrl();
  const { url, check, filters, setFilters } = state;
  const [groupsAnswered, setGroupsAnswered] = useState(false);
  const onGroupsAnswered = useCallback(() => setGroupsAnswered(true), []);
  return (
    <div>
      <header className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <PageTitle title="Failures">
          Objects that fail across runs: by error type, connected system and object type, since they started failing.
        </PageTitle>
        <div className="flex flex-wrap items-center gap-2">
          <SavedViewsMenu scope="Failures" />
          <ExportCsvLink query={{ ...filters, sort: url.sort, order: url.order }} disabled={!check.ok} />
        </div>
      </header>
      <FailureFilters state={state} />
      {!check.ok ? (
        <div id="fl-range-problem" role="alert" data-testid="range-problem" className={`mb-4 ${NOTICE_CLASS}`}>
          <p className="font-semibold">The time range cannot be used.</p>
          <p className="mt-0.5">{check.problem}</p>
          <Button size="sm" className="mt-2" onClick={() => setFilters({ range: null, from: null, to: null })}>
            Show the last 7 days
          </Button>
        </div>
      ) : (
        <>
          <FailureSummary filters={filters} check={check} />
          <FailureGroupsTable state={state} onAnswered={onGroupsAnswered} />
          {/* shown once the groups above have their size: they would push it down as they load */}
          <div hidden={!groupsAnswered}>
            <FailureObjectsTable state={state} />
          </div>
        </>
      )}
    </div>
  );
}
