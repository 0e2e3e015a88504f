import type { TriggerResult } from "@/lib/api/schemas";
import { getEngine } from "@/lib/engine";
import { ServiceUnavailableError } from "@/lib/domain/errors";
import type { InitiatedBy } from "@/lib/domain/recorder";
import { findActivityHeader } from "@/lib/repo/activities";

function requireEngine() {
  const engine = getEngine();
  if (!engine)
    throw new ServiceUnavailableError("The run engine is switched off on this server (SYNCWATCH_ENGINE=off).");
  return engine;
}

async function result(activityId: string): Promise<TriggerResult> {
  const a = await findActivityHeader(activityId);
  return { activityId, status: a?.status ?? "InProgress", location: `/api/v1/activities/${activityId}` };
}

/** Starts a run profile now; the engine throws NotFoundError for unknown ids (→ 404). */
export async function triggerRunProfile(
  connectedSystemId: number,
  runProfileId: number,
  initiatedBy: InitiatedBy,
): Promise<TriggerResult> {
  const { activityId } = await requireEngine().triggerRunProfile(connectedSystemId, runProfileId, initiatedBy);
  return result(activityId);
}

export async function triggerSchedule(scheduleId: number, initiatedBy: InitiatedBy): Promise<TriggerResult> {
  const { activityId } = await requireEngine().triggerSchedule(scheduleId, initiatedBy);
  return result(activityId);
}
