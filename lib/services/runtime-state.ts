/**
 * What this server process is doing, as the server runtime sets it at start: its instance id,
 * whether it runs the engine and holds the scheduler lease. Read by the services that report it.
 */
export interface RuntimeState {
  instanceId: string;
  engineEnabled: boolean;
  autorun: boolean;
  /** Whether this instance holds the scheduler lease now (and its term has not run out). */
  leading: () => boolean;
  /** The engine is writing the demo history (runs and schedule timers wait for it). */
  writingHistory: boolean;
  /**
   * Wakes the engine's dispatcher when this instance queues a run (no wait for the notification);
   * resolves once the dispatcher has looked at the queue.
   */
  wakeDispatcher: () => Promise<void>;
}

import { noteRuntimeChange } from "@/lib/live/signal";

const g = globalThis as unknown as { __syncwatchRuntimeState?: RuntimeState };

export function runtimeState(): RuntimeState {
  return (g.__syncwatchRuntimeState ??= {
    instanceId: "unstarted",
    engineEnabled: false,
    autorun: false,
    leading: () => false,
    writingHistory: false,
    wakeDispatcher: async () => undefined,
  });
}

export function setRuntimeState(patch: Partial<RuntimeState>): void {
  Object.assign(runtimeState(), patch);
  // The operations view shows the engine's state: its watchers read it again.
  if ("scheduler" in patch || "engineEnabled" in patch || "autorun" in patch) noteRuntimeChange();
}
