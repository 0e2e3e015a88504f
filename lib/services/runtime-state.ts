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
  /**
   * Wakes the engine's dispatcher when this instance queues a run (no wait for the notification);
   * resolves once the dispatcher has looked at the queue.
   */
  wakeDispatcher: () => Promise<void>;
}

const g = globalThis as unknown as { __syncwatchRuntimeState?: RuntimeState };

export function runtimeState(): RuntimeState {
  return (g.__syncwatchRuntimeState ??= {
    instanceId: "unstarted",
    engineEnabled: false,
    autorun: false,
    leading: () => false,
    wakeDispatcher: async () => undefined,
  });
}

export function setRuntimeState(patch: Partial<RuntimeState>): void {
  Object.assign(runtimeState(), patch);
}
