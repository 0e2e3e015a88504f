/**
 * Failures across runs, as the server records them at ingestion (lib/repo/activity-writes.ts
 * trackFailures and settleFailures): one ObjectFailure per failing object of a connected system,
 * a Failed event per run it failed in, a Recovered event when a completed run of its run profile
 * did not fail it again. Objects that failed keep failing in the next runs of their run profile
 * with probability KEEP_FAILING (streaks of five runs on average), so most failed items are
 * Recurring; new failures come at the run's error rate.
 */
import type { Rng } from "@/lib/engine/random";
import type { ErrorType } from "@/lib/domain/enums";
import { messageTemplate } from "@/lib/domain/messages";
import type { SeedRunProfile } from "./config";
import { csvLine } from "./csv";
import { timeUuid } from "./ids";
import type { GeneratedItem } from "./items";

export const KEEP_FAILING = 0.8;

export const FAILURE_COLUMNS = [
  "id",
  "connectedSystemId",
  "connectedSystemName",
  "objectKey",
  "externalIdValue",
  "displayName",
  "objectType",
  "state",
  "firstSeenAt",
  "lastSeenAt",
  "lastActivityId",
  "lastRunProfileId",
  "lastRunProfileName",
  "consecutiveRuns",
  "totalFailures",
  "lastErrorType",
  "lastErrorMessage",
  "lastErrorTemplate",
  "recoveredAt",
  "recoveredActivityId",
] as const;

export const FAILURE_EVENT_COLUMNS = [
  "failureId",
  "kind",
  "at",
  "activityId",
  "activityName",
  "runProfileId",
  "connectedSystemId",
  "objectType",
  "errorType",
  "errorMessage",
  "errorTemplate",
] as const;

/** What the recorder stores with a failure (seeded messages repeat: each is worked out once). */
const TEMPLATES = new Map<string, string>();
function templateOf(message: string | null): string | null {
  if (!message) return null;
  let t = TEMPLATES.get(message);
  if (t === undefined) {
    if (TEMPLATES.size >= 100_000) TEMPLATES.clear();
    TEMPLATES.set(message, (t = messageTemplate(message)));
  }
  return t;
}

interface FailureState {
  id: string;
  systemId: number;
  systemName: string;
  object: number;
  objectKey: string;
  externalIdValue: string;
  displayName: string;
  objectType: string;
  open: boolean;
  firstSeenAt: number;
  lastSeenAt: number;
  lastActivityId: string;
  lastRunProfile: SeedRunProfile;
  consecutiveRuns: number;
  totalFailures: number;
  lastErrorType: ErrorType;
  lastErrorMessage: string | null;
  recoveredAt: number | null;
  recoveredActivityId: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export class FailureTracker {
  private readonly byObject = new Map<string, FailureState>();
  /** Open failures whose last failing run was of this run profile. */
  private readonly openByProfile = new Map<number, Set<FailureState>>();
  /** The objects that failed in the last run of each run profile. */
  private readonly failedInLastRun = new Map<number, Set<FailureState>>();
  private counter = 0;
  events: string[] = [];
  eventCount = 0;

  /** The open failures of the run profile that fail again in its next run. */
  failingAgain(rng: Rng, rp: SeedRunProfile): { object: number; errorType: ErrorType }[] {
    const out: { object: number; errorType: ErrorType }[] = [];
    for (const f of this.openByProfile.get(rp.id) ?? [])
      if (rng.chance(KEEP_FAILING)) out.push({ object: f.object, errorType: f.lastErrorType });
    return out;
  }

  /**
   * Records a run's failed items (marking each New or Recurring) and, when the run completed,
   * recovers the open failures of its run profile that it did not fail again.
   */
  recordRun(
    run: { id: string; name: string; rp: SeedRunProfile; completed: boolean; endedAt: number | null },
    items: GeneratedItem[],
  ): void {
    const { rp } = run;
    const previous = this.failedInLastRun.get(rp.id) ?? new Set<FailureState>();
    const failedNow = new Set<FailureState>();
    for (const item of items) {
      if (!item.errorType) continue;
      const key = `${rp.system.id}:${item.object}`;
      let f = this.byObject.get(key);
      const recurring = f !== undefined && previous.has(f);
      item.recurrence = recurring ? "Recurring" : "New";
      if (f && failedNow.has(f)) continue; // the same object twice in one run: one event
      if (!f) {
        f = {
          id: timeUuid(item.processedAt, 0xf000000 + this.counter++),
          systemId: rp.system.id,
          systemName: rp.system.def.name,
          object: item.object,
          objectKey: `ext:${item.externalIdValue}`,
          externalIdValue: item.externalIdValue,
          displayName: item.displayName,
          objectType: item.connectedSystemObjectType,
          open: false,
          firstSeenAt: item.processedAt,
          lastSeenAt: item.processedAt,
          lastActivityId: run.id,
          lastRunProfile: rp,
          consecutiveRuns: 0,
          totalFailures: 0,
          lastErrorType: item.errorType,
          lastErrorMessage: item.errorMessage,
          recoveredAt: null,
          recoveredActivityId: null,
        };
        this.byObject.set(key, f);
      }
      const sameProfile = f.open && f.lastRunProfile.id === rp.id;
      if (!f.open) {
        f.firstSeenAt = item.processedAt;
        f.recoveredAt = null;
        f.recoveredActivityId = null;
      }
      f.consecutiveRuns = recurring && sameProfile ? f.consecutiveRuns + 1 : recurring ? 2 : 1;
      f.totalFailures++;
      if (f.open) this.openByProfile.get(f.lastRunProfile.id)?.delete(f);
      f.open = true;
      f.lastSeenAt = item.processedAt;
      f.lastActivityId = run.id;
      f.lastRunProfile = rp;
      f.lastErrorType = item.errorType;
      f.lastErrorMessage = item.errorMessage;
      this.profileSet(rp.id).add(f);
      failedNow.add(f);
      this.event(f, "Failed", item.processedAt, run, item.errorType, item.errorMessage);
    }
    if (run.completed && run.endedAt !== null) {
      const open = this.profileSet(rp.id);
      for (const f of [...open]) {
        if (failedNow.has(f)) continue;
        open.delete(f);
        f.open = false;
        f.consecutiveRuns = 0;
        f.recoveredAt = run.endedAt;
        f.recoveredActivityId = run.id;
        this.event(f, "Recovered", run.endedAt, run, null, null);
      }
    }
    this.failedInLastRun.set(rp.id, failedNow);
  }

  private profileSet(id: number): Set<FailureState> {
    let s = this.openByProfile.get(id);
    if (!s) this.openByProfile.set(id, (s = new Set()));
    return s;
  }

  private event(
    f: FailureState,
    kind: "Failed" | "Recovered",
    at: number,
    run: { id: string; name: string; rp: SeedRunProfile },
    errorType: ErrorType | null,
    errorMessage: string | null,
  ): void {
    this.events.push(
      csvLine([
        f.id,
        kind,
        iso(at),
        run.id,
        run.name,
        run.rp.id,
        run.rp.system.id,
        f.objectType,
        errorType,
        errorMessage,
        templateOf(errorMessage),
      ]),
    );
    this.eventCount++;
  }

  takeEvents(): string {
    const text = this.events.join("");
    this.events = [];
    return text;
  }

  /** Every ObjectFailure row as it stands at the end of the history. */
  failuresCsv(): { text: string; count: number; open: number } {
    const lines: string[] = [];
    let open = 0;
    for (const f of this.byObject.values()) {
      if (f.open) open++;
      lines.push(
        csvLine([
          f.id,
          f.systemId,
          f.systemName,
          f.objectKey,
          f.externalIdValue,
          f.displayName,
          f.objectType,
          f.open ? "Open" : "Recovered",
          iso(f.firstSeenAt),
          iso(f.lastSeenAt),
          f.lastActivityId,
          f.lastRunProfile.id,
          f.lastRunProfile.name,
          f.consecutiveRuns,
          f.totalFailures,
          f.lastErrorType,
          f.lastErrorMessage,
          templateOf(f.lastErrorMessage),
          iso(f.recoveredAt),
          f.recoveredActivityId,
        ]),
      );
    }
    return { text: lines.join(""), count: lines.length, open };
  }
}
