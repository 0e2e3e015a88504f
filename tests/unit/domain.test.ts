/**
 * The domain rules (lib/domain): completion statuses, progress contradictions, schedule status
 * roll-up, rate and ETA, schedule step views, failure keys and recovery scope, counters,
 * outcome summaries, ids and target names. Pure functions: no store, no clock.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  completionStatus,
  nonZeroCounters,
  progressContradiction,
  resolveCompletionStatus,
  summariseChildStatuses,
  type CompletionStatus,
} from "@/lib/domain/activity";
import { COUNTER_FIELDS, COUNTER_GROUPS, COUNTER_LABELS, emptyCounters, sumCounters } from "@/lib/domain/counters";
import { ACTIVITY_STATUSES, ERROR_TYPES, FULL_RUN_TYPES, RUN_TYPES, type ActivityStatus } from "@/lib/domain/enums";
import { bucketStarts, objectKeyOf, recoveryScope, trendBucketOf } from "@/lib/domain/failures";
import { UUID_PATTERN, uuidv7 } from "@/lib/domain/ids";
import { formatOutcomeSummary, parseOutcomeSummary } from "@/lib/domain/outcomes";
import {
  MIN_RATE_SPAN_MS,
  RATE_WINDOW_MS,
  estimateSecondsRemaining,
  median,
  percentComplete,
  recentRate,
  runHistoryOf,
} from "@/lib/domain/progress";
import { currentStepOf, endedStepCount, stepsOf, type PlannedStep, type StepActivity } from "@/lib/domain/schedule";
import { targetNameOf } from "@/lib/domain/target";
import { generateApiKey, generateSessionToken, keyPrefix, sha256 } from "@/lib/auth/secrets";

const COMPLETION_STATUSES: CompletionStatus[] = [
  "Complete",
  "CompleteWithWarning",
  "CompleteWithError",
  "FailedWithError",
];
const severity = (s: CompletionStatus) => COMPLETION_STATUSES.indexOf(s);

// ---------------------------------------------------------------------------------------------
// Completion status
// ---------------------------------------------------------------------------------------------

describe("resolveCompletionStatus", () => {
  it("derives the status when none is given: errors beat warnings beat success", () => {
    expect(resolveCompletionStatus(undefined, { objectErrors: 0, warnings: 0 })).toEqual({ status: "Complete" });
    expect(resolveCompletionStatus(undefined, { objectErrors: 0, warnings: 2 })).toEqual({
      status: "CompleteWithWarning",
    });
    expect(resolveCompletionStatus(undefined, { objectErrors: 1, warnings: 2 })).toEqual({
      status: "CompleteWithError",
    });
    expect(completionStatus({ objectErrors: 7, warnings: 0 })).toBe("CompleteWithError");
  });

  it("refuses a status less severe than the counters say, naming the facts and the status to send", () => {
    const r = resolveCompletionStatus("Complete", { objectErrors: 3, warnings: 0 });
    expect(r).toHaveProperty("refused");
    const refused = (r as { refused: string }).refused;
    expect(refused).toContain("Complete");
    expect(refused).toContain("3 object errors");
    expect(refused).toContain("CompleteWithError");

    const w = resolveCompletionStatus("Complete", { objectErrors: 0, warnings: 2 }) as { refused: string };
    expect(w.refused).toContain("2 warnings");
    expect(w.refused).toContain("CompleteWithWarning");

    expect(resolveCompletionStatus("CompleteWithWarning", { objectErrors: 1, warnings: 5 })).toHaveProperty("refused");
  });

  it("accepts a more severe status than the counters say (the reporter knows of a failure)", () => {
    expect(resolveCompletionStatus("FailedWithError", { objectErrors: 0, warnings: 0 })).toEqual({
      status: "FailedWithError",
    });
    expect(resolveCompletionStatus("CompleteWithError", { objectErrors: 0, warnings: 1 })).toEqual({
      status: "CompleteWithError",
    });
    expect(resolveCompletionStatus("CompleteWithWarning", { objectErrors: 0, warnings: 0 })).toEqual({
      status: "CompleteWithWarning",
    });
  });

  it("an error message makes the run FailedWithError when derived, and at least CompleteWithError when given", () => {
    expect(resolveCompletionStatus(undefined, { objectErrors: 0, warnings: 0, errorMessage: true })).toEqual({
      status: "FailedWithError",
    });
    expect(resolveCompletionStatus(undefined, { objectErrors: 2, warnings: 1, errorMessage: true })).toEqual({
      status: "FailedWithError",
    });
    expect(resolveCompletionStatus("CompleteWithError", { objectErrors: 2, warnings: 0, errorMessage: true })).toEqual({
      status: "CompleteWithError",
    });
    for (const low of ["Complete", "CompleteWithWarning"] as const) {
      const r = resolveCompletionStatus(low, { objectErrors: 0, warnings: 0, errorMessage: true }) as {
        refused: string;
      };
      expect(r.refused).toContain("error message");
      expect(r.refused).toContain("CompleteWithError or FailedWithError");
    }
    expect(
      resolveCompletionStatus("CompleteWithWarning", { objectErrors: 2, warnings: 0, errorMessage: true }),
    ).toHaveProperty("refused");
  });

  it("accepts exactly the statuses at least as severe as the derived one, for any counts", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...COMPLETION_STATUSES),
        fc.nat(5),
        fc.nat(5),
        (requested, objectErrors, warnings) => {
          const derived = completionStatus({ objectErrors, warnings });
          const r = resolveCompletionStatus(requested, { objectErrors, warnings });
          if (severity(requested) >= severity(derived)) expect(r).toEqual({ status: requested });
          else expect(r).toHaveProperty("refused");
        },
      ),
    );
  });
});

describe("progressContradiction", () => {
  it("allows processed up to the total, and anything while the total is unknown", () => {
    expect(progressContradiction(0, 0)).toBeNull();
    expect(progressContradiction(5, 5)).toBeNull();
    expect(progressContradiction(4, 5)).toBeNull();
    expect(progressContradiction(1_000_000, null)).toBeNull();
  });

  it("names both numbers when processed exceeds the total", () => {
    const m = progressContradiction(6, 5);
    expect(m).toContain("objectsProcessed (6)");
    expect(m).toContain("objectsToProcess (5)");
    expect(progressContradiction(1, 0)).not.toBeNull();
  });
});

describe("summariseChildStatuses", () => {
  it("follows the schedule rules", () => {
    expect(summariseChildStatuses(["Complete", "InProgress"])).toBe("InProgress");
    expect(summariseChildStatuses(["Complete", "InProgress"], true)).toBe("InProgress");
    expect(summariseChildStatuses(["Complete"], true)).toBe("Cancelled");
    expect(summariseChildStatuses(["FailedWithError"], true)).toBe("Cancelled");
    expect(summariseChildStatuses([])).toBe("Complete");
    expect(summariseChildStatuses(["FailedWithError", "FailedWithError"])).toBe("FailedWithError");
    expect(summariseChildStatuses(["Complete", "FailedWithError"])).toBe("CompleteWithError");
    expect(summariseChildStatuses(["Complete", "Cancelled"])).toBe("CompleteWithError");
    expect(summariseChildStatuses(["Cancelled"])).toBe("CompleteWithError");
    expect(summariseChildStatuses(["CompleteWithWarning", "CompleteWithError"])).toBe("CompleteWithError");
    expect(summariseChildStatuses(["Complete", "CompleteWithWarning"])).toBe("CompleteWithWarning");
    expect(summariseChildStatuses(["Complete", "Complete"])).toBe("Complete");
  });

  it("does not depend on the order of the steps", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ACTIVITY_STATUSES), { maxLength: 8 }), fc.boolean(), (list, c) => {
        const reversed = [...list].reverse();
        expect(summariseChildStatuses(reversed, c)).toBe(summariseChildStatuses(list, c));
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Counters
// ---------------------------------------------------------------------------------------------

describe("counters", () => {
  it("has seed 001's 23 counters, each with a label and shown in exactly one card group", () => {
    expect(COUNTER_FIELDS).toHaveLength(23);
    expect(Object.keys(COUNTER_LABELS).sort()).toEqual([...COUNTER_FIELDS].sort());
    const grouped = COUNTER_GROUPS.flatMap((g) => g.fields);
    expect(new Set(grouped).size).toBe(grouped.length);
    expect([...grouped].sort()).toEqual([...COUNTER_FIELDS].sort());
  });

  it("sumCounters adds each field over partial counters; an empty list gives zeros", () => {
    const total = sumCounters([{ totalJoins: 1 }, { totalJoins: 2, totalCreated: 3 }, {}]);
    expect(total.totalJoins).toBe(3);
    expect(total.totalCreated).toBe(3);
    expect(Object.keys(total)).toHaveLength(23);
    expect(total.totalCsoAdds).toBe(0);
    expect(sumCounters([])).toEqual(emptyCounters());
  });

  it("nonZeroCounters keeps only the fields that are not zero", () => {
    const c = { ...emptyCounters(), totalJoins: 2, totalObjectErrors: 1 };
    expect(nonZeroCounters(c)).toEqual({ totalJoins: 2, totalObjectErrors: 1 });
    expect(nonZeroCounters(emptyCounters())).toEqual({});
  });

  it("emptyCounters gives a fresh object each time", () => {
    const a = emptyCounters();
    a.totalJoins = 5;
    expect(emptyCounters().totalJoins).toBe(0);
  });
});

describe("vocabularies", () => {
  it("spells the six statuses and the identity manager's 22 error types (seed 002's six first) exactly", () => {
    expect(ACTIVITY_STATUSES).toEqual([
      "InProgress",
      "Complete",
      "CompleteWithWarning",
      "CompleteWithError",
      "FailedWithError",
      "Cancelled",
    ]);
    expect(ERROR_TYPES).toEqual([
      "AmbiguousMatch",
      "CouldNotMatchObjectType",
      "MissingExternalIdAttributeValue",
      "DuplicateObject",
      "UnresolvedReference",
      "UnhandledError",
      "CouldNotJoinDueToExistingJoin",
      "DuplicateImportedAttributes",
      "UnexpectedAttribute",
      "UnsupportedExternalIdAttributeType",
      "ExportNotConfirmed",
      "ExportConfirmationFailed",
      "CsoCreationFailed",
      "InvalidGeneratedExternalId",
      "ExpressionEvaluationError",
      "ExpressionMissingInput",
      "MultiValuedToSingleValued",
      "DeltaImportFallbackToFullImport",
      "ImportHashVerificationFailed",
      "ImportAttributeValueError",
      "ConnectorConfigurationError",
      "CouldNotExportDueToExistingConnectedSystemObject",
    ]);
    expect(ERROR_TYPES).toHaveLength(22);
    expect([...FULL_RUN_TYPES].sort()).toEqual(["FullImport", "FullSynchronisation"]);
    for (const t of FULL_RUN_TYPES) expect(RUN_TYPES).toContain(t);
  });
});

// ---------------------------------------------------------------------------------------------
// Rate, ETA, percentage
// ---------------------------------------------------------------------------------------------

const pts = (...p: [number, number][]) => p.map(([s, processed]) => ({ at: s * 1000, processed }));

describe("recentRate", () => {
  it("has no rate before two samples at least MIN_RATE_SPAN_MS apart", () => {
    expect(MIN_RATE_SPAN_MS).toBe(2000);
    expect(recentRate([])).toBeNull();
    expect(recentRate(pts([0, 0]))).toBeNull();
    expect(recentRate(pts([0, 0], [1.999, 100]))).toBeNull();
    expect(recentRate(pts([0, 0], [2, 100]))).toEqual({ rate: 50, spanMs: 2000 });
  });

  it("measures from the sample just before the window, so the span covers the whole window", () => {
    expect(RATE_WINDOW_MS).toBe(20_000);
    // last at 40 s: the window starts at 20 s; the sample at 20 s starts the span
    const p = pts([0, 0], [10, 100], [20, 200], [30, 300], [40, 1000]);
    expect(recentRate(p)).toEqual({ rate: 40, spanMs: 20_000 });
    // a sample at 25 s lies inside the window: the span still starts at the one before it (20 s)
    const q = pts([0, 0], [20, 200], [25, 250], [40, 1000]);
    expect(recentRate(q)).toEqual({ rate: 40, spanMs: 20_000 });
  });

  it("measures from the first sample when the whole run fits in the window", () => {
    expect(recentRate(pts([0, 0], [5, 100], [10, 300]))).toEqual({ rate: 30, spanMs: 10_000 });
  });

  it("moves the window with `now`: a run that stopped reporting shows the rate of its last samples", () => {
    const p = pts([0, 0], [10, 100], [20, 200], [30, 300], [40, 1000]);
    expect(recentRate(p, 60_000)).toEqual({ rate: 70, spanMs: 10_000 });
  });

  it("leaves out the time before the first object (connecting is not processing)", () => {
    // connecting 0-6 s, then 100 objects a second
    const p = pts([0, 0], [6, 0], [8, 200], [10, 400]);
    expect(recentRate(p)).toEqual({ rate: 100, spanMs: 4000 });
    expect(recentRate(pts([0, 0], [6, 0])), "nothing processed yet: no rate").toBeNull();
  });

  it("never reports a negative rate", () => {
    expect(recentRate(pts([0, 500], [10, 100]))).toEqual({ rate: 0, spanMs: 10_000 });
  });
});

describe("estimateSecondsRemaining", () => {
  const base = { processed: 100, total: 500, recent: null, history: null, elapsedMs: 10_000 };

  it("is 0 when the run has processed everything", () => {
    expect(estimateSecondsRemaining({ ...base, processed: 500 })).toBe(0);
    expect(estimateSecondsRemaining({ ...base, processed: 600 })).toBe(0);
  });

  it("uses the recent rate alone without earlier runs", () => {
    expect(estimateSecondsRemaining({ ...base, recent: { rate: 40, spanMs: 4000 } })).toBe(10);
  });

  it("blends the recent rate with earlier runs' rate while the window is short", () => {
    // a quarter of the window: 0.25 × 100 + 0.75 × 20 = 40 objects/s; 400 left → 10 s
    const history = { objectsPerSecond: 20, durationMs: 60_000, runs: 3 };
    expect(
      estimateSecondsRemaining({ ...base, recent: { rate: 100, spanMs: RATE_WINDOW_MS / 4 }, history }),
    ).toBeCloseTo(10, 10);
    // a full window: the recent rate alone
    expect(estimateSecondsRemaining({ ...base, recent: { rate: 100, spanMs: RATE_WINDOW_MS }, history })).toBe(4);
    expect(estimateSecondsRemaining({ ...base, recent: { rate: 100, spanMs: 3 * RATE_WINDOW_MS }, history })).toBe(4);
  });

  it("falls back to earlier runs' rate while the recent rate is zero or unknown", () => {
    const history = { objectsPerSecond: 20, durationMs: 60_000, runs: 3 };
    expect(estimateSecondsRemaining({ ...base, history })).toBe(20);
    expect(estimateSecondsRemaining({ ...base, recent: { rate: 0, spanMs: 10_000 }, history })).toBe(20);
  });

  it("with an unknown total, uses earlier runs' duration minus the time elapsed (never below 0)", () => {
    const history = { objectsPerSecond: 20, durationMs: 60_000, runs: 3 };
    expect(estimateSecondsRemaining({ ...base, total: null, history })).toBe(50);
    expect(estimateSecondsRemaining({ ...base, total: null, history, elapsedMs: 90_000 })).toBe(0);
    // a recent rate says nothing without a total
    expect(
      estimateSecondsRemaining({ ...base, total: null, recent: { rate: 10, spanMs: 20_000 }, history: null }),
    ).toBeNull();
  });

  it("adds earlier runs' tail, and before the first object what is left of their connecting time", () => {
    const history = { objectsPerSecond: 20, durationMs: 60_000, leadMs: 5000, tailMs: 3000, runs: 3 };
    // 400 left at 20/s = 20 s, and 3 s after the last object
    expect(estimateSecondsRemaining({ ...base, history })).toBe(23);
    // connecting for 2 s of the usual 5: 3 s more, 500 objects (25 s), the tail (3 s)
    expect(estimateSecondsRemaining({ ...base, processed: 0, elapsedMs: 2000, history })).toBe(31);
  });

  it("uses the duration when earlier runs processed nothing (no rate)", () => {
    const history = { objectsPerSecond: null, durationMs: 30_000, runs: 2 };
    expect(estimateSecondsRemaining({ ...base, history })).toBe(20);
  });

  it("is null with nothing to go on", () => {
    expect(estimateSecondsRemaining(base)).toBeNull();
    expect(estimateSecondsRemaining({ ...base, total: null })).toBeNull();
    expect(
      estimateSecondsRemaining({ ...base, history: { objectsPerSecond: null, durationMs: null, runs: 0 } }),
    ).toBeNull();
  });
});

describe("percentComplete", () => {
  it("is null while the total is unknown, 100 for an empty run, capped at 100, one decimal", () => {
    expect(percentComplete(10, null)).toBeNull();
    expect(percentComplete(0, 0)).toBe(100);
    expect(percentComplete(50, 200)).toBe(25);
    expect(percentComplete(1, 3)).toBe(33.3);
    expect(percentComplete(2, 3)).toBe(66.7);
    expect(percentComplete(300, 200)).toBe(100);
    expect(percentComplete(0, 10)).toBe(0);
  });
});

describe("median and runHistoryOf", () => {
  it("median of the finite values", () => {
    expect(median([])).toBeNull();
    expect(median([NaN, Infinity])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, NaN])).toBe(5);
  });

  it("takes medians over timed runs; rates only from runs that processed something", () => {
    const h = runHistoryOf([
      { objectsProcessed: 1000, executionTimeMs: 10_000 }, // 100/s
      { objectsProcessed: 500, executionTimeMs: 10_000 }, // 50/s
      { objectsProcessed: 0, executionTimeMs: 2_000 }, // no rate, but a duration
      { objectsProcessed: 700, executionTimeMs: null }, // untimed: ignored
      { objectsProcessed: 700, executionTimeMs: 0 }, // untimed: ignored
    ]);
    expect(h).toEqual({ objectsPerSecond: 75, durationMs: 10_000, leadMs: null, tailMs: null, runs: 3 });
  });

  it("takes the processing rate, lead and tail where the samples show when processing began and ended", () => {
    const h = runHistoryOf([
      { objectsProcessed: 1000, executionTimeMs: 16_000, leadMs: 4000, processMs: 10_000 }, // 100/s, tail 2 s
      { objectsProcessed: 600, executionTimeMs: 14_000, leadMs: 6000, processMs: 6000 }, // 100/s, tail 2 s
      { objectsProcessed: 300, executionTimeMs: 9000, leadMs: 3000, processMs: 6000 }, // 50/s, tail 0
    ]);
    expect(h).toEqual({ objectsPerSecond: 100, durationMs: 14_000, leadMs: 4000, tailMs: 2000, runs: 3 });
  });

  it("is null without timed runs; a rate of null when none processed objects", () => {
    expect(runHistoryOf([])).toBeNull();
    expect(runHistoryOf([{ objectsProcessed: 5, executionTimeMs: null }])).toBeNull();
    expect(runHistoryOf([{ objectsProcessed: 0, executionTimeMs: 4000 }])).toEqual({
      objectsPerSecond: null,
      durationMs: 4000,
      leadMs: null,
      tailMs: null,
      runs: 1,
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Schedule steps
// ---------------------------------------------------------------------------------------------

const plan = (n: number): PlannedStep[] =>
  Array.from({ length: n }, (_, i) => ({
    stepIndex: i + 1,
    name: `System ${i + 1}: Delta Import`,
    connectedSystemId: i + 1,
    connectedSystemName: `System ${i + 1}`,
    runProfileId: 10 + i,
    runProfileName: "Delta Import",
    runType: "DeltaImport",
    parallelGroup: null,
  }));

const act = (id: string, stepIndex: number | null, status: ActivityStatus, started = true): StepActivity => ({
  id,
  stepIndex,
  status,
  startedAt: started ? new Date("2026-11-22T10:00:00Z") : null,
});

describe("stepsOf", () => {
  it("joins the plan with the step activities; steps not started yet are Pending", () => {
    const views = stepsOf(plan(3), [act("a", 1, "Complete"), act("b", 2, "InProgress")], "InProgress");
    expect(views.map((v) => [v.stepIndex, v.status, v.activity?.id ?? null, v.plan?.runProfileId])).toEqual([
      [1, "Complete", "a", 10],
      [2, "InProgress", "b", 11],
      [3, "Pending", null, 12],
    ]);
  });

  it("places activities without a step index in the free steps, in the order given", () => {
    const views = stepsOf(plan(3), [act("x", null, "Complete"), act("y", null, "InProgress")], "InProgress");
    expect(views.map((v) => [v.stepIndex, v.activity?.id ?? null, v.status])).toEqual([
      [1, "x", "Complete"],
      [2, "y", "InProgress"],
      [3, null, "Pending"],
    ]);
    // a step with an index keeps it; the loose one takes the first free step
    const mixed = stepsOf(plan(3), [act("two", 2, "Complete"), act("loose", null, "Complete")], "InProgress");
    expect(mixed.map((v) => v.activity?.id ?? null)).toEqual(["loose", "two", null]);
  });

  it("a second activity claiming a taken step index moves to the next free step", () => {
    const views = stepsOf(plan(2), [act("a", 1, "Complete"), act("again", 1, "InProgress")], "InProgress");
    expect(views.map((v) => v.activity?.id)).toEqual(["a", "again"]);
  });

  it("shows activities beyond the plan (and without a plan at all), with the gaps Pending", () => {
    const views = stepsOf(plan(1), [act("a", 1, "Complete"), act("c", 3, "InProgress")], "InProgress");
    expect(views.map((v) => [v.stepIndex, v.status, v.plan === null])).toEqual([
      [1, "Complete", false],
      [2, "Pending", true],
      [3, "InProgress", true],
    ]);
    expect(stepsOf([], [], "InProgress")).toEqual([]);
    expect(stepsOf([], [act("only", null, "Complete")], "InProgress").map((v) => [v.stepIndex, v.plan])).toEqual([
      [1, null],
    ]);
  });
});

describe("steps of an execution that ended before all its steps ran", () => {
  it("counts the steps it never started as Cancelled and ended, like the steps that ran", () => {
    const cancelled = stepsOf(
      plan(4),
      [act("a", 1, "Complete"), act("b", 2, "FailedWithError"), act("c", 3, "Cancelled")],
      "Cancelled",
    );
    expect(cancelled.map((v) => [v.stepIndex, v.status, v.activity?.id ?? null])).toEqual([
      [1, "Complete", "a"],
      [2, "FailedWithError", "b"],
      [3, "Cancelled", "c"],
      [4, "Cancelled", null],
    ]);
    expect(currentStepOf(cancelled)).toBeNull();
    // An interrupted execution (ended FailedWithError by the sweep) starts no more steps either.
    expect(stepsOf(plan(2), [act("a", 1, "Cancelled")], "FailedWithError").map((v) => v.status)).toEqual([
      "Cancelled",
      "Cancelled",
    ]);
  });

  it("the lists' count from figures agrees with stepsOf", () => {
    // 5 planned, 3 step activities of which 2 ended, one still running.
    expect(endedStepCount("InProgress", { planned: 5, existing: 3, ended: 2 })).toBe(2);
    expect(endedStepCount("Cancelled", { planned: 5, existing: 3, ended: 3 })).toBe(5);
    expect(endedStepCount("FailedWithError", { planned: 2, existing: 0, ended: 0 })).toBe(2);
    // Steps recorded beyond the plan (through the API) are counted once.
    expect(endedStepCount("Complete", { planned: 1, existing: 3, ended: 3 })).toBe(3);
    const views = stepsOf(
      plan(5),
      [act("a", 1, "Complete"), act("b", 2, "Cancelled"), act("c", 3, "Cancelled")],
      "Cancelled",
    );
    expect(views.filter((v) => v.status !== "Pending" && v.status !== "InProgress")).toHaveLength(
      endedStepCount("Cancelled", { planned: 5, existing: 3, ended: 3 }),
    );
  });
});

describe("currentStepOf", () => {
  it("is the started, running step before a step still queued in its lane", () => {
    const steps = stepsOf(
      plan(3),
      [act("done", 1, "Complete"), act("queued", 2, "InProgress", false), act("running", 3, "InProgress", true)],
      "InProgress",
    );
    expect(currentStepOf(steps)?.activity?.id).toBe("running");
  });

  it("is a queued step when none has started, else the next pending step, else none", () => {
    expect(currentStepOf(stepsOf(plan(2), [act("q", 1, "InProgress", false)], "InProgress"))?.activity?.id).toBe("q");
    const pending = currentStepOf(stepsOf(plan(3), [act("a", 1, "Complete")], "InProgress"));
    expect(pending?.stepIndex).toBe(2);
    expect(pending?.status).toBe("Pending");
    expect(currentStepOf(stepsOf(plan(1), [act("a", 1, "FailedWithError")], "InProgress"))).toBeNull();
    expect(currentStepOf([])).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Failures across runs
// ---------------------------------------------------------------------------------------------

describe("objectKeyOf", () => {
  const o = (externalIdValue: string | null, connectedSystemObjectId: string | null, displayName: string | null) => ({
    externalIdValue,
    connectedSystemObjectId,
    displayName,
  });

  it("prefers the external id, then the connector-space id, then the name", () => {
    expect(objectKeyOf(o("E123", "cso-1", "Ann"))).toBe("ext:E123");
    expect(objectKeyOf(o(null, "cso-1", "Ann"))).toBe("cso:cso-1");
    expect(objectKeyOf(o(null, null, "Ann"))).toBe("name:Ann");
    expect(objectKeyOf(o(null, null, null))).toBeNull();
    // an empty value identifies nothing
    expect(objectKeyOf(o("", "", "Ann"))).toBe("name:Ann");
  });

  it("keys of different kinds never collide", () => {
    expect(objectKeyOf(o("x", null, null))).not.toBe(objectKeyOf(o(null, "x", null)));
    expect(objectKeyOf(o(null, "x", null))).not.toBe(objectKeyOf(o(null, null, "x")));
  });
});

describe("recoveryScope", () => {
  it("full runs that completed recover every open failure they did not fail again", () => {
    for (const runType of FULL_RUN_TYPES)
      for (const status of ["Complete", "CompleteWithWarning", "CompleteWithError"])
        expect(recoveryScope({ runType, status })).toBe("all-unfailed");
  });

  it("delta runs, exports and runs of unknown type recover only what they processed", () => {
    for (const runType of ["DeltaImport", "DeltaSynchronisation", "Export", null] as const)
      expect(recoveryScope({ runType, status: "CompleteWithError" })).toBe("processed");
  });

  it("failed, cancelled and running runs settle nothing", () => {
    for (const status of ["FailedWithError", "Cancelled", "InProgress"])
      expect(recoveryScope({ runType: "FullImport", status })).toBe("none");
  });
});

// ---------------------------------------------------------------------------------------------
// Outcomes, ids, names, secrets
// ---------------------------------------------------------------------------------------------

describe("outcome summaries", () => {
  it("formats seed 002's summary and parses it back", () => {
    const s = formatOutcomeSummary([
      { type: "Projected", count: 1 },
      { type: "AttributeFlow", count: 15 },
      { type: "PendingExportCreated", count: 2 },
      { type: "Joined", count: 0 },
    ]);
    expect(s).toBe("Projected:1,AttributeFlow:15,PendingExportCreated:2");
    expect(formatOutcomeSummary([])).toBeNull();
    expect(formatOutcomeSummary([{ type: "Joined", count: 0 }])).toBeNull();
    expect(parseOutcomeSummary(s)).toEqual([
      { type: "Projected", count: 1 },
      { type: "AttributeFlow", count: 15 },
      { type: "PendingExportCreated", count: 2 },
    ]);
  });

  it("parses nothing from nothing and skips malformed parts", () => {
    expect(parseOutcomeSummary(null)).toEqual([]);
    expect(parseOutcomeSummary(undefined)).toEqual([]);
    expect(parseOutcomeSummary("")).toEqual([]);
    expect(parseOutcomeSummary("Joined:x,Projected:2,:3")).toEqual([{ type: "Projected", count: 2 }]);
  });
});

describe("uuidv7", () => {
  it("is a v7 uuid that sorts by time", () => {
    const ids = [uuidv7(1_000), uuidv7(2_000), uuidv7(1_700_000_000_000), uuidv7(1_700_000_000_001)];
    for (const id of ids) {
      expect(id).toMatch(UUID_PATTERN);
      expect(id[14]).toBe("7");
      expect("89ab").toContain(id[19]);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(uuidv7(5)).not.toBe(uuidv7(5));
  });

  it("carries the time in its first 48 bits", () => {
    const t = Date.UTC(2026, 10, 22, 12, 0, 0, 123);
    expect(parseInt(uuidv7(t).replace(/-/g, "").slice(0, 12), 16)).toBe(t);
  });
});

describe("targetNameOf", () => {
  it("names the schedule, else system / run profile, else the system, else the target type", () => {
    const t = { targetType: "ConnectedSystemRunProfile" as const, scheduleName: null };
    expect(targetNameOf({ ...t, connectedSystemName: "HR", runProfileName: "Full Import" })).toBe("HR / Full Import");
    expect(targetNameOf({ ...t, connectedSystemName: "HR", runProfileName: null })).toBe("HR");
    expect(targetNameOf({ ...t, connectedSystemName: "HR", runProfileName: "x", scheduleName: "Nightly" })).toBe(
      "Nightly",
    );
    expect(
      targetNameOf({ targetType: "Certificate", connectedSystemName: null, runProfileName: null, scheduleName: null }),
    ).toBe("Certificate");
  });
});

describe("API key secrets", () => {
  it("are sw_ + 32 random bytes base64url, stored as sha256 and a 10-character prefix", () => {
    const k = generateApiKey();
    expect(k.secret).toMatch(/^sw_[A-Za-z0-9_-]{43}$/);
    expect(k.prefix).toBe(k.secret.slice(0, 10));
    expect(keyPrefix(k.secret)).toHaveLength(10);
    expect(k.secretHash).toBe(sha256(k.secret));
    expect(k.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(generateApiKey().secret).not.toBe(k.secret);
    const s = generateSessionToken();
    expect(s.tokenHash).toBe(sha256(s.token));
    expect(s.token).not.toBe(generateSessionToken().token);
  });
});

describe("failure trend buckets", () => {
  const at = (iso: string) => new Date(iso);

  it("grows the bucket with the range: hours, days, weeks, months, years", () => {
    const from = at("2026-01-01T00:00:00Z");
    const after = (days: number) => new Date(from.getTime() + days * 86_400_000);
    expect(trendBucketOf(from, after(2))).toBe("hour");
    expect(trendBucketOf(from, after(3))).toBe("day");
    expect(trendBucketOf(from, after(401))).toBe("week");
    expect(trendBucketOf(from, after(2801))).toBe("month");
    expect(trendBucketOf(at("2000-01-01T00:00:00Z"), at("9999-12-31T23:59:59.999Z"))).toBe("year");
  });

  it("starts weeks on Monday and months on the 1st, in UTC, as PostgreSQL's date_trunc does", () => {
    // 2026-11-25 is a Wednesday: its week starts on Monday the 23rd.
    const weeks = bucketStarts(at("2026-11-25T10:00:00Z"), at("2026-12-08T00:00:00Z"), "week");
    expect(weeks.map((t) => new Date(t).toISOString().slice(0, 10))).toEqual([
      "2026-11-23",
      "2026-11-30",
      "2026-12-07",
    ]);
    const months = bucketStarts(at("2026-01-31T12:00:00Z"), at("2026-03-01T00:00:00Z"), "month");
    expect(months.map((t) => new Date(t).toISOString().slice(0, 10))).toEqual([
      "2026-01-01",
      "2026-02-01",
      "2026-03-01",
    ]);
  });

  it("keeps every range to a few hundred buckets, up to the last instant of year 9999", () => {
    fc.assert(
      fc.property(
        fc.date({ min: at("1970-01-01T00:00:00Z"), max: at("9999-12-31T23:59:59.999Z"), noInvalidDate: true }),
        fc.date({ min: at("1970-01-01T00:00:00Z"), max: at("9999-12-31T23:59:59.999Z"), noInvalidDate: true }),
        (a, b) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const starts = bucketStarts(from, to, trendBucketOf(from, to));
          expect(starts.length).toBeGreaterThan(0);
          expect(starts.length).toBeLessThanOrEqual(8100);
          expect(starts[0]).toBeLessThanOrEqual(from.getTime());
          expect(starts.at(-1)!).toBeLessThanOrEqual(to.getTime());
        },
      ),
      { seed: 20261124, numRuns: 300 },
    );
  });
});
