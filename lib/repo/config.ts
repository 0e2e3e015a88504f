/** Connected systems, run profiles and schedules: reads for the API, and the engine's upsert of its configuration. */
import { getDatabase, getPrisma, withPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type {
  ConnectedSystemDef,
  DemoHistoryMark,
  DemoHistoryState,
  ScheduleDef,
  StoredConfiguration,
} from "@/lib/domain/configuration";
import { leaseHeldSql, type LeaseFence } from "./instances";

export async function listConnectedSystems() {
  return withPrisma((prisma) =>
    prisma.connectedSystem.findMany({
      orderBy: { id: "asc" },
      include: { objectTypes: { orderBy: { name: "asc" } }, runProfiles: { orderBy: { id: "asc" } } },
    }),
  );
}

export type ConnectedSystemRow = Awaited<ReturnType<typeof listConnectedSystems>>[number];

/** What a schedule step runs: its run profile and that profile's connected system. */
const STEP_RUN_PROFILE = {
  select: { id: true, name: true, runType: true, connectedSystem: { select: { id: true, name: true } } },
} as const;

export async function listSchedules() {
  return withPrisma((prisma) =>
    prisma.schedule.findMany({
      orderBy: { id: "asc" },
      include: { steps: { orderBy: { position: "asc" }, include: { runProfile: STEP_RUN_PROFILE } } },
    }),
  );
}
export type ScheduleRow = Awaited<ReturnType<typeof listSchedules>>[number];

export async function findConnectedSystem(id: number) {
  return withPrisma((prisma) => prisma.connectedSystem.findUnique({ where: { id }, select: { id: true, name: true } }));
}

export async function findRunProfile(id: number) {
  return withPrisma((prisma) =>
    prisma.runProfile.findUnique({
      where: { id },
      select: {
        id: true,
        name: true,
        runType: true,
        connectedSystemId: true,
        connectedSystem: { select: { name: true } },
      },
    }),
  );
}

export async function findSchedule(id: number) {
  return withPrisma((prisma) =>
    prisma.schedule.findUnique({
      where: { id },
      select: {
        id: true,
        name: true,
        steps: {
          orderBy: { position: "asc" },
          select: { position: true, parallelGroup: true, runProfile: STEP_RUN_PROFILE },
        },
      },
    }),
  );
}

export async function countAllActivities(): Promise<number> {
  return withPrisma((prisma) => prisma.activity.count());
}

export async function setScheduleNextRun(scheduleId: number, at: Date | null): Promise<void> {
  await withPrisma((prisma) => prisma.schedule.updateMany({ where: { id: scheduleId }, data: { nextRunAt: at } }));
}

/**
 * Claims one firing of a schedule: moves its next run from `due` to `next` only if it still is
 * `due` (nobody fired it meanwhile) and, with a fence, only while that fence holds the scheduler
 * lease. True when this caller may fire it.
 */
export async function claimScheduleFire(
  scheduleId: number,
  due: Date | null,
  next: Date,
  fence: LeaseFence | null,
): Promise<boolean> {
  const db = await getDatabase();
  const n = await db.sql.execute(
    `UPDATE "Schedule" SET "nextRunAt" = $3::timestamptz
     WHERE id = $1::int AND "nextRunAt" IS NOT DISTINCT FROM $2::timestamptz AND enabled
       ${fence ? `AND ${leaseHeldSql("$4", "$5")}` : ""}`,
    [scheduleId, due?.toISOString() ?? null, next.toISOString(), ...(fence ? [fence.holder, fence.token] : [])],
  );
  return n === 1;
}

export async function findScheduleNextRun(scheduleId: number): Promise<Date | null> {
  const row = await withPrisma((prisma) =>
    prisma.schedule.findUnique({ where: { id: scheduleId }, select: { nextRunAt: true } }),
  );
  return row?.nextRunAt ?? null;
}

/**
 * Upserts the configuration by name (idempotent; keeps each schedule's enabled flag and next run),
 * in one transaction: a client asking as the server starts sees no connected system without its
 * run profiles, nor a schedule without its steps.
 */
export async function ensureConfiguration(
  systemDefs: ConnectedSystemDef[],
  scheduleDefs: ScheduleDef[],
): Promise<StoredConfiguration> {
  const client = await getPrisma();
  return client.$transaction((prisma) => upsertConfiguration(prisma, systemDefs, scheduleDefs), {
    maxWait: 60_000,
    timeout: 60_000,
  });
}

async function upsertConfiguration(
  prisma: Prisma.TransactionClient,
  systemDefs: ConnectedSystemDef[],
  scheduleDefs: ScheduleDef[],
): Promise<StoredConfiguration> {
  const systems: StoredConfiguration["systems"] = [];
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
    systems.push({ id: cs.id, name: cs.name, runProfiles });
  }
  const schedules: StoredConfiguration["schedules"] = [];
  for (const def of scheduleDefs) {
    const steps = def.steps.map((st, position) => {
      const cs = systems.find((s) => s.name === st.system);
      const rp = cs?.runProfiles.find((r) => r.name === st.runProfile);
      if (!cs || !rp)
        throw new Error(
          `Schedule "${def.name}" step ${position + 1}: unknown run profile ${st.system} / ${st.runProfile}`,
        );
      return { position, runProfileId: rp.id, connectedSystemId: cs.id, parallelGroup: st.parallelGroup ?? null };
    });
    const row = await prisma.schedule.upsert({
      where: { name: def.name },
      create: { name: def.name, description: def.description, intervalMinutes: def.intervalMinutes, enabled: true },
      update: { description: def.description, intervalMinutes: def.intervalMinutes },
    });
    for (const st of steps)
      await prisma.scheduleStep.upsert({
        where: { scheduleId_position: { scheduleId: row.id, position: st.position } },
        create: {
          scheduleId: row.id,
          position: st.position,
          runProfileId: st.runProfileId,
          parallelGroup: st.parallelGroup,
        },
        update: { runProfileId: st.runProfileId, parallelGroup: st.parallelGroup },
      });
    await prisma.scheduleStep.deleteMany({ where: { scheduleId: row.id, position: { gte: steps.length } } });
    schedules.push({
      id: row.id,
      name: row.name,
      intervalMinutes: row.intervalMinutes,
      enabled: row.enabled,
      nextRunAt: row.nextRunAt,
      steps,
    });
  }
  return { systems, schedules };
}

/** The demo history's mark (null before any back-fill began in this store). */
export async function findDemoHistory(): Promise<DemoHistoryState | null> {
  const db = await getDatabase();
  const [row] = await db.sql.query<{
    endsAt: Date;
    days: number;
    written: number;
    clockAt: Date;
    completed: boolean;
    cutOffAt: Date | null;
  }>(
    // The entry after the last one written began if an activity was created after the history's clock
    // stood there, and before the back-fill itself began (10 minutes after the week's end, real
    // time): activities recorded live meanwhile are created after that.
    `SELECT h."endsAt", h.days, h.written, h."clockAt", h."completedAt" IS NOT NULL AS completed,
       (SELECT max(a."createdAt") FROM "Activity" a WHERE a."createdAt" > h."clockAt"
         AND a."createdAt" < h."endsAt" + interval '10 minutes') AS "cutOffAt"
     FROM "DemoHistory" h WHERE h.id = 1`,
  );
  if (!row) return null;
  return {
    mark: { endsAt: new Date(row.endsAt), days: row.days, written: row.written, clockAt: new Date(row.clockAt) },
    completed: row.completed,
    cutOffAt: row.cutOffAt ? new Date(row.cutOffAt) : null,
  };
}

/** Keeps where the demo history stands (after each entry), and when it was completed. */
export async function saveDemoHistory(mark: DemoHistoryMark, completed: boolean): Promise<void> {
  const db = await getDatabase();
  await db.sql.execute(
    `INSERT INTO "DemoHistory" (id, "endsAt", days, written, "clockAt", "completedAt")
     VALUES (1, $1::timestamptz, $2, $3, $4::timestamptz, CASE WHEN $5::boolean THEN now() END)
     ON CONFLICT (id) DO UPDATE SET "endsAt" = EXCLUDED."endsAt", days = EXCLUDED.days,
       written = EXCLUDED.written, "clockAt" = EXCLUDED."clockAt", "completedAt" = EXCLUDED."completedAt"`,
    [mark.endsAt.toISOString(), mark.days, mark.written, mark.clockAt.toISOString(), completed],
  );
}
