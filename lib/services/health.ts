import { getConfig } from "@/lib/config";
import { changeSignalHealthy } from "@/lib/live/signal";
import { pingStore } from "@/lib/repo/instances";
import { runtimeState } from "./runtime-state";

/** Healthy when the store answers a query. */
export async function getHealth() {
  await pingStore();
  const state = runtimeState();
  return {
    status: "ok" as const,
    store: getConfig().store.kind === "pglite" ? ("embedded" as const) : ("postgresql" as const),
    instanceId: state.instanceId,
    scheduler: state.scheduler,
    engine: state.engineEnabled,
    changeSignal: changeSignalHealthy(),
  };
}
