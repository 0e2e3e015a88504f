/**
 * The demo configuration the engine runs: connected systems, their run profiles and the
 * schedules, stored idempotently (upsert by name) at start.
 */
import type { ConnectedSystemDef, ScheduleDef, StoredConfiguration } from "@/lib/domain/configuration";
import type { SystemKey } from "./world";

export interface SystemDef extends ConnectedSystemDef {
  key: SystemKey;
}

const IMPORT_SYNC: SystemDef["runProfiles"] = [
  { name: "Full Import", runType: "FullImport" },
  { name: "Delta Import", runType: "DeltaImport" },
  { name: "Full Synchronisation", runType: "FullSynchronisation" },
  { name: "Delta Synchronisation", runType: "DeltaSynchronisation" },
];
const WITH_EXPORT: SystemDef["runProfiles"] = [...IMPORT_SYNC, { name: "Export", runType: "Export" }];

export const DEMO_SYSTEMS: SystemDef[] = [
  {
    key: "hr",
    name: "Workday HR",
    kind: "HrSource",
    description: "Authoritative source of workers: joiners, movers and leavers.",
    externalIdAttribute: "employeeId",
    objectTypes: ["person"],
    runProfiles: IMPORT_SYNC,
  },
  {
    key: "ad",
    name: "Contoso Active Directory",
    kind: "Directory",
    description: "contoso.local: user accounts and groups, provisioned from the metaverse.",
    externalIdAttribute: "objectGUID",
    objectTypes: ["user", "group"],
    runProfiles: WITH_EXPORT,
  },
  {
    key: "snow",
    name: "ServiceNow",
    kind: "Application",
    description: "IT service management: sys_user records for every worker.",
    externalIdAttribute: "sys_id",
    objectTypes: ["user"],
    runProfiles: WITH_EXPORT,
  },
  {
    key: "payroll",
    name: "Payroll (legacy)",
    kind: "HrSource",
    description: "Legacy payroll database: cost centre and payroll number; joins only, never projects.",
    externalIdAttribute: "payrollNumber",
    objectTypes: ["person"],
    runProfiles: [
      { name: "Full Import", runType: "FullImport" },
      { name: "Full Synchronisation", runType: "FullSynchronisation" },
    ],
  },
];

export const DELTA_CYCLE = "Delta sync cycle";
export const NIGHTLY = "Nightly full sync";

const HR = "Workday HR";
const AD = "Contoso Active Directory";
const SNOW = "ServiceNow";
const PAYROLL = "Payroll (legacy)";

export const DEMO_SCHEDULES: ScheduleDef[] = [
  {
    name: DELTA_CYCLE,
    description:
      "Every 15 minutes: HR changes through the metaverse to Active Directory and ServiceNow, then confirming imports and AD drift detection.",
    intervalMinutes: 15,
    steps: [
      { system: HR, runProfile: "Delta Import" },
      { system: HR, runProfile: "Delta Synchronisation" },
      { system: AD, runProfile: "Export", parallelGroup: 1 },
      { system: SNOW, runProfile: "Export", parallelGroup: 1 },
      { system: AD, runProfile: "Delta Import", parallelGroup: 2 },
      { system: SNOW, runProfile: "Delta Import", parallelGroup: 2 },
      { system: AD, runProfile: "Delta Synchronisation" },
    ],
  },
  {
    name: NIGHTLY,
    description:
      "Every night: full imports of every system side by side, full synchronisations, exports and confirming imports.",
    intervalMinutes: 1440,
    steps: [
      { system: HR, runProfile: "Full Import", parallelGroup: 1 },
      { system: PAYROLL, runProfile: "Full Import", parallelGroup: 1 },
      { system: AD, runProfile: "Full Import", parallelGroup: 1 },
      { system: SNOW, runProfile: "Full Import", parallelGroup: 1 },
      { system: PAYROLL, runProfile: "Full Synchronisation" },
      { system: HR, runProfile: "Full Synchronisation" },
      { system: AD, runProfile: "Full Synchronisation" },
      { system: SNOW, runProfile: "Full Synchronisation" },
      { system: AD, runProfile: "Export", parallelGroup: 2 },
      { system: SNOW, runProfile: "Export", parallelGroup: 2 },
      { system: AD, runProfile: "Delta Import", parallelGroup: 3 },
      { system: SNOW, runProfile: "Delta Import", parallelGroup: 3 },
    ],
  },
];

/** The stored configuration with each system's simulation key. */
export interface EngineConfig {
  systems: (StoredConfiguration["systems"][number] & { key: SystemKey })[];
  schedules: StoredConfiguration["schedules"];
}

export function withKeys(stored: StoredConfiguration): EngineConfig {
  return {
    systems: stored.systems.map((s) => {
      const def = DEMO_SYSTEMS.find((d) => d.name === s.name);
      if (!def) throw new Error(`Connected system "${s.name}" is not one the engine simulates.`);
      return { ...s, key: def.key };
    }),
    schedules: stored.schedules,
  };
}

/** Configuration kept in memory (unit tests): ids assigned in declaration order. */
export function memoryConfiguration(): StoredConfiguration {
  let rpId = 1;
  const systems = DEMO_SYSTEMS.map((d, i) => ({
    id: i + 1,
    name: d.name,
    runProfiles: d.runProfiles.map((rp) => ({ id: rpId++, ...rp })),
  }));
  const schedules = DEMO_SCHEDULES.map((d, i) => ({
    id: i + 1,
    name: d.name,
    intervalMinutes: d.intervalMinutes,
    enabled: true,
    nextRunAt: null,
    steps: d.steps.map((st, position) => {
      const cs = systems.find((s) => s.name === st.system)!;
      return {
        position,
        connectedSystemId: cs.id,
        runProfileId: cs.runProfiles.find((r) => r.name === st.runProfile)!.id,
        parallelGroup: st.parallelGroup ?? null,
      };
    }),
  }));
  return { systems, schedules };
}
