// Runs once when the Next.js server starts: configuration, store, change signal, administrator
// key, scheduler lease and run engine (lib/server/runtime.ts). A start-up that fails ends the
// process with status 1, so a supervisor notices instead of a server that answers 500; a full
// store is the exception (reads are served and writes refused with 507 until there is room).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startOrExit } = await import("@/lib/server/runtime");
  await startOrExit();
}
