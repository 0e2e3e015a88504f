/**
 * ETA accuracy: a server on a fresh embedded store with the demo history and the run engine at
 * SYNCWATCH_SPEED=1 (schedules not run automatically; the demo history is written at the same
 * speed, so estimates from earlier runs are valid; at speed 5 most runs lasted 1–5 s, shorter than
 * the estimate's one-second grain and the 0.5 s poll, and were first seen at 100 %). A run first
 * seen past 40 % is not measured. Every run profile and the delta cycle
 * schedule are triggered; each run's progress snapshot is polled, and when percentComplete first
 * reaches 25 % its estimatedSecondsRemaining is kept with that moment (the snapshot's sampledAt).
 * When the run has ended, the true remaining time is endedAt − that moment. The figure is the
 * median of |estimate − true| ÷ true over the runs measured. Rounds (every profile, then the
 * schedule) repeat until MIN_RUNS are measured or the phase's time is up; each round's runs
 * compare with the rounds before as well as with the history.
 */
import fs from "node:fs";
import path from "node:path";
import { ApiClient } from "../http";
import { sleep } from "../clients";
import { count } from "../report";
import { startServer } from "../server";
import type { PhaseContext } from "./context";

const POLL_MS = 500;
const SPEED = "1";
/** A run first seen past this share is not measured at 25 % (it ran past the point between two polls). */
const LATEST_PERCENT = 40;
/** Runs to measure (the target is stated over at least this many). */
const MIN_RUNS = 15;

interface Tracked {
  id: string;
  label: string;
  at25: number | null;
  estimate: number | null;
  basis: string | null;
  percentAt: number | null;
  endedAt: number | null;
  status: string | null;
}

export interface EtaRun {
  label: string;
  id: string;
  status: string | null;
  estimateSeconds: number | null;
  basis: string | null;
  percentAt: number | null;
  trueSeconds: number | null;
  relativeError: number | null;
}

export interface EtaResult {
  runs: EtaRun[];
  measured: number;
  medianRelativeError: number | null;
  seconds: number;
}

interface ProgressSnapshot {
  status: string;
  state: string;
  percentComplete: number | null;
  estimatedSecondsRemaining: number | null;
  estimateBasis: string | null;
  sampledAt: string;
}

export async function etaPhase(ctx: PhaseContext): Promise<EtaResult> {
  const dir = path.join(ctx.workDir, "eta-store");
  fs.rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  const server = await startServer({ kind: "pglite", dataDir: dir }, ctx.adminKey, path.join(ctx.workDir, "eta"), {
    SYNCWATCH_ENGINE: "on",
    SYNCWATCH_ENGINE_AUTORUN: "off",
    SYNCWATCH_DEMO_HISTORY: "on",
    SYNCWATCH_SPEED: SPEED,
  });
  const api = new ApiClient(server.base, ctx.adminKey);
  try {
    // The demo history is written at start; runs compare with it (previous runs' rates).
    const deadline = Date.now() + 300_000;
    for (let last = -1; ;) {
      const list = await api.getJson<{ totalCount: number }>(
        "/api/v1/activities?topLevelOnly=false&pageSize=1&count=exact",
      );
      if (list.totalCount > 0 && list.totalCount === last) break;
      last = list.totalCount;
      if (Date.now() > deadline) throw new Error("the demo history was not written within 300 s");
      await sleep(2000);
    }
    const systems = await api.getJson<{
      items: { id: number; name: string; runProfiles: { id: number; name: string }[] }[];
    }>("/api/v1/connected-systems");
    const schedules = await api.getJson<{ items: { id: number; name: string; intervalMinutes: number }[] }>(
      "/api/v1/schedules",
    );
    const tracked: Tracked[] = [];
    const limit = Date.now() + ctx.scale.etaMaxSeconds * 1000;
    const measured = () => tracked.filter((t) => t.at25 !== null && t.endedAt !== null && t.estimate !== null).length;
    const track = (id: string, label: string) =>
      tracked.push({
        id,
        label,
        at25: null,
        estimate: null,
        basis: null,
        percentAt: null,
        endedAt: null,
        status: null,
      });
    for (let round = 1; measured() < MIN_RUNS && Date.now() < limit; round++) {
      for (const s of systems.items)
        for (const rp of s.runProfiles) {
          const r = await api.postJson<{ activityId: string }>(
            `/api/v1/connected-systems/${s.id}/run-profiles/${rp.id}/execute`,
            {},
          );
          track(r.activityId, `${s.name} / ${rp.name} (round ${round})`);
        }
      const schedule = [...schedules.items].sort((a, b) => a.intervalMinutes - b.intervalMinutes)[0];
      if (schedule) {
        const r = await api.postJson<{ activityId: string }>(`/api/v1/schedules/${schedule.id}/execute`, {});
        track(r.activityId, `schedule ${schedule.name} (round ${round})`);
      }
      ctx.log(`  round ${round}: ${tracked.length} runs triggered so far; polling their progress every ${POLL_MS} ms`);
      while (tracked.some((t) => t.endedAt === null) && Date.now() < limit) {
        await Promise.all(
          tracked
            .filter((t) => t.endedAt === null)
            .map(async (t) => {
              const p = await api.getJson<ProgressSnapshot>(`/api/v1/activities/${t.id}/progress`);
              if (
                p.state === "Running" &&
                t.at25 === null &&
                p.percentComplete !== null &&
                p.percentComplete >= 25 &&
                p.percentComplete <= LATEST_PERCENT
              ) {
                t.at25 = Date.parse(p.sampledAt);
                t.estimate = p.estimatedSecondsRemaining;
                t.basis = p.estimateBasis;
                t.percentAt = p.percentComplete;
              }
              if (p.state === "Ended") {
                const a = await api.getJson<{ endedAt: string | null; status: string }>(`/api/v1/activities/${t.id}`);
                t.endedAt = a.endedAt ? Date.parse(a.endedAt) : Date.now();
                t.status = a.status;
              }
            }),
        );
        await sleep(POLL_MS);
      }
    }
    const runs: EtaRun[] = tracked.map((t) => {
      const trueSeconds = t.at25 !== null && t.endedAt !== null ? (t.endedAt - t.at25) / 1000 : null;
      const ok = t.estimate !== null && trueSeconds !== null && trueSeconds > 0 && t.status !== "Cancelled";
      return {
        label: t.label,
        id: t.id,
        status: t.status,
        estimateSeconds: t.estimate,
        basis: t.basis,
        percentAt: t.percentAt,
        trueSeconds,
        relativeError: ok ? Math.abs(t.estimate! - trueSeconds!) / trueSeconds! : null,
      };
    });
    const errors = runs
      .map((r) => r.relativeError)
      .filter((e): e is number => e !== null)
      .sort((a, b) => a - b);
    const median = errors.length
      ? errors.length % 2
        ? errors[(errors.length - 1) / 2]
        : (errors[errors.length / 2 - 1] + errors[errors.length / 2]) / 2
      : null;
    const noEstimate = runs.filter((r) => r.trueSeconds !== null && r.estimateSeconds === null).length;
    const unfinished = tracked.filter((t) => t.endedAt === null).length;
    const seconds = (performance.now() - started) / 1000;
    ctx.report.check(
      "eta",
      `ETA at 25 %: median |estimate − true| ÷ true (SYNCWATCH_SPEED=${SPEED})`,
      median === null
        ? "no run measured"
        : `${median.toFixed(2)} over ${errors.length} of ${runs.length} runs` +
            (noEstimate ? `; ${noEstimate} without an estimate` : "") +
            (unfinished ? `; ${unfinished} not ended in ${ctx.scale.etaMaxSeconds} s` : ""),
      "≤ 0.20",
      median !== null && median <= 0.2,
    );
    for (const r of runs)
      ctx.log(
        `  ${r.label}: ${r.status ?? "not ended"}, at ${r.percentAt ?? "?"} % estimate ${r.estimateSeconds === null ? "none" : r.estimateSeconds.toFixed(1) + " s"} (${r.basis ?? "-"}), true ${r.trueSeconds === null ? "?" : r.trueSeconds.toFixed(1) + " s"}${r.relativeError === null ? "" : `, error ${(r.relativeError * 100).toFixed(0)} %`}`,
      );
    ctx.log(`  ${count(errors.length)} runs measured in ${seconds.toFixed(0)} s`);
    return { runs, measured: errors.length, medianRelativeError: median, seconds };
  } finally {
    await server.stop();
  }
}
