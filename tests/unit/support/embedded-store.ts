/**
 * Imported first by tests that need a real embedded store: points SYNCWATCH_DATA_DIR at a fresh
 * temporary folder before anything reads the configuration (getConfig() parses process.env once
 * and keeps the result on globalThis). Each test file runs in its own worker, so its own store.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), "syncwatch-unit-store-"));
process.env.SYNCWATCH_DATA_DIR = path.join(tempRoot, "store");
for (const name of ["DATABASE_URL", "SYNCWATCH_ADMIN_API_KEY", "SYNCWATCH_HEARTBEAT_TIMEOUT_MINUTES"])
  delete process.env[name];

/** Closes the store of this worker and removes its folder. */
export async function removeStore(): Promise<void> {
  const { closeDatabase } = await import("@/lib/db/client");
  await closeDatabase();
  fs.rmSync(tempRoot, { recursive: true, force: true });
}
