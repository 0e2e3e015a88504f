import { getDatabase } from "@/lib/db/client";
import { ensureBootstrapAdminKey } from "@/lib/services/bootstrap";
import { startRetentionJob } from "@/lib/services/retention";
import { startEngine } from "@/lib/engine";

const slot = globalThis as unknown as { __syncwatchRuntime?: Promise<void> };

/** Server start-up, once per process: store, administrator key, retention, run engine. */
export function startServerRuntime(): Promise<void> {
  slot.__syncwatchRuntime ??= (async () => {
    const db = await getDatabase();
    const where =
      db.store.kind === "postgres" ? "PostgreSQL server (DATABASE_URL)" : `embedded PGlite at ${db.store.dataDir}`;
    console.log(`[syncwatch] store ready: ${where}`);
    const admin = await ensureBootstrapAdminKey();
    const origin = `http://localhost:${process.env.PORT ?? "3000"}`;
    if (admin.secret) {
      console.log(`[syncwatch] administrator API key${admin.created ? " (new)" : ""}: ${admin.secret}`);
      console.log(`[syncwatch] sign in: ${origin}/sign-in#key=${encodeURIComponent(admin.secret)}`);
    } else {
      console.log(`[syncwatch] sign in at ${origin}/sign-in with an API key`);
    }
    startRetentionJob();
    const engine = await startEngine();
    console.log(engine ? "[syncwatch] run engine started" : "[syncwatch] run engine off (SYNCWATCH_ENGINE=off)");
  })().catch((error) => {
    slot.__syncwatchRuntime = undefined;
    console.error("[syncwatch] start-up failed:", error);
    throw error;
  });
  return slot.__syncwatchRuntime;
}
