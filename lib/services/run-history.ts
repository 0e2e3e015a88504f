/** A run against its run profile's history: the recent runs, the previous and the usual run, and what is unusual. */
import type { RunHistory, UnusualReason } from "@/lib/api/activities";
import { BadRequestError, activityNotFound } from "@/lib/domain/errors";
import { median } from "@/lib/domain/progress";
import { BASELINE_RUNS, MIN_BASELINE_RUNS, unusualReasons, usualRunOf, type UsualRange } from "@/lib/domain/usual-run";
import { findActivity, type ActivityListRow } from "@/lib/repo/activities";
import {
  findBaselineRuns,
  findFiguresAtProgress,
  findRunsAfter,
  findRunsBefore,
  type BaselineRow,
  type FiguresAt,
} from "@/lib/repo/run-history";
import type { Versioned } from "@/lib/live/answers";
import { asOfMs, iso } from "./mappers";

type Row = Pick<
  ActivityListRow,
  | "id"
  | "targetType"
  | "runProfileId"
  | "createdAt"
  | "startedAt"
  | "endedAt"
  | "updatedAt"
  | "heartbeatAt"
  | "status"
  | "executionTimeMs"
  | "totalObjectErrors"
>;

const isJudged = (r: Row): r is Row & { runProfileId: number; startedAt: Date } =>
  r.targetType === "ConnectedSystemRunProfile" && r.runProfileId !== null && r.startedAt !== null;

/** Milliseconds a run took, or (running) had taken at its last change: the same state reads the same. */
const durationOf = (r: Row) =>
  r.status === "InProgress" ? (r.startedAt ? Math.max(0, asOfMs(r) - r.startedAt.getTime()) : null) : r.executionTimeMs;

/**
 * Whether each run is unusual for its run profile (see lib/domain/usual-run.ts): reasons ([] when
 * usual); null when it is not judged (not a run, queued, or too little history). One statement
 * for all the rows.
 */
export async function unusualOf(
  rows: Row[],
  baselines?: Map<string, BaselineRow[]>,
): Promise<Map<string, UnusualReason[] | null>> {
  const judged = rows.filter(isJudged);
  const earlier = baselines ?? (await findBaselineRuns(judged, BASELINE_RUNS));
  const out = new Map<string, UnusualReason[] | null>();
  for (const r of rows) {
    if (!isJudged(r)) {
      out.set(r.id, null);
      continue;
    }
    const usual = usualRunOf(earlier.get(r.id) ?? []);
    out.set(
      r.id,
      usual.errors || usual.durationMs
        ? unusualReasons({ status: r.status, totalObjectErrors: r.totalObjectErrors, durationMs: durationOf(r) }, usual)
        : null,
    );
  }
  return out;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function delta(current: number | null, figure: number | null): RunHistory["metrics"][number]["previous"] {
  const d = current !== null && figure !== null ? round1(current - figure) : null;
  return { figure, delta: d, deltaPercent: d !== null && figure ? round1((d / figure) * 100) : null };
}

const medianOr = (values: number[]) => {
  const m = median(values);
  return m === null ? null : round1(m);
};

/** The profile's recent runs up to `id`, and its headline figures against the previous and the usual run. */
export async function getRunHistory(id: string, limit: number): Promise<RunHistory> {
  const row = await findActivity(id);
  if (!row) throw activityNotFound(id);
  if (row.targetType !== "ConnectedSystemRunProfile" || row.runProfileId === null)
    throw new BadRequestError("Activity is not a run profile activity.", { id, targetType: row.targetType });
  const place = { id: row.id, runProfileId: row.runProfileId, createdAt: row.createdAt };
  const [before, after, baselineOfRow] = await Promise.all([
    findRunsBefore(place, limit - 1),
    findRunsAfter(place),
    findBaselineRuns([place], BASELINE_RUNS),
  ]);
  const baseline = baselineOfRow.get(row.id) ?? [];
  const strip = [...before].reverse().concat(row.startedAt ? [row] : []);
  const verdicts = await unusualOf(strip);
  const previous = before[0] ?? null;
  const running = row.status === "InProgress";
  const usualEnough = baseline.length >= MIN_BASELINE_RUNS;

  // While running: the others as they were at the same number of processed objects.
  let at: Map<string, FiguresAt> | null = null;
  if (running && row.startedAt) {
    const ids = [...(previous ? [previous.id] : []), ...baseline.map((b) => b.id)];
    const figures = await findFiguresAtProgress(ids, row.objectsProcessed);
    const previousKnown = !previous || figures.has(previous.id);
    const usualKnown = !usualEnough || baseline.filter((b) => figures.has(b.id)).length >= MIN_BASELINE_RUNS;
    if (previousKnown && usualKnown) at = figures;
  }
  const basis: RunHistory["basis"] = !running ? "final" : at ? "sameProgress" : "partial";

  type Figures = { errors: number; changes: number; durationMs: number | null };
  const finalOf = (r: { totalObjectErrors: number; totalObjectChangeCount: number; executionTimeMs: number | null }) =>
    ({ errors: r.totalObjectErrors, changes: r.totalObjectChangeCount, durationMs: r.executionTimeMs }) as Figures;
  const figuresOf = (r: BaselineRow | ActivityListRow): Figures | null => {
    if (!at) return finalOf(r);
    const f = at.get(r.id);
    return f ? { errors: f.totalObjectErrors, changes: f.totalObjectChangeCount, durationMs: f.elapsedMs } : null;
  };
  const prevFigures = previous ? figuresOf(previous) : null;
  const usualFigures = usualEnough ? baseline.flatMap((b) => figuresOf(b) ?? []) : [];
  const usualOf = (pick: (f: Figures) => number | null) =>
    usualFigures.length ? medianOr(usualFigures.flatMap((f) => pick(f) ?? [])) : null;
  const ranges = basis === "final" ? usualRunOf(baseline) : null;

  const current = finalOf(row);
  const duration = durationOf(row);
  /** A figure against the previous run's and the usual run's same figure (at the same progress while running). */
  const against = (
    metric: "errors" | "durationMs" | "changes",
    figure: number | null,
    pick: (f: Figures) => number | null,
    usualRange?: UsualRange | null,
  ): RunHistory["metrics"][number] => ({
    metric,
    current: figure,
    previous: delta(figure, prevFigures ? pick(prevFigures) : null),
    usual: delta(figure, usualOf(pick)),
    usualLow: usualRange ? round1(usualRange.low) : null,
    usualHigh: usualRange ? round1(usualRange.high) : null,
  });
  const metrics: RunHistory["metrics"] = [
    against("errors", current.errors, (f) => f.errors, ranges?.errors),
    against("durationMs", duration, (f) => f.durationMs, ranges?.durationMs),
    {
      // how far a run has come is always against the others' final figures
      metric: "processed",
      current: row.totalObjectsProcessed,
      previous: delta(row.totalObjectsProcessed, previous ? previous.totalObjectsProcessed : null),
      usual: delta(
        row.totalObjectsProcessed,
        usualEnough ? medianOr(baseline.map((b) => b.totalObjectsProcessed)) : null,
      ),
      usualLow: null,
      usualHigh: null,
    },
    against("changes", current.changes, (f) => f.changes),
  ];

  return {
    activityId: row.id,
    runProfileId: row.runProfileId,
    runs: strip.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      created: r.createdAt.toISOString(),
      started: iso(r.startedAt),
      ended: iso(r.endedAt),
      executionTimeMs: durationOf(r),
      totalObjectsProcessed: r.totalObjectsProcessed,
      totalObjectChangeCount: r.totalObjectChangeCount,
      totalObjectErrors: r.totalObjectErrors,
      current: r.id === row.id,
      unusual: verdicts.get(r.id) ?? null,
    })),
    newerRuns: after.count,
    latestRunId: after.latestId,
    basis,
    atProcessed: basis === "sameProgress" ? row.objectsProcessed : null,
    previousRunId: previous?.id ?? null,
    usualRuns: baseline.length,
    metrics,
    unusual: verdicts.get(row.id) ?? null,
  };
}

/** The history as a watchable answer: it reads other runs of the profile, so any change may change it. */
export async function readRunHistory(id: string, limit: number): Promise<Versioned & { body: RunHistory }> {
  return { body: await getRunHistory(id, limit), depends: { anyChange: true } };
}
