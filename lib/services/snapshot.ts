/**
 * The live snapshot: everything a watcher of one activity needs, from one read of its row — the
 * detail, the progress, the samples after a moment and, for a schedule execution, every planned
 * step (so a schedule's page never shows its header and its steps at two different moments).
 */
import type { LiveSnapshot } from "@/lib/api/live";
import type { Versioned } from "@/lib/live/answers";
import { findSamplesAfter } from "@/lib/repo/activities";
import { dependsOn, queuedSlot, requireRow } from "./activities";
import { toDetail, toSample } from "./mappers";
import { progressOf } from "./progress";
import { executionOf } from "./schedule-executions";

const SNAPSHOT_SAMPLES = 200;

export async function getSnapshot(
  id: string,
  samplesAfter: string | undefined,
): Promise<Versioned & { body: LiveSnapshot }> {
  const row = await requireRow(id);
  const slot = await queuedSlot(row);
  const [schedule, samples] = await Promise.all([
    row.targetType === "Schedule" ? executionOf(row, slot) : Promise.resolve(null),
    samplesAfter ? findSamplesAfter(id, new Date(samplesAfter), SNAPSHOT_SAMPLES + 1) : Promise.resolve([]),
  ]);
  const execution = schedule?.body ?? null;
  const progress = execution ? execution.progress : await progressOf(row, slot);
  // a schedule's steps are set against the previous execution's: its changes change this answer too
  const depends = dependsOn(schedule?.previous ? [row, schedule.previous] : [row]);
  return {
    body: {
      activity: toDetail(row, slot),
      progress,
      newSamples: samples.slice(0, SNAPSHOT_SAMPLES).map(toSample),
      moreSamples: samples.length > SNAPSHOT_SAMPLES,
      scheduleExecution: execution,
    },
    depends: { ...depends, anyChange: depends.anyChange || !!execution?.steps.some((s) => s.queue !== null) },
  };
}
