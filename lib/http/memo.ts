/**
 * ETags the process can answer from memory. An activity's ETag derives from its version, which
 * the change signal knows; a list's ETag is remembered with the change epoch it was computed at
 * and is current until the epoch moves. Either way a current poll costs no database read.
 */
import { changeEpoch, knownActivity } from "@/lib/repo/changes";
import { weakEtag } from "./route";

/** The ETag of a representation of one activity at a version. */
export const activityEtag = (kind: string, id: string, version: number, ...extra: unknown[]) =>
  weakEtag(kind, id, version, ...extra);

/** The same ETag from the version the change signal knows; null when it does not know it. */
export function knownActivityEtag(kind: string, id: string, ...extra: unknown[]): string | null {
  const known = knownActivity(id);
  return known ? activityEtag(kind, id, known.version, ...extra) : null;
}

const MAX = 2000;
const g = globalThis as unknown as { __syncwatchEtags?: Map<string, { epoch: number; etag: string }> };
const remembered = (g.__syncwatchEtags ??= new Map());

/** The epoch to remember an ETag with: take it before reading, so a change during the read is not missed. */
export const epochNow = () => changeEpoch();

export function rememberEtag(key: string, epoch: number | null, etag: string): void {
  if (epoch === null) return;
  if (remembered.size >= MAX) remembered.clear();
  remembered.set(key, { epoch, etag });
}

/** The remembered ETag of `key` while nothing changed since it was computed. */
export function currentEtag(key: string): string | null {
  const hit = remembered.get(key);
  const epoch = changeEpoch();
  return hit && epoch !== null && hit.epoch === epoch ? hit.etag : null;
}
