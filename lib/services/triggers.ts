/**
 * Running a run profile or a schedule on request: the run is queued in its lane (one run per
 * connected system, one execution per schedule) and started by whichever instance holds the
 * scheduler lease, so a trigger runs once whatever instance receives it. A run of the same target
 * that is already queued is returned instead of a second one.
 */
import type { TriggerResult } from "@/lib/api/activities";
import type { InitiatedBy } from "@/lib/domain/activity";
import { NotFoundError, ServiceUnavailableError } from "@/lib/domain/errors";
import { findActivityHeader, findBusyLanes, findQueueSlots } from "@/lib/repo/activities";
import { findRunProfile, findSchedule } from "@/lib/repo/config";
import { activityRecorder } from "./recorder";
import { runtimeState } from "./runtime-state";

const DISPATCH_WAIT_MS = 1000;

export const laneOfSystem = (connectedSystemId: number) => `cs:${connectedSystemId}`;
export const laneOfSchedule = (scheduleId: number) => `schedule:${scheduleId}`;
export const runName = (t: { connectedSystemName: string; runProfileName: string }) =>
  `${t.connectedSystemName}: ${t.runProfileName}`;

function requireEngine() {
  if (!runtimeState().engineEnabled)
    throw new ServiceUnavailableError("The run engine is switched off on this server (SYNCWATCH_ENGINE=off).");
}

/**
 * Lets this instance's dispatcher start the run before answering, so the answer says whether it
 * started or waits; bounded, because the dispatcher holds while the demo history is written.
 */
async function dispatched(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, DISPATCH_WAIT_MS)));
  await Promise.race([
    runtimeState()
      .wakeDispatcher()
      .catch(() => undefined),
    bound,
  ]);
  clearTimeout(timer);
}

async function result(activityId: string, lane: string, deduplicated: boolean): Promise<TriggerResult> {
  const [a, slots, busy] = await Promise.all([
    findActivityHeader(activityId),
    findQueueSlots([activityId]),
    findBusyLanes(),
  ]);
  const slot = slots.get(activityId);
  // First in a free lane, it starts at once: that is not waiting, so it has no place in a queue.
  const queued = slot !== undefined && (busy.has(lane) || slot.position > 1);
  return {
    activityId,
    status: a?.status ?? "InProgress",
    queued,
    queuePosition: queued ? slot.position : null,
    deduplicated,
    location: `/api/v1/activities/${activityId}`,
  };
}

export async function triggerRunProfile(
  connectedSystemId: number,
  runProfileId: number,
  by: InitiatedBy,
): Promise<TriggerResult> {
  requireEngine();
  const rp = await findRunProfile(runProfileId);
  if (!rp || rp.connectedSystemId !== connectedSystemId)
    throw new NotFoundError(`Run profile ${runProfileId} does not exist on connected system ${connectedSystemId}.`, {
      connectedSystemId,
      runProfileId,
    });
  const lane = laneOfSystem(connectedSystemId);
  const { id, deduplicated } = await activityRecorder.create(
    {
      name: runName({ connectedSystemName: rp.connectedSystem.name, runProfileName: rp.name }),
      targetType: "ConnectedSystemRunProfile",
      connectedSystemId,
      runProfileId,
      message: "Queued",
    },
    by,
    { queue: { key: lane, dedupe: true } },
  );
  await dispatched();
  return result(id, lane, deduplicated);
}

export async function triggerSchedule(scheduleId: number, by: InitiatedBy): Promise<TriggerResult> {
  requireEngine();
  const schedule = await findSchedule(scheduleId);
  if (!schedule) throw new NotFoundError(`Schedule ${scheduleId} does not exist.`, { scheduleId });
  const lane = laneOfSchedule(scheduleId);
  const initiator = by.type === "System" ? { ...by, id: by.id ?? String(scheduleId) } : by;
  const { id, deduplicated } = await activityRecorder.create(
    { name: schedule.name, targetType: "Schedule", scheduleId, message: "Queued" },
    initiator,
    { queue: { key: lane, dedupe: true } },
  );
  await dispatched();
  return result(id, lane, deduplicated);
}
