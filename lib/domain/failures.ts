/**
 * Failures across runs: each failing object of a connected system is tracked by a key that stays
 * the same from run to run, so "is it new?" has an answer after the items are gone.
 */
import type { RunType } from "./enums";
import { FULL_RUN_TYPES } from "./enums";

/** The object's identity within its connected system: external id, else connector-space id, else name. */
export function objectKeyOf(item: {
  externalIdValue: string | null;
  connectedSystemObjectId: string | null;
  displayName: string | null;
}): string | null {
  if (item.externalIdValue) return `ext:${item.externalIdValue}`;
  if (item.connectedSystemObjectId) return `cso:${item.connectedSystemObjectId}`;
  if (item.displayName) return `name:${item.displayName}`;
  return null;
}

/**
 * How a completed run settles open failures of its run profile that it did not fail again: a full
 * run looked at every object, so they recovered; a delta run only recovers the objects it
 * processed successfully. Runs that failed or were cancelled settle nothing.
 */
export function recoveryScope(run: { runType: RunType | null; status: string }): "all-unfailed" | "processed" | "none" {
  if (!["Complete", "CompleteWithWarning", "CompleteWithError"].includes(run.status)) return "none";
  return run.runType && FULL_RUN_TYPES.includes(run.runType) ? "all-unfailed" : "processed";
}
