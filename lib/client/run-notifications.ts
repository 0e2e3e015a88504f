/**
 * Browser notifications when a watched run ends (opt-in, per run). The runs someone asked about
 * are kept in localStorage, so the request outlives a reload and every tab of the browser shares
 * it; a notification is tagged with the run's id, so tabs watching the same run show one. A page
 * must be open for the browser to notify (no push service).
 */
import type { ActivityStatus } from "@/lib/domain/enums";
import { STATUS_LABELS } from "./labels";
import { plural } from "./error-types";

const KEY = "syncwatch.notify-when-ended";
/** Watches older than this are dropped: a run that ended while no page was open never notifies. */
const KEEP_MS = 7 * 86_400_000;

export type NotifyPermission = NotificationPermission | "unsupported";

export interface EndedRun {
  id: string;
  name: string;
  status: ActivityStatus;
  totalObjectErrors: number;
}

/** How a run ended, as the live region and the notification say it: "Complete with error, 12 errors". */
export const runOutcome = (a: EndedRun) =>
  `${STATUS_LABELS[a.status]}${a.totalObjectErrors > 0 ? `, ${plural(a.totalObjectErrors, "error")}` : ""}`;

export const notificationPermission = (): NotifyPermission =>
  typeof window === "undefined" || !("Notification" in window) ? "unsupported" : Notification.permission;

type Watches = Record<string, number>;
const listeners = new Set<() => void>();

function readWatches(): Watches {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? "{}");
    if (!parsed || typeof parsed !== "object") return {};
    const now = Date.now();
    return Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).filter(
        (e): e is [string, number] => typeof e[1] === "number" && now - e[1] < KEEP_MS,
      ),
    );
  } catch {
    return {};
  }
}

function writeWatches(w: Watches) {
  try {
    localStorage.setItem(KEY, JSON.stringify(w));
  } catch {
    // storage full or blocked: the watch lasts as long as this page
  }
  for (const l of listeners) l();
}

export const isWatched = (id: string) => typeof window !== "undefined" && id in readWatches();

/** Subscribes to watch changes from this tab and from the others (the storage event). */
export function subscribeWatches(onChange: () => void): () => void {
  listeners.add(onChange);
  const onStorage = (e: StorageEvent) => e.key === KEY && onChange();
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onStorage);
  };
}

/** Watches the run, asking for permission first when the browser has not been asked; the permission after. */
export async function watchRun(id: string): Promise<NotifyPermission> {
  let permission = notificationPermission();
  if (permission === "default") permission = await Notification.requestPermission();
  if (permission === "granted") writeWatches({ ...readWatches(), [id]: Date.now() });
  return permission;
}

export function unwatchRun(id: string) {
  const { [id]: _dropped, ...rest } = readWatches();
  writeWatches(rest);
}

/** Shows the notification when the run was watched (once: the watch ends with it). */
export function notifyIfWatched(a: EndedRun): boolean {
  if (!isWatched(a.id) || notificationPermission() !== "granted") return false;
  unwatchRun(a.id);
  const n = new Notification(`${a.name} ended`, {
    body: `${runOutcome(a)}.`,
    tag: `syncwatch-run-${a.id}`,
  });
  n.onclick = () => {
    window.focus();
    n.close();
  };
  return true;
}
