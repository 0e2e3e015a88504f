/** Services against a real embedded store (PGlite in a temporary folder, in this process). */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "syncwatch-services-"));
process.env.SYNCWATCH_DATA_DIR = path.join(dir, "store");
delete process.env.DATABASE_URL;
delete process.env.SYNCWATCH_ADMIN_API_KEY;

let cs: { id: number; runProfiles: { id: number }[] };
const envOf = (e: Record<string, string | undefined>) => e as NodeJS.ProcessEnv;
const sys = { type: "System" as const, id: null, name: "test" };

beforeAll(async () => {
  const { getPrisma } = await import("@/lib/db/client");
  const prisma = await getPrisma();
  cs = await prisma.connectedSystem.create({
    data: {
      name: "HR",
      kind: "HrSource",
      externalIdAttribute: "employeeId",
      runProfiles: { create: [{ name: "Full import", runType: "FullImport" }] },
    },
    include: { runProfiles: true },
  });
}, 60_000);

afterAll(async () => {
  const { getDatabase } = await import("@/lib/db/client");
  await (await getDatabase()).close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("ensureBootstrapAdminKey", () => {
  it("creates a key once, writes it 0600, reads it back later", async () => {
    const { ensureBootstrapAdminKey, adminKeyFile } = await import("@/lib/services/bootstrap");
    const first = await ensureBootstrapAdminKey(envOf({ SYNCWATCH_DATA_DIR: process.env.SYNCWATCH_DATA_DIR }));
    expect(first.created).toBe(true);
    expect(first.secret).toMatch(/^sw_/);
    const file = adminKeyFile(envOf({ SYNCWATCH_DATA_DIR: process.env.SYNCWATCH_DATA_DIR }));
    expect(fs.readFileSync(file, "utf8").trim()).toBe(first.secret);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = await ensureBootstrapAdminKey(envOf({ SYNCWATCH_DATA_DIR: process.env.SYNCWATCH_DATA_DIR }));
    expect(again).toEqual({ secret: first.secret, created: false });
  });

  it("honours SYNCWATCH_ADMIN_API_KEY and refuses a short one", async () => {
    const { ensureBootstrapAdminKey, ENV_KEY_NAME } = await import("@/lib/services/bootstrap");
    await expect(
      ensureBootstrapAdminKey(
        envOf({ SYNCWATCH_DATA_DIR: process.env.SYNCWATCH_DATA_DIR, SYNCWATCH_ADMIN_API_KEY: "short" }),
      ),
    ).rejects.toThrow(/at least 20/);
    const key = "sw_env_key_for_tests_0123456789";
    const env = envOf({ SYNCWATCH_DATA_DIR: process.env.SYNCWATCH_DATA_DIR, SYNCWATCH_ADMIN_API_KEY: key });
    expect(await ensureBootstrapAdminKey(env)).toEqual({ secret: key, created: true });
    expect(await ensureBootstrapAdminKey(env)).toEqual({ secret: key, created: false });
    const { getPrisma } = await import("@/lib/db/client");
    const { sha256 } = await import("@/lib/auth/secrets");
    const row = await (await getPrisma()).apiKey.findUnique({ where: { secretHash: sha256(key) } });
    expect(row).toMatchObject({ name: ENV_KEY_NAME, role: "Administrator", revokedAt: null });
  });
});

describe("activityRecorder", () => {
  it("honours `at` for back-filled history", async () => {
    const { activityRecorder } = await import("@/lib/services/activity-recorder");
    const { getActivity, getActivityVersion, getProgress } = await import("@/lib/services/activities");
    const t0 = new Date("2026-01-01T10:00:00.000Z");
    const { id } = await activityRecorder.create(
      {
        name: "past run",
        targetType: "ConnectedSystemRunProfile",
        connectedSystemId: cs.id,
        runProfileId: cs.runProfiles[0].id,
      },
      sys,
      t0,
    );
    await activityRecorder.reportProgress(
      id,
      { objectsProcessed: 1, counters: { totalCsoAdds: 1 } },
      new Date(t0.getTime() + 1000),
    );
    await activityRecorder.appendItems(
      id,
      [
        {
          sequence: 0,
          objectChangeType: "Add",
          externalIdValue: null,
          displayName: null,
          connectedSystemObjectType: null,
          errorType: null,
          errorMessage: null,
          errorDetail: null,
          outcomes: [],
          attributeChanges: [],
          connectedSystemObjectId: null,
          metaverseObjectId: null,
        },
      ],
      new Date(t0.getTime() + 1500),
    );
    expect(await activityRecorder.shouldStop(id)).toBe(false);
    expect(await activityRecorder.complete(id, {}, new Date(t0.getTime() + 2000))).toBe("Complete");
    expect(await activityRecorder.shouldStop(id)).toBe(true);
    const a = await getActivity(id);
    expect(a).toMatchObject({
      created: "2026-01-01T10:00:00.000Z",
      started: "2026-01-01T10:00:00.000Z",
      ended: "2026-01-01T10:00:02.000Z",
      executionTimeMs: 2000,
      totalActivityTimeMs: 2000,
    });
    const p = await getProgress(await getActivityVersion(id));
    expect(p.samples.map((s) => s.at)).toEqual(["2026-01-01T10:00:01.000Z", "2026-01-01T10:00:02.000Z"]);
    const { listItems } = await import("@/lib/services/items");
    const { ItemListQuery } = await import("@/lib/api/schemas");
    expect((await listItems(id, ItemListQuery.parse({}))).items[0].processedAt).toBe("2026-01-01T10:00:01.500Z");
  });

  it("refuses writes to ended activities with ActivityAlreadyEndedError", async () => {
    const { activityRecorder } = await import("@/lib/services/activity-recorder");
    const { ActivityAlreadyEndedError } = await import("@/lib/domain/recorder");
    const { id } = await activityRecorder.create({ name: "x", targetType: "DataGeneration" }, sys);
    await activityRecorder.cancel(id, "stop");
    await expect(activityRecorder.reportProgress(id, { objectsProcessed: 1 })).rejects.toBeInstanceOf(
      ActivityAlreadyEndedError,
    );
    await expect(activityRecorder.complete(id, {})).rejects.toBeInstanceOf(ActivityAlreadyEndedError);
    await expect(activityRecorder.cancel(id, undefined)).rejects.toBeInstanceOf(ActivityAlreadyEndedError);
  });
});

describe("purgeExpired", () => {
  it("keeps items of the N most recent terminal runs per profile and deletes old activities with their children", async () => {
    const { activityRecorder } = await import("@/lib/services/activity-recorder");
    const { purgeExpired } = await import("@/lib/services/retention");
    const { getPrisma } = await import("@/lib/db/client");
    const prisma = await getPrisma();
    const rp = cs.runProfiles[0].id;
    const runs: string[] = [];
    const base = Date.now() - 10 * 86_400_000;
    for (let i = 0; i < 5; i++) {
      const at = new Date(base + i * 3_600_000);
      const { id } = await activityRecorder.create(
        { name: `run ${i}`, targetType: "ConnectedSystemRunProfile", connectedSystemId: cs.id, runProfileId: rp },
        sys,
        at,
      );
      const items = Array.from({ length: 120 }, (_, s) => ({
        sequence: s,
        objectChangeType: "Add" as const,
        externalIdValue: null,
        displayName: null,
        connectedSystemObjectType: null,
        errorType: null,
        errorMessage: null,
        errorDetail: null,
        outcomes: [],
        attributeChanges: [],
        connectedSystemObjectId: null,
        metaverseObjectId: null,
      }));
      await activityRecorder.appendItems(id, items, at);
      await activityRecorder.complete(id, {}, new Date(at.getTime() + 1000));
      runs.push(id);
    }
    // a running one is never touched
    const running = await activityRecorder.create(
      { name: "running", targetType: "ConnectedSystemRunProfile", connectedSystemId: cs.id, runProfileId: rp },
      sys,
    );
    // an old parent with a child
    const old = new Date(Date.now() - 200 * 86_400_000);
    const parent = await activityRecorder.create({ name: "old parent", targetType: "DataGeneration" }, sys, old);
    const child = await activityRecorder.create(
      { name: "old child", targetType: "DataGeneration", parentActivityId: parent.id },
      sys,
      old,
    );
    await activityRecorder.complete(child.id, {}, old);
    await activityRecorder.complete(parent.id, {}, old);

    // 0 and 0 switch both kinds of retention off
    const off = await purgeExpired({ keepItemRunsPerProfile: 0, maxActivityAgeDays: 0 });
    expect([off.itemsDeleted, off.activitiesDeleted]).toEqual([0, 0]);

    const r = await purgeExpired({ keepItemRunsPerProfile: 3, maxActivityAgeDays: 90, batchSize: 100 });
    expect(r.itemsDeleted).toBeGreaterThanOrEqual(240);
    expect(r.activitiesDeleted).toBeGreaterThanOrEqual(1);
    const counts = await Promise.all(runs.map((id) => prisma.executionItem.count({ where: { activityId: id } })));
    expect(counts).toEqual([0, 0, 120, 120, 120]);
    expect(await prisma.activity.findUnique({ where: { id: parent.id } })).toBeNull();
    expect(await prisma.activity.findUnique({ where: { id: child.id } })).toBeNull();
    expect(await prisma.activity.findUnique({ where: { id: running.id } })).not.toBeNull();
    const again = await purgeExpired({ keepItemRunsPerProfile: 3, maxActivityAgeDays: 90 });
    expect(again.itemsDeleted).toBe(0);
  });
});
