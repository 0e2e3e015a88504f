/**
 * The configuration rows the bench store holds: the run engine's own demo systems, run profiles
 * and schedules (lib/engine/config.ts), with fixed ids, so every seeded activity names a
 * connected system, run profile and schedule that exist, and the engine would find the same rows.
 */
import { DEMO_SCHEDULES, DEMO_SYSTEMS, type SystemDef } from "@/lib/engine/demo-config";
import type { RunType } from "@/lib/domain/enums";

export interface SeedRunProfile {
  id: number;
  name: string;
  runType: RunType;
  system: SeedSystem;
}

export interface SeedSystem {
  id: number;
  def: SystemDef;
  objectTypes: { id: number; name: string }[];
  runProfiles: SeedRunProfile[];
}

export interface SeedSchedule {
  id: number;
  name: string;
  description: string;
  intervalMinutes: number;
  steps: { id: number; position: number; runProfile: SeedRunProfile; parallelGroup: number | null }[];
}

export interface SeedConfig {
  systems: SeedSystem[];
  runProfiles: SeedRunProfile[];
  schedules: SeedSchedule[];
}

export function buildSeedConfig(): SeedConfig {
  let objectTypeId = 1;
  let runProfileId = 1;
  const systems: SeedSystem[] = DEMO_SYSTEMS.map((def, i) => {
    const system: SeedSystem = {
      id: i + 1,
      def,
      objectTypes: def.objectTypes.map((name) => ({ id: objectTypeId++, name })),
      runProfiles: [],
    };
    system.runProfiles = def.runProfiles.map((rp) => ({
      id: runProfileId++,
      name: rp.name,
      runType: rp.runType,
      system,
    }));
    return system;
  });
  const runProfiles = systems.flatMap((s) => s.runProfiles);
  let stepId = 1;
  const schedules: SeedSchedule[] = DEMO_SCHEDULES.map((def, i) => ({
    id: i + 1,
    name: def.name,
    description: def.description,
    intervalMinutes: def.intervalMinutes,
    steps: def.steps.map((st, position) => {
      const runProfile = runProfiles.find((rp) => rp.system.def.name === st.system && rp.name === st.runProfile);
      if (!runProfile) throw new Error(`schedule ${def.name}: unknown step ${st.system}/${st.runProfile}`);
      return { id: stepId++, position, runProfile, parallelGroup: st.parallelGroup ?? null };
    }),
  }));
  return { systems, runProfiles, schedules };
}

/** INSERT statements for the configuration tables, and the sequences moved past the fixed ids. */
export function configSql(config: SeedConfig): string {
  const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const rows: string[] = [];
  for (const s of config.systems) {
    rows.push(
      `INSERT INTO "ConnectedSystem" (id, name, kind, description, "externalIdAttribute") VALUES (${s.id}, ${q(s.def.name)}, ${q(s.def.kind)}, ${q(s.def.description)}, ${q(s.def.externalIdAttribute)});`,
    );
    for (const o of s.objectTypes)
      rows.push(`INSERT INTO "ObjectType" (id, "connectedSystemId", name) VALUES (${o.id}, ${s.id}, ${q(o.name)});`);
    for (const rp of s.runProfiles)
      rows.push(
        `INSERT INTO "RunProfile" (id, "connectedSystemId", name, "runType") VALUES (${rp.id}, ${s.id}, ${q(rp.name)}, ${q(rp.runType)});`,
      );
  }
  for (const sc of config.schedules) {
    rows.push(
      `INSERT INTO "Schedule" (id, name, description, "intervalMinutes") VALUES (${sc.id}, ${q(sc.name)}, ${q(sc.description)}, ${sc.intervalMinutes});`,
    );
    for (const st of sc.steps)
      rows.push(
        `INSERT INTO "ScheduleStep" (id, "scheduleId", position, "runProfileId", "parallelGroup") VALUES (${st.id}, ${sc.id}, ${st.position}, ${st.runProfile.id}, ${st.parallelGroup ?? "NULL"});`,
      );
  }
  for (const table of ["ConnectedSystem", "ObjectType", "RunProfile", "Schedule", "ScheduleStep"])
    rows.push(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT MAX(id) FROM "${table}"));`);
  return rows.join("\n");
}
