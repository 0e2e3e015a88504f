/**
 * The last resort against a process that hangs with its event loop blocked (the embedded store
 * spinning in WebAssembly: no request, timer or signal handler runs again, SIGTERM included). The
 * main thread stamps a shared clock every second; a worker thread that does not share the event
 * loop checks it and, after `limitMs` without a stamp, writes why to stderr and kills the process
 * (SIGKILL: nothing else would run), so a supervisor restarts it instead of waiting on a process
 * that answers nothing. A pause of the whole process (SIGSTOP, a suspended VM) stops the worker
 * too; it notices its own gap and does not count it.
 */
import { Worker } from "node:worker_threads";

const STAMP_MS = 1000;

const WORKER = `
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const stamps = new Float64Array(workerData.buffer);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let last = Date.now();
for (;;) {
  Atomics.wait(sleeper, 0, 0, 1000);
  const now = Date.now();
  // The worker itself was stopped (SIGSTOP, suspend): the main thread's silence meanwhile is not a hang.
  if (now - last > 5000) stamps[0] = now;
  last = now;
  if (now - stamps[0] > workerData.limitMs) {
    fs.writeSync(2, "[syncwatch] watchdog: the event loop has not run for " + Math.round((now - stamps[0]) / 1000) +
      " s (the embedded store is stuck); killing the process so that it can be restarted\\n");
    process.kill(process.pid, "SIGKILL");
  }
}
`;

export function startWatchdog(limitMs: number): () => void {
  const buffer = new SharedArrayBuffer(8);
  const stamps = new Float64Array(buffer);
  stamps[0] = Date.now();
  const timer = setInterval(() => (stamps[0] = Date.now()), STAMP_MS);
  timer.unref();
  const worker = new Worker(WORKER, { eval: true, workerData: { buffer, limitMs } });
  worker.unref();
  worker.on("error", (e) => console.warn(`[syncwatch] watchdog stopped: ${e.message}`));
  return () => {
    clearInterval(timer);
    void worker.terminate();
  };
}
