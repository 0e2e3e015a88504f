"use client";
import { useState, useSyncExternalStore } from "react";
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

/**
 * "Notify me when it ends" on a running activity: a browser notification with the outcome when
 * it ends, while a Syncwatch page is open (any tab). Pressed again, it stops. Left out where the
 * browser has no notifications; said blocked when the person refused them.
 */
export function NotifyOnEnd({ activity: a }: { activity: ActivityDetail }) {
  const watched = useSyncExternalStore(
    subscribeWatches,
    () => isWatched(a.id),
    () => false,
  );
  const supported = useSyncExternalStore(
    noSubscription,
    () => notificationPermission() !== "unsupported",
    () => false,
  );
  const [permission, setPermission] = useState<NotifyPermission | null>(null);
  if (a.status !== "InProgress" || !supported) return null;
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
      onClick={async () => {
        if (watched) unwatchRun(a.id);
        else setPermission(await watchRun(a.id));
      }}
      title={watched ? "Stop the notification" : "A browser notification with the outcome when this run ends"}
    >
      {watched ? "Notifying when it ends" : "Notify me when it ends"}
    </Button>
  );
}
