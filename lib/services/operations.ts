/** The operations queue: what runs now, what waits (in queue order), and what the scheduler fires next. */
import type { OperationsView } from "@/lib/api/schemas";
import { findActiveActivities, findLatestExecutions, findQueueSlots } from "@/lib/repo/activities";
import { listSchedules } from "@/lib/repo/config";
import { iso, toSummary } from "./mappers";
import { runtimeState } from "./runtime-state";

export async function getOperations(): Promise<{ body: OperationsView; fingerprint: unknown[] }> {
  const [active, schedules] = await Promise.all([findActiveActivities(), listSchedules()]);
  const waiting = active.filter((a) => !a.startedAt);
  const [slots, latest] = await Promise.all([
    findQueueSlots(waiting.map((a) => a.id)),
    findLatestExecutions(schedules.map((s) => s.id)),
  ]);
  const now = Date.now();
  const running = active.filter((a) => a.startedAt).map((a) => toSummary(a, undefined, now));
  const queued = waiting
    .map((a) => toSummary(a, slots.get(a.id), now))
    .sort((a, b) => (a.queue?.position ?? 0) - (b.queue?.position ?? 0) || a.created.localeCompare(b.created));
  const upcoming = schedules
    .map((s) => {
      const last = latest.get(s.id);
      return {
        scheduleId: s.id,
        name: s.name,
        intervalMinutes: s.intervalMinutes,
        enabled: s.enabled,
        nextRunAt: runtimeState().autorun || !runtimeState().engineEnabled ? iso(s.nextRunAt) : null,
        lastExecution: last ? { id: last.id, status: last.status, created: last.createdAt.toISOString() } : null,
      };
    })
    .sort((a, b) => (a.nextRunAt ?? "~").localeCompare(b.nextRunAt ?? "~"));
  const state = runtimeState();
  return {
    body: {
      running,
      queued,
      upcoming,
      engine: { enabled: state.engineEnabled, autorun: state.autorun, scheduler: state.leading() },
    },
    fingerprint: [
      active.map((a) => [a.id, a.version]),
      upcoming.map((u) => [u.scheduleId, u.nextRunAt, u.lastExecution?.id]),
      state.leading(),
    ],
  };
}
