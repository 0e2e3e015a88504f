/** Connected systems, their run profiles, and schedules, as the API lists them. */
import type { ConnectedSystem } from "@/lib/api/connected-systems";
import type { Schedule } from "@/lib/api/schedules";
import { listConnectedSystems, listSchedules, type ConnectedSystemRow, type ScheduleRow } from "@/lib/repo/config";
import { iso } from "./mappers";

const toConnectedSystem = (cs: ConnectedSystemRow): ConnectedSystem => ({
  id: cs.id,
  name: cs.name,
  kind: cs.kind,
  description: cs.description,
  externalIdAttribute: cs.externalIdAttribute,
  objectTypes: cs.objectTypes.map((o) => o.name),
  runProfiles: cs.runProfiles.map((rp) => ({ id: rp.id, name: rp.name, runType: rp.runType })),
});

const toSchedule = (s: ScheduleRow): Schedule => ({
  id: s.id,
  name: s.name,
  description: s.description,
  intervalMinutes: s.intervalMinutes,
  enabled: s.enabled,
  nextRunAt: iso(s.nextRunAt),
  steps: s.steps.map((st) => ({
    position: st.position,
    parallelGroup: st.parallelGroup,
    runProfileId: st.runProfileId,
    runProfileName: st.runProfile.name,
    connectedSystemId: st.runProfile.connectedSystem.id,
    connectedSystemName: st.runProfile.connectedSystem.name,
    runType: st.runProfile.runType,
  })),
});

export async function getConnectedSystems(): Promise<{ items: ConnectedSystem[] }> {
  return { items: (await listConnectedSystems()).map(toConnectedSystem) };
}

export async function getSchedules(): Promise<{ items: Schedule[] }> {
  return { items: (await listSchedules()).map(toSchedule) };
}
