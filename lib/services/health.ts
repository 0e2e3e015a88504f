import { getConfig } from "@/lib/config";
import { ServiceUnavailableError } from "@/lib/domain/errors";
import { changeSignalHealthy } from "@/lib/live/signal";
import { storeHealth } from "@/lib/repo/instances";
import { runtimeState } from "./runtime-state";

const STORE_WORDS = {
  unavailable: "The store is down (not reachable)",
  full: "The store is full (no room for writes; reads still work)",
};

/** Healthy when the store answers and has room for writes; otherwise 503 saying which and why. */
export async function getHealth() {
  const store = await storeHealth();
  if (store.state !== "ok")
    throw new ServiceUnavailableError(
      `${STORE_WORDS[store.state]}: ${store.reason ?? "no reason given"}.`,
      { store: store.state, reason: store.reason ?? null },
      5,
    );
  const state = runtimeState();
  return {
    status: "ok" as const,
    store: getConfig().store.kind === "pglite" ? ("embedded" as const) : ("postgresql" as const),
    instanceId: state.instanceId,
    scheduler: state.leading(),
    engine: state.engineEnabled,
    changeSignal: changeSignalHealthy(),
  };
}
