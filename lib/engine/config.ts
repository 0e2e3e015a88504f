/**
 * The demo configuration the engine runs: connected systems, their run profiles and the
 * schedules, created idempotently (upsert by name) in the store at start.
 */
import type { ConnectedSystemKind, RunType } from "@/lib/domain/enums";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { SystemKey } from "./world";

export interface SystemDef {
  key: SystemKey;
  name: string;
  kind: ConnectedSystemKind;
  description: string;
  externalIdAttribute: string;
  objectTypes: string[];
  runProfiles: { name: string; runType: RunType }[];
}

export interface ScheduleDef {
  name: string;
  description: string;
  intervalMinutes: number;
  steps: { system: SystemKey; runProfile: string }[];
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

export const DEMO_SCHEDULES: ScheduleDef[] = [
  {
    name: DELTA_CYCLE,
    description:
      "Every 15 minutes: HR changes through the metaverse to Active Directory and ServiceNow, then confirming imports and AD drift detection.",
    intervalMinutes: 15,
    steps: [
      { system: "hr", runProfile: "Delta Import" },
      { system: "hr", runProfile: "Delta Synchronisation" },
      { system: "ad", runProfile: "Export" },
      { system: "snow", runProfile: "Export" },
      { system: "ad", runProfile: "Delta Import" },
      { system: "snow", runProfile: "Delta Import" },
      { system: "ad", runProfile: "Delta Synchronisation" },
    ],
  },
  {
    name: NIGHTLY,
    description: "Every night: full imports and full synchronisations of every system, exports and confirming imports.",
    intervalMinutes: 1440,
    steps: [
      { system: "hr", runProfile: "Full Import" },
      { system: "payroll", runProfile: "Full Import" },
      { system: "ad", runProfile: "Full Import" },
      { system: "snow", runProfile: "Full Import" },
      { system: "payroll", runProfile: "Full Synchronisation" },
      { system: "hr", runProfile: "Full Synchronisation" },
      { system: "ad", runProfile: "Full Synchronisation" },
      { system: "snow", runProfile: "Full Synchronisation" },
      { system: "ad", runProfile: "Export" },
      { system: "snow", runProfile: "Export" },
      { system: "ad", runProfile: "Delta Import" },
      { system: "snow", runProfile: "Delta Import" },
    ],
  },
];

/** The configuration as stored, with the ids the API uses. */
export interface EngineConfig {
  systems: {
    id: number;
    key: SystemKey;
    name: string;
    runProfiles: { id: number; name: string; runType: RunType }[];
  }[];
  schedules: {
    id: number;
    name: string;
    intervalMinutes: number;
    enabled: boolean;
    steps: { position: number; runProfileId: number; connectedSystemId: number }[];
  }[];
}

export interface ConfigStore {
  ensure(systems: SystemDef[], schedules: ScheduleDef[]): Promise<EngineConfig>;
  countActivities(): Promise<number>;
}

function resolveSteps(systems: EngineConfig["systems"], def: ScheduleDef) {
  return def.steps.map((st, position) => {
    const cs = systems.find((s) => s.key === st.system);
    const rp = cs?.runProfiles.find((r) => r.name === st.runProfile);
    if (!cs || !rp)
      throw new Error(`Schedule "${def.name}" step ${position}: unknown run profile ${st.system}/${st.runProfile}`);
    return { position, runProfileId: rp.id, connectedSystemId: cs.id };
  });
}

/** Upserts the configuration by name in the store (idempotent; keeps a schedule's enabled flag). */
export function prismaConfigStore(getPrisma: () => Promise<PrismaClient>): ConfigStore {
  return {
    async countActivities() {
      const prisma = await getPrisma();
      return prisma.activity.count();
    },
    async ensure(systemDefs, scheduleDefs) {
      const prisma = await getPrisma();
      const systems: EngineConfig["systems"] = [];
      for (const def of systemDefs) {
        const data = { kind: def.kind, description: def.description, externalIdAttribute: def.externalIdAttribute };
        const cs = await prisma.connectedSystem.upsert({
          where: { name: def.name },
          create: { name: def.name, ...data },
          update: data,
        });
        for (const name of def.objectTypes)
          await prisma.objectType.upsert({
            where: { connectedSystemId_name: { connectedSystemId: cs.id, name } },
            create: { connectedSystemId: cs.id, name },
            update: {},
          });
        const runProfiles = [];
        for (const rp of def.runProfiles) {
          const row = await prisma.runProfile.upsert({
            where: { connectedSystemId_name: { connectedSystemId: cs.id, name: rp.name } },
            create: { connectedSystemId: cs.id, name: rp.name, runType: rp.runType },
            update: { runType: rp.runType },
          });
          runProfiles.push({ id: row.id, name: row.name, runType: row.runType });
        }
        systems.push({ id: cs.id, key: def.key, name: cs.name, runProfiles });
      }
      const schedules: EngineConfig["schedules"] = [];
      for (const def of scheduleDefs) {
        const steps = resolveSteps(systems, def);
        const row = await prisma.schedule.upsert({
          where: { name: def.name },
          create: { name: def.name, description: def.description, intervalMinutes: def.intervalMinutes, enabled: true },
          update: { description: def.description, intervalMinutes: def.intervalMinutes },
        });
        for (const st of steps)
          await prisma.scheduleStep.upsert({
            where: { scheduleId_position: { scheduleId: row.id, position: st.position } },
            create: { scheduleId: row.id, position: st.position, runProfileId: st.runProfileId },
            update: { runProfileId: st.runProfileId },
          });
        await prisma.scheduleStep.deleteMany({ where: { scheduleId: row.id, position: { gte: steps.length } } });
        schedules.push({
          id: row.id,
          name: row.name,
          intervalMinutes: row.intervalMinutes,
          enabled: row.enabled,
          steps,
        });
      }
      return { systems, schedules };
    },
  };
}

/** Configuration kept in memory (unit tests, or a store-less engine). */
export function memoryConfigStore(activities = 0): ConfigStore & { config?: EngineConfig } {
  const store: ConfigStore & { config?: EngineConfig } = {
    async countActivities() {
      return activities;
    },
    async ensure(systemDefs, scheduleDefs) {
      let id = 1;
      let rpId = 1;
      const systems = systemDefs.map((d) => ({
        id: id++,
        key: d.key,
        name: d.name,
        runProfiles: d.runProfiles.map((rp) => ({ id: rpId++, ...rp })),
      }));
      let sid = 1;
      const schedules = scheduleDefs.map((d) => ({
        id: sid++,
        name: d.name,
        intervalMinutes: d.intervalMinutes,
        enabled: true,
        steps: resolveSteps(systems, d),
      }));
      store.config = { systems, schedules };
      return store.config;
    },
  };
  return store;
}
