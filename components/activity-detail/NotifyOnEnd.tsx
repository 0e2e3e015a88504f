"use client";
import { memo, useState, useSyncExternalStore } from "react";
import type { ActivityDetail } from "@/lib/api/activities";
import {
  isWatched,
  notificationPermission,
  subscribeWatches,
  unwatchRun,
  watchRun,
  type NotifyPermission,
} from "@/lib/client/run-notifications";
import { Button } from "@/components/ui/Button";

const noSubscription = () => () => undefined;

function BellIcon({ ringing }: { ringing: boolean }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill={ringing ? "currentColor" : "none"}>
      <path
        d="M10 2.5a5 5 0 0 0-5 5v3.2L3.5 13.5h13L15 10.7V7.5a5 5 0 0 0-5-5ZM8 15.5a2 2 0 0 0 4 0"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/**
 * "Notify me when it ends" on a running activity: a browser notification with the outcome when
 * it ends, while a Syncwatch page is open (any tab). Pressed again, it stops. Left out where the
 * browser has no notifications; said blocked when the person refused them.
 */
export function NotifyOnEnd({ activity: a }: { activity: ActivityDetail }) {
  return <NotifyButton id={a.id} running={a.status === "InProgress"} />;
}

/**
 * Drawn again only when the run's id or status changes, not for each pushed snapshot: reading the
 * browser's notification permission (on every render, twice by useSyncExternalStore) is a
 * synchronous call into the browser that cost a few ms a snapshot.
 */
const NotifyButton = memo(function NotifyButton({ id, running }: { id: string; running: boolean }) {
  const watched = useSyncExternalStore(
    subscribeWatches,
    () => isWatched(id),
    () => false,
  );
  const supported = useSyncExternalStore(
    noSubscription,
    () => notificationPermission() !== "unsupported",
    () => false,
  );
  const [permission, setPermission] = useState<NotifyPermission | null>(null);
  if (!running || !supported) return null;
  const blocked = (permission ?? notificationPermission()) === "denied";
  if (blocked)
    return (
      <Button disabled title="Notifications from this site are blocked in the browser's settings">
        Notifications blocked
      </Button>
    );
  return (
    <Button
      aria-pressed={watched}
      className={
        watched
          ? "border-blue-600 bg-blue-50 text-blue-900 dark:border-blue-400 dark:bg-blue-950 dark:text-blue-100"
          : ""
      }
      onClick={async () => {
        if (watched) unwatchRun(id);
        else setPermission(await watchRun(id));
      }}
      title={watched ? "Stop the notification" : "A browser notification with the outcome when this run ends"}
    >
      <BellIcon ringing={watched} />
      {watched ? "Notifying when it ends" : "Notify me when it ends"}
    </Button>
  );
});
