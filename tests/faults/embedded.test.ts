/**
 * The embedded store under faults: one process per folder, kill -9 and SIGTERM during runs,
 * start-up failures, reporters that disappear. Each test starts its own servers.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { call, startServer, stop, tempDir, until, type Server } from "./server";

const started: Server[] = [];
async function server(env: Record<string, string>, opts?: { wait?: boolean }) {
  const s = await startServer(env, opts);
  started.push(s);
  return s;
}
afterEach(async () => {
  for (const s of started.splice(0)) await stop(s, "SIGKILL", 5000);
});

/** Starts the nightly schedule (its first steps import every system side by side) and a manual run that has to wait. */
async function busyEngine(s: Server) {
  // The engine stores its configuration once this instance holds the scheduler lease, just after start-up.
  const nightly = await until("the demo's nightly schedule", async () => {
    const listed = await call(s, "GET", "/schedules");
    return listed.body.items?.find((x: { name: string }) => x.name === "Nightly full sync") ?? null;
  });
  const run = await call(s, "POST", `/schedules/${nightly.id}/execute`);
  expect(run.status, run.text).toBe(202);
  const scheduleId: string = run.body.activityId;
  const steps = await until("the first parallel steps to run", async () => {
    const e = (await call(s, "GET", `/schedule-executions/${scheduleId}`)).body;
    const running = e.steps.filter(
      (x: { status: string; started: string | null }) => x.status === "InProgress" && x.started,
    );
    return running.length >= 4 ? running : null;
  });
  const hr = (await call(s, "GET", "/connected-systems")).body.items.find(
    (c: { name: string }) => c.name === "Workday HR",
  );
  const delta = hr.runProfiles.find((r: { runType: string }) => r.runType === "DeltaImport");
  const queued = await call(s, "POST", `/connected-systems/${hr.id}/run-profiles/${delta.id}/execute`);
  expect(queued.body.queued, "the manual run waits behind the schedule's HR import").toBe(true);
  return {
    scheduleId,
    stepIds: steps.map((x: { activityId: string }) => x.activityId) as string[],
    queuedId: queued.body.activityId as string,
  };
}

/** An activity recorded through the API, with item batches the server acknowledged. */
async function reportedWithItems(s: Server) {
  const hr = (await call(s, "GET", "/connected-systems")).body.items.find(
    (c: { name: string }) => c.name === "Workday HR",
  );
  const a = await call(s, "POST", "/activities", {
    name: "external import",
    targetType: "ConnectedSystemRunProfile",
    connectedSystemId: hr.id,
    runProfileId: hr.runProfiles[0].id,
  });
  let acknowledged = 0;
  for (let b = 0; b < 5; b++) {
    const items = Array.from({ length: 200 }, (_, i) => ({
      sequence: b * 200 + i,
      externalIdValue: `ext-${b}-${i}`,
      objectChangeType: "Update",
    }));
    const r = await call(s, "POST", `/activities/${a.body.id}/items`, { items });
    expect(r.status, r.text).toBe(200);
    acknowledged += r.body.inserted;
  }
  return { id: a.body.id as string, acknowledged };
}

describe("one process per embedded store", () => {
  it("a second server on the same folder is refused (exit 1, naming folder and pid); the first keeps serving; the folder reopens", async () => {
    const dir = path.join(tempDir("lock"), "store");
    const first = await server({ SYNCWATCH_DATA_DIR: dir, SYNCWATCH_ENGINE: "off" });
    const made = await call(first, "POST", "/activities", {
      name: "before the second process",
      targetType: "DataGeneration",
    });
    const second = await server({ SYNCWATCH_DATA_DIR: dir, SYNCWATCH_ENGINE: "off" }, { wait: false });
    expect(await second.exited).toBe(1);
    expect(second.log()).toContain(`The embedded store ${dir} is in use by process ${first.pid}`);
    expect((await call(first, "GET", `/activities/${made.body.id}`)).status).toBe(200);
    expect((await call(first, "POST", "/activities", { name: "after", targetType: "DataGeneration" })).status).toBe(
      201,
    );
    expect(await stop(first)).not.toBe("timeout");
    expect(fs.existsSync(path.join(dir, "syncwatch.lock"))).toBe(false);
    const third = await server({ SYNCWATCH_DATA_DIR: dir, SYNCWATCH_ENGINE: "off" });
    const list = (await call(third, "GET", "/activities?pageSize=10")).body;
    expect(list.items.map((a: { name: string }) => a.name).sort()).toEqual(["after", "before the second process"]);
  }, 240_000);

  it("a start-up that fails ends the process with status 1 and says why", async () => {
    const bad = await server(
      { SYNCWATCH_DATA_DIR: path.join(tempDir("bad"), "store"), SYNCWATCH_SPEED: "fast" },
      { wait: false },
    );
    expect(await bad.exited).toBe(1);
    expect(bad.log()).toMatch(/SYNCWATCH_SPEED: expected a number from 0\.01 to 1000 \(got "fast"\)/);
  }, 120_000);
});

describe("no run is left running by a dead process", () => {
  it("kill -9 during a schedule and a run: after a restart nothing from before is InProgress within 60 s; acknowledged items are all there", async () => {
    const dir = path.join(tempDir("kill"), "store");
    const env = { SYNCWATCH_DATA_DIR: dir, SYNCWATCH_SPEED: "0.3" };
    const s = await server(env);
    const { scheduleId, stepIds, queuedId } = await busyEngine(s);
    const reported = await reportedWithItems(s);
    expect(await stop(s, "SIGKILL")).toBe("SIGKILL");
    const restarted = Date.now();
    const again = await server(env);
    const ended = await until(
      "every engine activity from before the kill to end",
      async () => {
        const rows = await Promise.all(
          [scheduleId, ...stepIds, queuedId].map((id) => call(again, "GET", `/activities/${id}`)),
        );
        return rows.every((r) => r.body.status !== "InProgress") ? rows.map((r) => r.body) : null;
      },
      60_000,
    );
    expect(Date.now() - restarted).toBeLessThan(60_000 + 30_000);
    const [schedule, ...rest] = ended;
    const steps = rest.slice(0, stepIds.length);
    const queued = rest.at(-1);
    for (const step of steps) {
      expect(step.status).toBe("FailedWithError");
      expect(step.errorMessage).toMatch(/^Interrupted: the server stopped during the run/);
    }
    expect(["FailedWithError", "CompleteWithError"]).toContain(schedule.status);
    expect(queued).toMatchObject({ status: "Cancelled", started: null });
    expect(queued.progress.message).toMatch(/restarted before the run started/);
    // What the API acknowledged survived the kill (the reporter's activity is still its own).
    const items = (await call(again, "GET", `/activities/${reported.id}/items?pageSize=1`)).body;
    expect(items.totalCount).toBe(reported.acknowledged);
    expect((await call(again, "GET", `/activities/${reported.id}`)).body.status).toBe("InProgress");
  }, 300_000);

  it("SIGTERM (a deploy): running and queued runs end Cancelled with the reason before the process exits", async () => {
    const dir = path.join(tempDir("term"), "store");
    const env = { SYNCWATCH_DATA_DIR: dir, SYNCWATCH_SPEED: "0.3" };
    const s = await server(env);
    const { scheduleId, stepIds, queuedId } = await busyEngine(s);
    const t = Date.now();
    const code = await stop(s, "SIGTERM", 30_000);
    expect(code, s.log().slice(-2000)).not.toBe("timeout");
    expect(Date.now() - t).toBeLessThan(15_000);
    expect(s.log()).toContain("SIGTERM: stopping the run engine");
    const again = await server({ ...env, SYNCWATCH_ENGINE: "off" });
    const schedule = (await call(again, "GET", `/activities/${scheduleId}`)).body;
    expect(schedule.status).toBe("Cancelled");
    for (const id of stepIds) {
      const step = (await call(again, "GET", `/activities/${id}`)).body;
      expect(step.status).toBe("Cancelled");
      expect(step.progress.message).toMatch(/shut down during the run/);
    }
    const queued = (await call(again, "GET", `/activities/${queuedId}`)).body;
    expect(queued).toMatchObject({ status: "Cancelled", started: null });
    expect(queued.progress.message).toMatch(/shut down before the run started/);
  }, 300_000);

  it("an activity whose reporter went silent ends FailedWithError after the heartbeat timeout", async () => {
    const s = await server({
      SYNCWATCH_DATA_DIR: path.join(tempDir("hb"), "store"),
      SYNCWATCH_ENGINE: "off",
      SYNCWATCH_HEARTBEAT_TIMEOUT_MINUTES: "1",
    });
    const silent = await call(s, "POST", "/activities", { name: "silent reporter", targetType: "DataGeneration" });
    const talking = await call(s, "POST", "/activities", { name: "talking reporter", targetType: "DataGeneration" });
    const beat = setInterval(() => void call(s, "POST", `/activities/${talking.body.id}/progress`, {}), 15_000);
    try {
      const ended = await until(
        "the silent activity to end",
        async () => {
          const a = (await call(s, "GET", `/activities/${silent.body.id}`)).body;
          return a.status !== "InProgress" ? a : null;
        },
        100_000,
        1000,
      );
      expect(ended.status).toBe("FailedWithError");
      expect(ended.errorMessage).toMatch(
        /^No progress reported for 1 minute \(last report .*\): the reporter is presumed gone\./,
      );
      expect((await call(s, "GET", `/activities/${talking.body.id}`)).body.status).toBe("InProgress");
    } finally {
      clearInterval(beat);
    }
  }, 180_000);
});
