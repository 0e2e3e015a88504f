"use client";
import { endpoints } from "@/lib/client/endpoints";
import type { OperationsView as OperationsData } from "@/lib/api/operations";
import { useLiveQuery } from "@/lib/client/live";
import { keys } from "@/lib/client/resources";
import { QueryErrorBanner } from "@/components/ui/ErrorBanner";
import { PageTitle } from "@/components/ui/PageTitle";
import { SkeletonBar } from "@/components/ui/Skeleton";
import { useIsAdmin } from "@/components/shell/session";
import { QueuedByLane } from "./QueuedByLane";
import { RunningNow } from "./RunningNow";
import { ScheduledNext } from "./ScheduledNext";
import { TriggerRunProfile } from "./TriggerRunProfile";

const NO_QUERY = {};

function engineSummary(e: OperationsData["engine"]): string {
  if (!e.enabled) return "No engine on this server";
  if (e.writingHistory)
    return "The engine is writing a week of demo history; runs start, and schedules fire, once it is done";
  return `The engine runs on this server; ${e.autorun ? "schedules fire on their own" : "schedules fire only when started"}`;
}

/** Operations: what runs now, what waits (and behind what), what fires next — live by long polling. */
export function OperationsView() {
  const admin = useIsAdmin() ?? false;
  const ops = useLiveQuery(endpoints.getOperations, keys.operations, NO_QUERY);
  const data = ops.data;
  const busySchedules = new Set(
    [...(data?.running ?? []), ...(data?.queued ?? [])]
      .filter((a) => a.targetType === "Schedule" && a.scheduleId !== null)
      .map((a) => a.scheduleId as number),
  );
  return (
    <div>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-3">
        <PageTitle title="Operations">{data ? `${engineSummary(data.engine)} · live` : "\u00a0"}</PageTitle>
        {admin && data?.engine.enabled ? <TriggerRunProfile busy={[...data.running, ...data.queued]} /> : null}
      </div>
      {ops.isError ? (
        <QueryErrorBanner
          title={data ? "Cannot refresh operations — showing the last data received" : "Operations could not be loaded"}
          query={ops}
        />
      ) : null}
      {!data ? (
        ops.isPending ? (
          <div className="space-y-3" aria-busy="true">
            <SkeletonBar className="h-24 w-full" />
            <SkeletonBar className="h-24 w-full" />
          </div>
        ) : null
      ) : (
        <>
          <RunningNow running={data.running} admin={admin} />
          <QueuedByLane queued={data.queued} admin={admin} />
          <ScheduledNext
            upcoming={data.upcoming}
            autorun={data.engine.autorun}
            writingHistory={data.engine.writingHistory}
            admin={admin && data.engine.enabled}
            busySchedules={busySchedules}
          />
        </>
      )}
    </div>
  );
}
