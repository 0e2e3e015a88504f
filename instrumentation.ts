// Runs once when the Next.js server starts: open and migrate the store, make sure an
// administrator key exists, then start the run engine (unless SYNCWATCH_ENGINE=off).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerRuntime } = await import("@/lib/server-runtime");
  await startServerRuntime();
}
