import type { ActivityTargetType } from "./enums";

export interface ActivityTarget {
  targetType: ActivityTargetType;
  connectedSystemName: string | null;
  runProfileName: string | null;
  scheduleName: string | null;
}

/**
 * The one-line name of what an activity ran against, stored with the activity so the list can
 * sort by it: the schedule, "system / run profile", the system alone, or the target type.
 * The migration 20261123000000_list_sorts back-fills the same rule in SQL.
 */
export function targetNameOf(t: ActivityTarget): string {
  if (t.scheduleName) return t.scheduleName;
  if (t.connectedSystemName)
    return t.runProfileName ? `${t.connectedSystemName} / ${t.runProfileName}` : t.connectedSystemName;
  return t.targetType;
}
