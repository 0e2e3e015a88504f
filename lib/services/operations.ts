/** The operations queue: what runs now, what waits (in queue order), and what the scheduler fires next. */
import type { OperationsView } from "@/lib/api/operations";
import { findActiveActivities, findLatestExecutions, findQueueSlots } from "@/lib/repo/activities";
import { listSchedules } from "@/lib/repo/config";
import { demoFiringIntervalMs } from "@/lib/domain/schedule";
import type { Versioned } from "@/lib/live/answers";
import { LIST_DEPENDS } from "./activities";
import { iso, toSummary } from "./mappers";
import { runtimeState } from "./runtime-state";

export async function getOperations(): Promise<Versioned & { body: OperationsView }> {
  const [active, schedules] = await Promise.all([findActiveActivities(), listSchedules()]);
  const waiting = active.filter((a) => !a.startedAt);
  const [slots, latest] = await Promise.all([
    findQueueSlots(waiting.map((a) => a.id)),
    findLatestExecutions(schedules.map((s) => s.id)),
  ]);
  const running = active.filter((a) => a.startedAt).map((a) => toSummary(a, undefined));
  const queued = waiting
    .map((a) => toSummary(a, slots.get(a.id)))
    .sort((a, b) => (a.queue?.position ?? 0) - (b.queue?.position ?? 0) || a.created.localeCompare(b.created));
  const state = runtimeState();
  // the only scheduler is the simulated engine's, which fires on the demo's faster clock
  const firesOnItsOwn = state.engineEnabled && state.autorun;
  const upcoming = schedules
    .map((s) => {
      const last = latest.get(s.id);
      return {
        scheduleId: s.id,
        name: s.name,
        intervalMinutes: s.intervalMinutes,
        firesEverySeconds:
          firesOnItsOwn && s.enabled ? Math.round(demoFiringIntervalMs(s.intervalMinutes) / 1000) : null,
        enabled: s.enabled,
        nextRunAt: state.autorun || !state.engineEnabled ? iso(s.nextRunAt) : null,
        lastExecution: last ? { id: last.id, status: last.status, created: last.createdAt.toISOString() } : null,
      };
    })
    .sort((a, b) => (a.nextRunAt ?? "~").localeCompare(b.nextRunAt ?? "~"));
  return {
    body: {
      running,
      queued,
      upcoming,
      engine: {
        enabled: state.engineEnabled,
        autorun: state.autorun,
        scheduler: state.leading(),
        writingHistory: state.writingHistory,
      },
    },
    // the end of the history changes no activity: while it is written the answer is looked at again
    depends: state.writingHistory ? { ...LIST_DEPENDS, maxAgeMs: 2000 } : LIST_DEPENDS,
  };
}
