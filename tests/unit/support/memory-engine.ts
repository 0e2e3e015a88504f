/**
 * An in-memory implementation of the engine's ports (lib/engine/ports.ts) with the rules of the
 * store recorder (lib/services/recorder.ts): bodies must satisfy the write API's schemas, writes
 * to an ended activity are refused (409), a refused progress report stores nothing, item batches
 * are idempotent per sequence, complete() derives the status and refuses a less severe one,
 * a schedule cannot complete while a step runs, cancel() cascades to running and queued
 * descendants, queued runs wait (started null) until start() claims them once. The store side
 * answers the dispatcher's questions (queued runs oldest first, busy lanes, owned runs).
 */
import { AppendItemsBody, NewExecutionItem as ItemSchema } from "@/lib/api/items";
import { CompleteActivityBody, CreateActivityBody } from "@/lib/api/activities";
import { ProgressBody } from "@/lib/api/progress";
import {
  progressContradiction,
  resolveCompletionStatus,
  summariseChildStatuses,
  type Completion,
  type InitiatedBy,
  type NewActivity,
  type NewExecutionItem,
  type ProgressReport,
} from "@/lib/domain/activity";
import { COUNTER_FIELDS, emptyCounters, type Counters } from "@/lib/domain/counters";
import type { ActivityStatus } from "@/lib/domain/enums";
import { ConflictError, BadRequestError, activityEnded, activityNotFound } from "@/lib/domain/errors";
import type { ActivityRecorder } from "@/lib/domain/recorder";
import { memoryConfiguration } from "@/lib/engine/demo-config";
import type { DemoHistoryMark, DemoHistoryState } from "@/lib/domain/configuration";
import type { EnginePorts, EngineStore, RunRecord } from "@/lib/engine/ports";
import type { Clock } from "@/lib/engine/runner";

export type Op = "create" | "start" | "reportProgress" | "appendItems" | "complete" | "cancel";

export interface MemPhase {
  name: string;
  status: "Running" | "Complete" | "Failed" | "Cancelled";
  started: number;
  ended: number | null;
}

export interface MemItem extends NewExecutionItem {
  appendedAt: number;
}

export interface MemActivity {
  id: string;
  seq: number;
  input: CreateActivityBody;
  initiatedBy: InitiatedBy;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  status: ActivityStatus;
  cancelRequested: boolean;
  queueKey: string | null;
  ownerInstanceId: string | null;
  objectsToProcess: number | null;
  objectsProcessed: number;
  message: string | null;
  counters: Counters;
  warnings: string[];
  errorMessage: string | null;
  errorStackTrace: string | null;
  phases: MemPhase[];
  items: MemItem[];
  samples: { at: number; objectsProcessed: number }[];
}

const fakeId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const SEVERITY: ActivityStatus[] = [
  "Complete",
  "CompleteWithWarning",
  "CompleteWithError",
  "FailedWithError",
  "Cancelled",
];
const sameItem = (a: NewExecutionItem, b: NewExecutionItem) => {
  const strip = ({ processedAt: _p, id: _i, ...rest }: NewExecutionItem) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
};

export class MemoryRecorder implements ActivityRecorder {
  readonly activities = new Map<string, MemActivity>();
  /** Writes refused because the activity had already ended. */
  readonly rejected: { op: Op; id: string; status: ActivityStatus }[] = [];
  /** Every accepted write, in order. */
  readonly writes: { op: Op; id: string }[] = [];
  /** Called after each accepted write (tests use it to act from outside at a chosen point). */
  afterWrite?: (op: Op, activity: MemActivity) => void | Promise<void>;
  private n = 0;

  constructor(private readonly clock: Clock) {}

  list(): MemActivity[] {
    return [...this.activities.values()];
  }
  get(id: string): MemActivity {
    const a = this.activities.get(id);
    if (!a) throw activityNotFound(id);
    return a;
  }
  children(id: string): MemActivity[] {
    return this.list()
      .filter((a) => a.input.parentActivityId === id)
      .sort((a, b) => a.seq - b.seq);
  }

  private running(op: Op, id: string): MemActivity {
    const a = this.get(id);
    if (a.status !== "InProgress") {
      this.rejected.push({ op, id, status: a.status });
      throw activityEnded(id, a.status);
    }
    return a;
  }

  private async accepted(op: Op, a: MemActivity) {
    this.writes.push({ op, id: a.id });
    await this.afterWrite?.(op, a);
  }

  private closePhases(a: MemActivity, status: MemPhase["status"], at: number) {
    for (const p of a.phases) if (p.ended === null) Object.assign(p, { status, ended: at });
  }

  async create(
    input: NewActivity,
    initiatedBy: InitiatedBy,
    opts: { at?: Date; owner?: { instanceId: string; lane?: string }; queue?: { key: string; dedupe?: boolean } } = {},
  ): Promise<{ id: string; deduplicated: boolean }> {
    const body = CreateActivityBody.parse(input);
    if (body.parentActivityId) this.running("create", body.parentActivityId);
    if (opts.queue?.dedupe) {
      const dup = this.list().find(
        (a) =>
          a.status === "InProgress" &&
          a.startedAt === null &&
          !a.input.parentActivityId &&
          a.queueKey !== null &&
          a.input.targetType === body.targetType &&
          (body.runProfileId !== undefined
            ? a.input.runProfileId === body.runProfileId
            : a.input.scheduleId === body.scheduleId),
      );
      if (dup) return { id: dup.id, deduplicated: true };
    }
    const at = (opts.at ?? new Date(this.clock.now())).getTime();
    const seq = ++this.n;
    const id = fakeId(seq);
    const a: MemActivity = {
      id,
      seq,
      input: body,
      initiatedBy,
      createdAt: at,
      startedAt: opts.queue ? null : at,
      endedAt: null,
      status: "InProgress",
      cancelRequested: false,
      queueKey: opts.queue?.key ?? opts.owner?.lane ?? null,
      ownerInstanceId: opts.owner?.instanceId ?? null,
      objectsToProcess: body.objectsToProcess ?? null,
      objectsProcessed: 0,
      message: body.message ?? null,
      counters: emptyCounters(),
      warnings: [],
      errorMessage: null,
      errorStackTrace: null,
      phases: [],
      items: [],
      samples: [],
    };
    this.activities.set(id, a);
    await this.accepted("create", a);
    return { id, deduplicated: false };
  }

  async start(id: string, opts: { instanceId: string; at?: Date }): Promise<boolean> {
    const a = this.activities.get(id);
    if (!a || a.status !== "InProgress" || a.startedAt !== null) return false;
    a.startedAt = (opts.at ?? new Date(this.clock.now())).getTime();
    a.ownerInstanceId = opts.instanceId;
    await this.accepted("start", a);
    return true;
  }

  async reportProgress(id: string, progress: ProgressReport, at = new Date(this.clock.now())): Promise<void> {
    const body = ProgressBody.parse(progress);
    const a = this.running("reportProgress", id);
    const processed = body.objectsProcessed ?? a.objectsProcessed;
    const total = body.objectsToProcess ?? a.objectsToProcess;
    const contradiction = progressContradiction(processed, total);
    if (contradiction) throw new ConflictError(contradiction);
    Object.assign(a.counters, body.counters ?? {});
    a.objectsToProcess = total;
    a.objectsProcessed = processed;
    if (body.message !== undefined) a.message = body.message;
    for (const w of body.warnings ?? []) if (!a.warnings.includes(w)) a.warnings.push(w);
    if (body.phase !== undefined) {
      const last = a.phases.at(-1);
      if (!last || last.name !== body.phase || last.ended !== null) {
        this.closePhases(a, "Complete", at.getTime());
        a.phases.push({ name: body.phase, status: "Running", started: at.getTime(), ended: null });
      }
    }
    a.samples.push({ at: at.getTime(), objectsProcessed: a.objectsProcessed });
    await this.accepted("reportProgress", a);
  }

  async appendItems(
    id: string,
    items: NewExecutionItem[],
    at = new Date(this.clock.now()),
  ): Promise<{ inserted: number; duplicates: number }> {
    const parsed = AppendItemsBody.parse({ items: items.map((i) => ItemSchema.parse(i)) }).items;
    const a = this.running("appendItems", id);
    if (a.input.targetType !== "ConnectedSystemRunProfile")
      throw new BadRequestError("Activity is not a run profile activity.");
    const stored = new Map(a.items.map((i) => [i.sequence, i]));
    const conflicts = parsed.filter((i) => stored.has(i.sequence) && !sameItem(stored.get(i.sequence)!, i));
    if (conflicts.length)
      throw new ConflictError("Items already stored with other content.", {
        sequences: conflicts.map((c) => c.sequence),
      });
    let inserted = 0;
    for (const i of parsed) {
      if (stored.has(i.sequence)) continue;
      a.items.push({ ...i, appendedAt: at.getTime() });
      inserted++;
    }
    await this.accepted("appendItems", a);
    return { inserted, duplicates: items.length - inserted };
  }

  async complete(id: string, result: Completion, at = new Date(this.clock.now())): Promise<ActivityStatus> {
    const body = CompleteActivityBody.parse(result);
    const a = this.running("complete", id);
    const children = this.children(id);
    if (children.some((c) => c.status === "InProgress"))
      throw new ConflictError(`Activity ${id} still has running step(s).`);
    const counters = { ...a.counters, ...(body.counters ?? {}) };
    const objectsProcessed = body.objectsProcessed ?? a.objectsProcessed;
    const contradiction = progressContradiction(objectsProcessed, a.objectsToProcess);
    if (contradiction) throw new ConflictError(contradiction);
    const warnings = [...new Set([...a.warnings, ...(body.warnings ?? [])])];
    let status: ActivityStatus;
    if (a.input.targetType === "Schedule" && children.length) {
      const derived = summariseChildStatuses(children.map((c) => c.status));
      status = body.status ?? derived;
      if (SEVERITY.indexOf(status) < SEVERITY.indexOf(derived)) throw new ConflictError(`contradicts ${derived}`);
    } else {
      const r = resolveCompletionStatus(body.status, {
        objectErrors: counters.totalObjectErrors,
        warnings: warnings.length,
      });
      if ("refused" in r) throw new ConflictError(r.refused);
      status = r.status;
    }
    a.counters = counters;
    a.objectsProcessed = objectsProcessed;
    a.warnings = warnings;
    a.status = status;
    a.errorMessage = body.errorMessage ?? null;
    a.errorStackTrace = body.errorStackTrace ?? null;
    a.endedAt = at.getTime();
    this.closePhases(a, status === "FailedWithError" ? "Failed" : "Complete", a.endedAt);
    await this.accepted("complete", a);
    return status;
  }

  async cancel(id: string, reason: string | undefined, at = new Date(this.clock.now())): Promise<void> {
    const a = this.running("cancel", id);
    const end = (x: MemActivity) => {
      x.status = "Cancelled";
      x.cancelRequested = true;
      x.endedAt = at.getTime();
      this.closePhases(x, "Cancelled", x.endedAt);
      for (const c of this.children(x.id)) if (c.status === "InProgress") end(c);
    };
    end(a);
    if (reason) a.message = `Cancelled: ${reason}`;
    await this.accepted("cancel", a);
  }

  async shouldStop(id: string): Promise<boolean> {
    const a = this.activities.get(id);
    return !a || a.status !== "InProgress" || a.cancelRequested;
  }
}

/** The store side of the ports, over the same activities. */
export class MemoryStore implements EngineStore {
  readonly nextRuns = new Map<number, Date | null>();
  constructor(private readonly recorder: MemoryRecorder) {}

  async ensureConfiguration() {
    return memoryConfiguration();
  }
  async countActivities() {
    return this.recorder.activities.size;
  }
  /** The demo history's mark, kept as the store keeps it (a copy). */
  historyMark: { mark: DemoHistoryMark; completed: boolean } | null = null;
  async demoHistory(): Promise<DemoHistoryState | null> {
    const h = this.historyMark;
    if (!h) return null;
    const after = h.mark.clockAt.getTime();
    const before = h.mark.endsAt.getTime() + 10 * 60_000;
    const cut = [...this.recorder.activities.values()]
      .map((a) => a.createdAt)
      .filter((at) => at > after && at < before);
    return { mark: { ...h.mark }, completed: h.completed, cutOffAt: cut.length ? new Date(Math.max(...cut)) : null };
  }
  async saveDemoHistory(mark: DemoHistoryMark, completed: boolean) {
    this.historyMark = { mark: { ...mark }, completed };
  }
  async setNextRun(scheduleId: number, at: Date | null) {
    this.nextRuns.set(scheduleId, at);
  }
  async claimScheduleFire(scheduleId: number, due: Date | null, next: Date) {
    if ((this.nextRuns.get(scheduleId)?.getTime() ?? null) !== (due?.getTime() ?? null)) return false;
    this.nextRuns.set(scheduleId, next);
    return true;
  }
  async nextRunOf(scheduleId: number) {
    return this.nextRuns.get(scheduleId) ?? null;
  }
  async queued() {
    return this.recorder
      .list()
      .filter((a) => a.status === "InProgress" && a.startedAt === null && a.queueKey !== null)
      .sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq)
      .map((a) => ({ id: a.id, queueKey: a.queueKey! }));
  }
  async busyLanes() {
    return new Set(
      this.recorder
        .list()
        .filter((a) => a.status === "InProgress" && a.startedAt !== null && a.queueKey !== null)
        .map((a) => a.queueKey!),
    );
  }
  async run(id: string): Promise<RunRecord | null> {
    const a = this.recorder.activities.get(id);
    if (!a) return null;
    const counters = emptyCounters();
    for (const f of COUNTER_FIELDS) counters[f] = a.counters[f];
    return {
      id: a.id,
      targetType: a.input.targetType,
      status: a.status,
      connectedSystemId: a.input.connectedSystemId ?? null,
      runProfileId: a.input.runProfileId ?? null,
      scheduleId: a.input.scheduleId ?? null,
      plannedSteps: null,
      objectsProcessed: counters.totalObjectsProcessed,
      counters,
    };
  }
  async ownedOpen(instanceId: string) {
    return this.recorder
      .list()
      .filter((a) => a.status === "InProgress" && a.ownerInstanceId === instanceId)
      .map((a) => a.id);
  }
}

/**
 * The ports a server would wire: the recorder, the store, and the trigger path of the API
 * (lib/services/triggers.ts: queue in the lane, deduplicated, then wake the dispatcher).
 */
export function memoryPorts(clock: Clock, instanceId = "test-instance") {
  const recorder = new MemoryRecorder(clock);
  const store = new MemoryStore(recorder);
  const config = memoryConfiguration();
  const wake = { dispatcher: (): Promise<void> | void => undefined };
  const ports: EnginePorts = {
    recorder,
    store,
    instanceId,
    trigger: {
      async runProfile(connectedSystemId, runProfileId, by) {
        const cs = config.systems.find((s) => s.id === connectedSystemId)!;
        const rp = cs.runProfiles.find((r) => r.id === runProfileId)!;
        const r = await recorder.create(
          {
            name: `${cs.name}: ${rp.name}`,
            targetType: "ConnectedSystemRunProfile",
            connectedSystemId,
            runProfileId,
            message: "Queued",
          },
          by,
          { at: new Date(clock.now()), queue: { key: `cs:${connectedSystemId}`, dedupe: true } },
        );
        await wake.dispatcher();
        return r;
      },
      async schedule(scheduleId, by) {
        const s = config.schedules.find((x) => x.id === scheduleId)!;
        const initiator = by.type === "System" ? { ...by, id: by.id ?? String(scheduleId) } : by;
        const r = await recorder.create(
          { name: s.name, targetType: "Schedule", scheduleId, message: "Queued" },
          initiator,
          { at: new Date(clock.now()), queue: { key: `schedule:${scheduleId}`, dedupe: true } },
        );
        await wake.dispatcher();
        return r;
      },
    },
  };
  return { ports, recorder, store, wake };
}
