/**
 * The seeded history, as CSV for COPY: the engine's cadence (the delta sync cycle every 15
 * minutes, the nightly full sync, a few manual runs and other activities a day) played forward
 * until the activity count is reached, one large initial load at the start, and a delta cycle
 * still running at the end (the activity the poll phase watches).
 */
import { Rng } from "@/lib/engine/random";
import { ADMIN_USERS, API_KEYS } from "@/lib/engine/names";
import { OTHER_KINDS, type OtherKind } from "@/lib/engine/other";
import { DELTA_CYCLE, NIGHTLY } from "@/lib/engine/demo-config";
import { activityName } from "@/lib/engine/runner";
import { COUNTER_FIELDS, emptyCounters, sumCounters, type Counters } from "@/lib/domain/counters";
import { completionStatus, summariseChildStatuses } from "@/lib/domain/activity";
import type { PlannedStep } from "@/lib/domain/schedule";
import type { ActivityStatus, ActivityTargetType, InitiatorType, RunType } from "@/lib/domain/enums";
import type { SeedConfig, SeedRunProfile, SeedSchedule } from "./config";
import { csvLine, pgTextArray, type CsvValue } from "./csv";
import { timeUuid } from "./ids";
import { targetNameOf } from "@/lib/domain/target";
import { familyOf, generateRunItems, type GeneratedItem } from "./items";
import { FailureTracker } from "./failures";

export const ACTIVITY_COLUMNS = [
  "id",
  "name",
  "targetType",
  "connectedSystemId",
  "connectedSystemName",
  "runProfileId",
  "runProfileName",
  "runType",
  "scheduleId",
  "scheduleName",
  "scheduleExecutionId",
  "stepIndex",
  "plannedSteps",
  "previousRunId",
  "targetName",
  "status",
  "initiatorType",
  "initiatorId",
  "initiatorName",
  "createdAt",
  "startedAt",
  "endedAt",
  "executionTimeMs",
  "totalActivityTimeMs",
  "objectsToProcess",
  "objectsProcessed",
  "message",
  "errorMessage",
  "errorStackTrace",
  "warnings",
  "cancelRequested",
  "parentActivityId",
  "childCount",
  "version",
  "updatedAt",
  "itemCount",
  "errorTypeCounts",
  "objectTypeCounts",
  ...COUNTER_FIELDS,
] as const;

export const ITEM_COLUMNS = [
  "id",
  "activityId",
  "sequence",
  "externalIdValue",
  "displayName",
  "connectedSystemObjectType",
  "objectChangeType",
  "errorType",
  "errorMessage",
  "errorDetail",
  "outcomeSummary",
  "outcomes",
  "attributeChanges",
  "connectedSystemId",
  "connectedSystemObjectId",
  "metaverseObjectId",
  "processedAt",
  "recurrence",
] as const;

export const SAMPLE_COLUMNS = [
  "activityId",
  "at",
  "objectsToProcess",
  "objectsProcessed",
  "totalObjectChangeCount",
  "totalObjectErrors",
  "counters",
] as const;

/** One COPY-sized slice of the history. */
export interface SeedBatch {
  activities: string;
  items: string;
  samples: string;
  failureEvents: string;
  /** ObjectFailure rows: only in the last batch (their state at the end of the history). */
  failures: string;
  activityCount: number;
  itemCount: number;
  sampleCount: number;
  failureEventCount: number;
  failureCount: number;
}

/** Activities the measurements use, found while generating. */
export interface SeedFixtures {
  /** The running run-profile step of the running delta cycle. */
  inProgressRunId: string;
  /** The running delta cycle itself. */
  inProgressScheduleId: string;
  /** The newest finished schedule execution (children, tree). */
  finishedScheduleId: string;
  /** The initial load: the run with the most items (deep item paging, the 100-row grid). */
  largestRunId: string;
  largestRunItems: number;
  /** A recent finished run with errors and about the average number of items. */
  typicalRunId: string;
  typicalRunItems: number;
  /** The item count a typical run is chosen around (the store picks it after retention flags). */
  typicalTargetItems: number;
  /** ObjectFailure rows, and how many are open. */
  failures: number;
  openFailures: number;
  /** The open failure with the longest history (the failure-object route). */
  failureId: string;
  /** The error type most open failures have. */
  dominantErrorType: string;
}

export interface SeedSize {
  activities: number;
  items: number;
}

type Initiator = { type: InitiatorType; id: string | null; name: string };
type Event =
  | { kind: "schedule"; at: number; schedule: SeedSchedule }
  | { kind: "run"; at: number; runProfile: SeedRunProfile; by: Initiator; initialLoad?: boolean }
  | { kind: "other"; at: number; other: OtherKind; by: Initiator };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Mean items of a run relative to a delta run. */
const ITEM_WEIGHT: Record<RunType, number> = {
  FullImport: 25,
  FullSynchronisation: 25,
  DeltaImport: 1,
  DeltaSynchronisation: 1,
  Export: 2,
};
const BATCH_CHARS = 4_000_000;
const SEED = 20261122;

const scheduler = (s: SeedSchedule): Initiator => ({ type: "System", id: String(s.id), name: "Scheduler" });

function person(rng: Rng): Initiator {
  if (rng.chance(0.7)) {
    const u = rng.pick(ADMIN_USERS);
    return { type: "User", id: u.id, name: u.name };
  }
  const k = rng.pick(API_KEYS);
  return { type: "ApiKey", id: k.id, name: k.name };
}

/** Activities written per day by the engine's cadence. */
function activitiesPerDay(config: SeedConfig): number {
  const delta = config.schedules.find((s) => s.name === DELTA_CYCLE)!;
  const nightly = config.schedules.find((s) => s.name === NIGHTLY)!;
  return (DAY / (delta.intervalMinutes * MINUTE)) * (delta.steps.length + 1) + nightly.steps.length + 1 + 4 + 3;
}

/** The history's events in time order, until `activities` activities are planned. */
function* events(config: SeedConfig, activities: number, now: number): Generator<Event> {
  const rng = new Rng(SEED);
  const delta = config.schedules.find((s) => s.name === DELTA_CYCLE)!;
  const nightly = config.schedules.find((s) => s.name === NIGHTLY)!;
  const start = now - Math.ceil((activities / activitiesPerDay(config)) * DAY) - DAY;
  const adFullImport = config.runProfiles.find((rp) => rp.system.def.key === "ad" && rp.runType === "FullImport")!;
  yield {
    kind: "run",
    at: start,
    runProfile: adFullImport,
    by: { type: "User", id: ADMIN_USERS[0].id, name: ADMIN_USERS[0].name },
    initialLoad: true,
  };
  let planned = 1;
  for (let day = Math.floor(start / DAY) * DAY + DAY; planned < activities; day += DAY) {
    const todays: Event[] = [];
    for (let t = day; t < day + DAY; t += delta.intervalMinutes * MINUTE)
      todays.push({ kind: "schedule", at: t + rng.int(0, 30) * 1000, schedule: delta });
    todays.push({ kind: "schedule", at: day + 2 * 60 * MINUTE, schedule: nightly });
    for (let i = rng.int(2, 6); i > 0; i--)
      todays.push({
        kind: "run",
        at: day + rng.int(8 * 60, 18 * 60) * MINUTE + 7_000,
        runProfile: rng.pick(config.runProfiles),
        by: person(rng),
      });
    for (let i = rng.int(2, 4); i > 0; i--)
      todays.push({
        kind: "other",
        at: day + rng.int(7 * 60, 19 * 60) * MINUTE + 11_000,
        other: rng.pick(OTHER_KINDS),
        by: person(rng),
      });
    todays.sort((a, b) => a.at - b.at);
    for (const e of todays) {
      if (planned >= activities || e.at > now - 30 * MINUTE) return;
      planned += e.kind === "schedule" ? e.schedule.steps.length + 1 : 1;
      yield e;
    }
  }
}

/** Sum of ITEM_WEIGHT over every run the history plans (to spread the item budget). */
function plannedItemWeight(config: SeedConfig, activities: number, now: number): number {
  let total = 0;
  for (const e of events(config, activities, now)) {
    if (e.kind === "schedule") for (const st of e.schedule.steps) total += ITEM_WEIGHT[st.runProfile.runType];
    else if (e.kind === "run" && !e.initialLoad) total += ITEM_WEIGHT[e.runProfile.runType];
  }
  return total;
}

interface ActivityRecord {
  id: string;
  name: string;
  targetType: ActivityTargetType;
  runProfile?: SeedRunProfile;
  schedule?: SeedSchedule;
  status: ActivityStatus;
  by: Initiator;
  createdAt: number;
  endedAt: number | null;
  objectsToProcess: number | null;
  objectsProcessed: number;
  message: string | null;
  errorMessage: string | null;
  errorStackTrace: string | null;
  warnings: string[];
  cancelRequested: boolean;
  parentId: string | null;
  childCount: number;
  counters: Counters;
  /** Schedule steps: the execution and the 1-based step. */
  step?: { executionId: string; index: number; schedule: SeedSchedule };
  plannedSteps?: PlannedStep[];
  previousRunId?: string | null;
  items?: { count: number; errorTypes: Record<string, number>; objectTypes: Record<string, number> };
}

function activityCsv(a: ActivityRecord): string {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const values: CsvValue[] = [
    a.id,
    a.name,
    a.targetType,
    a.runProfile?.system.id ?? null,
    a.runProfile?.system.def.name ?? null,
    a.runProfile?.id ?? null,
    a.runProfile?.name ?? null,
    a.runProfile?.runType ?? null,
    a.schedule?.id ?? a.step?.schedule.id ?? null,
    a.schedule?.name ?? a.step?.schedule.name ?? null,
    a.step?.executionId ?? null,
    a.step?.index ?? null,
    a.plannedSteps ? JSON.stringify(a.plannedSteps) : null,
    a.previousRunId ?? null,
    targetNameOf({
      targetType: a.targetType,
      connectedSystemName: a.runProfile?.system.def.name ?? null,
      runProfileName: a.runProfile?.name ?? null,
      scheduleName: a.schedule?.name ?? null,
    }),
    a.status,
    a.by.type,
    a.by.id,
    a.by.name,
    iso(a.createdAt),
    iso(a.createdAt),
    iso(a.endedAt),
    a.endedAt === null ? null : a.endedAt - a.createdAt,
    a.endedAt === null ? null : a.endedAt - a.createdAt,
    a.objectsToProcess,
    a.objectsProcessed,
    a.message,
    a.errorMessage,
    a.errorStackTrace,
    pgTextArray(a.warnings),
    a.cancelRequested,
    a.parentId,
    a.childCount,
    1 + a.childCount,
    iso(a.endedAt ?? a.createdAt),
    a.items?.count ?? 0,
    JSON.stringify(a.items?.errorTypes ?? {}),
    JSON.stringify(a.items?.objectTypes ?? {}),
  ];
  for (const f of COUNTER_FIELDS) values.push(a.counters[f]);
  return csvLine(values);
}

export function itemCsv(activityId: string, connectedSystemId: number, i: GeneratedItem): string {
  return csvLine([
    i.id,
    activityId,
    i.sequence,
    i.externalIdValue,
    i.displayName,
    i.connectedSystemObjectType,
    i.objectChangeType,
    i.errorType,
    i.errorMessage,
    i.errorDetail,
    i.outcomeSummary,
    JSON.stringify(i.outcomes),
    JSON.stringify(i.attributeChanges),
    connectedSystemId,
    i.connectedSystemObjectId,
    i.metaverseObjectId,
    new Date(i.processedAt).toISOString(),
    i.recurrence,
  ]);
}

function nonZero(c: Counters): Partial<Counters> {
  const out: Partial<Counters> = {};
  for (const f of COUNTER_FIELDS) if (c[f]) out[f] = c[f];
  return out;
}

function plannedStepsOf(schedule: SeedSchedule): PlannedStep[] {
  return schedule.steps.map((st, i) => ({
    stepIndex: i + 1,
    name: activityName({ connectedSystemName: st.runProfile.system.def.name, runProfileName: st.runProfile.name }),
    connectedSystemId: st.runProfile.system.id,
    connectedSystemName: st.runProfile.system.def.name,
    runProfileId: st.runProfile.id,
    runProfileName: st.runProfile.name,
    runType: st.runProfile.runType,
    parallelGroup: st.parallelGroup,
  }));
}

/** Samples every `everyItems` items of a run, with the counters as they stood then. */
function samplesCsv(
  activityId: string,
  items: GeneratedItem[],
  objectsToProcess: number | null,
  everyItems: number,
): { text: string; count: number } {
  let text = "";
  let count = 0;
  let changes = 0;
  let errors = 0;
  for (let n = 0; n < items.length; n++) {
    if (items[n].errorType) errors++;
    else changes++;
    if ((n + 1) % everyItems !== 0 && n !== items.length - 1) continue;
    const snapshot = nonZero({
      ...emptyCounters(),
      totalObjectsProcessed: n + 1,
      totalObjectChangeCount: changes,
      totalObjectErrors: errors,
    });
    text += csvLine([
      activityId,
      new Date(items[n].processedAt).toISOString(),
      objectsToProcess,
      n + 1,
      changes,
      errors,
      JSON.stringify(snapshot),
    ]);
    count++;
  }
  return { text, count };
}

/**
 * Generates the history in batches of about BATCH_CHARS characters per table. `fixtures` is
 * filled in as the generator runs and complete when it returns.
 */
export function* generateHistory(
  config: SeedConfig,
  size: SeedSize,
  now: number,
  fixtures: Partial<SeedFixtures>,
): Generator<SeedBatch> {
  const rng = new Rng(SEED ^ 0x5bd1e995);
  const largestRunItems = Math.max(500, Math.round(size.items * 0.015));
  const inProgressItems = 2_000;
  const weight = plannedItemWeight(config, size.activities, now);
  const itemsPerWeight = Math.max(0, size.items - largestRunItems - inProgressItems) / Math.max(1, weight);
  const typicalItems = itemsPerWeight * ITEM_WEIGHT.DeltaSynchronisation * 4;
  let itemCounter = 0;
  const nextItemId = () => itemCounter++;
  const failures = new FailureTracker();
  const lastRunOf = new Map<number, string>();
  fixtures.typicalTargetItems = Math.round(typicalItems);
  let activityCounter = 0;
  // Lines are collected in arrays and joined once per batch: appending millions of short strings
  // builds rope strings that keep the garbage collector busy for most of the run.
  let lines = { activities: [] as string[], items: [] as string[], samples: [] as string[], chars: 0 };
  const counts = { activityCount: 0, itemCount: 0, sampleCount: 0 };
  const takeBatch = (last = false): SeedBatch => {
    const rows = last ? failures.failuresCsv() : { text: "", count: 0, open: 0 };
    const b = {
      activities: lines.activities.join(""),
      items: lines.items.join(""),
      samples: lines.samples.join(""),
      failureEventCount: failures.eventCount,
      failureEvents: failures.takeEvents(),
      failures: rows.text,
      failureCount: rows.count,
      ...counts,
    };
    failures.eventCount = 0;
    lines = { activities: [], items: [], samples: [], chars: 0 };
    counts.activityCount = counts.itemCount = counts.sampleCount = 0;
    return b;
  };

  const emitActivity = (a: ActivityRecord) => {
    lines.activities.push(activityCsv(a));
    counts.activityCount++;
  };
  const newId = (at: number) => timeUuid(at, 0xa000000 + activityCounter++);

  /** One run-profile activity with its items; returns its record (already emitted) for the parent's roll-up. */
  const run = (
    rp: SeedRunProfile,
    at: number,
    by: Initiator,
    parentId: string | null,
    opts: { items?: number; running?: boolean; step?: ActivityRecord["step"] } = {},
  ): ActivityRecord => {
    const id = newId(at);
    const family = familyOf(rp.runType);
    const failed = !opts.running && rng.chance(0.003);
    const cancelled = !opts.running && !failed && rng.chance(0.002);
    const mean = ITEM_WEIGHT[rp.runType] * itemsPerWeight;
    let count = opts.items ?? rng.poisson(mean * (0.5 + rng.next()));
    if (failed || cancelled) count = Math.floor(count * rng.next() * 0.5);
    const unchanged =
      rp.runType === "FullImport" || rp.runType === "FullSynchronisation" ? count * rng.int(2, 6) : rng.int(0, count);
    const msPerObject = family === "export" ? 40 : family === "import" ? 4 : 8;
    // New failures: 0.25 % of items (2 % in one run in twenty); with the objects that keep failing
    // (KEEP_FAILING) about 1.7 % of items fail.
    const errorRate = rng.chance(0.05) ? 0.02 : 0.0025;
    const { items, counters } = generateRunItems(
      rng,
      rp.system,
      rp.runType,
      count,
      opts.running ? 0 : unchanged,
      at + 1500,
      msPerObject,
      errorRate,
      nextItemId,
      failures.failingAgain(rng, rp),
    );
    const warnings =
      !opts.running && rng.chance(0.01)
        ? [`${rng.int(2, 40)} objects were skipped: they are outside the run profile's partition`]
        : [];
    const endedAt = opts.running
      ? null
      : at + 1500 + Math.round((count + unchanged) * msPerObject) + rng.int(200, 2000);
    const status: ActivityStatus = opts.running
      ? "InProgress"
      : failed
        ? "FailedWithError"
        : cancelled
          ? "Cancelled"
          : completionStatus({ objectErrors: counters.totalObjectErrors, warnings: warnings.length });
    const record: ActivityRecord = {
      id,
      name: activityName({ connectedSystemName: rp.system.def.name, runProfileName: rp.name }),
      targetType: "ConnectedSystemRunProfile",
      runProfile: rp,
      status,
      by,
      createdAt: at,
      endedAt,
      objectsToProcess: opts.running ? count * 3 : count + unchanged,
      objectsProcessed: count + (opts.running ? 0 : unchanged),
      message: opts.running ? "Processing objects" : null,
      errorMessage: failed ? `Could not connect to ${rp.system.def.name}: connection timed out after 30 s` : null,
      errorStackTrace: failed
        ? "Error: connect ETIMEDOUT\n    at Connector.open (connector.ts:41:13)\n    at Runner.run (runner.ts:150:7)"
        : null,
      warnings,
      cancelRequested: cancelled,
      parentId,
      childCount: 0,
      counters,
      step: opts.step,
      previousRunId: lastRunOf.get(rp.id) ?? null,
      items: { count: items.length, errorTypes: {}, objectTypes: {} },
    };
    failures.recordRun(
      { id, name: record.name, rp, completed: !opts.running && !failed && !cancelled, endedAt },
      items,
    );
    lastRunOf.set(rp.id, id);
    if (!opts.running)
      for (const item of items) {
        const t = record.items!;
        if (item.errorType) t.errorTypes[item.errorType] = (t.errorTypes[item.errorType] ?? 0) + 1;
        t.objectTypes[item.connectedSystemObjectType] = (t.objectTypes[item.connectedSystemObjectType] ?? 0) + 1;
      }
    emitActivity(record);
    for (const item of items) {
      const line = itemCsv(id, rp.system.id, item);
      lines.items.push(line);
      lines.chars += line.length;
    }
    counts.itemCount += items.length;
    const sampled = opts.running || items.length >= 500 || rng.chance(0.05);
    if (sampled && items.length > 0) {
      const s = samplesCsv(
        id,
        items,
        record.objectsToProcess,
        Math.max(1, Math.ceil(items.length / (opts.running ? 60 : 10))),
      );
      lines.samples.push(s.text);
      counts.sampleCount += s.count;
    }
    if (!opts.running && counters.totalObjectErrors > 0 && count >= typicalItems && count <= typicalItems * 3) {
      fixtures.typicalRunId = id;
      fixtures.typicalRunItems = count;
    }
    return record;
  };

  const scheduleRun = (schedule: SeedSchedule, at: number, running: boolean): ActivityRecord => {
    const id = newId(at);
    const children: ActivityRecord[] = [];
    const stepsToRun = running ? 4 : schedule.steps.length;
    let t = at + 800;
    const cancelAfter = !running && rng.chance(0.002) ? rng.int(1, schedule.steps.length - 1) : null;
    for (let i = 0; i < stepsToRun && i !== cancelAfter; i++) {
      const runningStep = running && i === stepsToRun - 1;
      const step = { executionId: id, index: i + 1, schedule };
      const child = run(
        schedule.steps[i].runProfile,
        t,
        scheduler(schedule),
        id,
        runningStep ? { items: inProgressItems, running: true, step } : { step },
      );
      children.push(child);
      if (runningStep) {
        fixtures.inProgressRunId = child.id;
        fixtures.inProgressScheduleId = id;
      }
      t = (child.endedAt ?? t) + rng.int(500, 3000);
    }
    const statuses = children.map((c) => c.status);
    const summary = cancelAfter !== null ? "Cancelled" : summariseChildStatuses(statuses);
    const status: ActivityStatus = running ? "InProgress" : summary === "InProgress" ? "CompleteWithError" : summary;
    const record: ActivityRecord = {
      id,
      name: schedule.name,
      targetType: "Schedule",
      schedule,
      plannedSteps: plannedStepsOf(schedule),
      status,
      by: scheduler(schedule),
      createdAt: at,
      endedAt: running ? null : t,
      objectsToProcess: schedule.steps.length,
      objectsProcessed: running ? children.length - 1 : children.length,
      message: running
        ? `Step ${children.length} of ${schedule.steps.length}: ${children[children.length - 1].name}`
        : `${children.length} steps done`,
      errorMessage: null,
      errorStackTrace: null,
      warnings: [],
      cancelRequested: cancelAfter !== null,
      parentId: null,
      childCount: children.length,
      counters: sumCounters(children.map((c) => c.counters)),
    };
    emitActivity(record);
    if (!running) fixtures.finishedScheduleId = id;
    return record;
  };

  const other = (kind: OtherKind, at: number, by: Initiator) => {
    const system = rng.pick(config.systems).def.name;
    const names: Record<OtherKind, string> = {
      SchemaImport: `Schema import: ${system}`,
      DataGeneration: `Generate test data: ${rng.pick([50, 100, 250, 500])} people`,
      Certificate: `Certificate renewal: ${system}`,
      ConfigurationChange: `Configuration change: ${system} attribute flow rules`,
    };
    emitActivity({
      id: newId(at),
      name: names[kind],
      targetType: kind,
      status: "Complete",
      by,
      createdAt: at,
      endedAt: at + rng.int(800, 20_000),
      objectsToProcess: null,
      objectsProcessed: rng.int(1, 6),
      message: null,
      errorMessage: null,
      errorStackTrace: null,
      warnings: [],
      cancelRequested: false,
      parentId: null,
      childCount: 0,
      counters: emptyCounters(),
    });
  };

  for (const e of events(config, size.activities, now)) {
    if (e.kind === "schedule") scheduleRun(e.schedule, e.at, false);
    else if (e.kind === "run") {
      // The initial load is recorded at the end (below), so that retention keeps its items.
      if (!e.initialLoad) run(e.runProfile, e.at, e.by, null);
    } else other(e.other, e.at, e.by);
    if (lines.chars > BATCH_CHARS) yield takeBatch();
  }
  // The largest run: a re-initialisation of Active Directory (a full import) that ended a while ago:
  // among the last runs of its profile, so its items are retained.
  const adFullImport = config.runProfiles.find((rp) => rp.system.def.key === "ad" && rp.runType === "FullImport")!;
  const largest = run(
    adFullImport,
    now - 4 * 60 * MINUTE,
    { type: "User", id: ADMIN_USERS[0].id, name: ADMIN_USERS[0].name },
    null,
    { items: largestRunItems },
  );
  fixtures.largestRunId = largest.id;
  fixtures.largestRunItems = largestRunItems;
  const delta = config.schedules.find((s) => s.name === DELTA_CYCLE)!;
  scheduleRun(delta, now - 3 * MINUTE, true);
  yield takeBatch(true);
}
