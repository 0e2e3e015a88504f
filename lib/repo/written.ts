/**
 * Where writes tell this process, at once, which activities they changed (before the database's
 * notification arrives): the change signal (lib/live/signal.ts) subscribes at start-up. The
 * repository knows nothing of who listens, so it depends on no layer above it.
 */
export interface WrittenActivity {
  id: string;
  version: number;
  status: string;
  parentActivityId: string | null;
  totalObjectErrors: number;
}

type Listener = (rows: WrittenActivity[]) => void;

// On globalThis: Next may load this module once for the runtime and once for the routes.
const g = globalThis as unknown as { __syncwatchWritten?: Set<Listener> };
const listeners = (g.__syncwatchWritten ??= new Set());

export function onActivitiesWritten(fn: Listener): void {
  listeners.add(fn);
}

/** Called by every write with the rows its statement returned (RETURNING). */
export function reportWritten(rows: WrittenActivity[]): void {
  if (rows.length === 0) return;
  for (const fn of listeners) fn(rows);
}
