/**
 * Executes one run profile or one schedule against the simulated world and records it through
 * the ActivityRecorder (the same code path as the write API): phases, batches, progress with
 * absolute counters, execution items, cancellation, connector failures.
 */
import { summariseChildStatuses, type NewExecutionItem } from "@/lib/domain/activity";
import { COUNTER_FIELDS, emptyCounters, sumCounters, type Counters } from "@/lib/domain/counters";
import type { ActivityStatus, RunType } from "@/lib/domain/enums";
import { asSyncwatchError } from "@/lib/domain/errors";
import type { ActivityRecorder } from "@/lib/domain/recorder";
import type { PlannedStep } from "@/lib/domain/schedule";
import { planRun } from "./operations";
import type { Rng } from "./random";
import type { SystemKey, World } from "./world";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /**
   * A clock for one of several things done side by side from now (virtual time only: real time
   * passes for all of them at once); `join` then moves this clock to the last of them to end.
   */
  fork?(): Clock;
  join?(forks: Clock[]): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms))),
};

/** A clock for back-filling history: sleeping only moves its time forward (yielding now and then). */
export class VirtualClock implements Clock {
  private sleeps = 0;
  constructor(public t: number) {}
  now() {
    return this.t;
  }
  async sleep(ms: number) {
    this.t += Math.max(0, Math.round(ms));
    if (++this.sleeps % 20 === 0) await new Promise((r) => setImmediate(r));
  }
  fork(): Clock {
    return new VirtualClock(this.t);
  }
  join(forks: Clock[]) {
    this.t = Math.max(this.t, ...forks.map((f) => f.now()));
  }
}

export interface RunTarget {
  systemKey: SystemKey;
  connectedSystemId: number;
  connectedSystemName: string;
  runProfileId: number;
  runProfileName: string;
  runType: RunType;
}

export interface RunContext {
  recorder: ActivityRecorder;
  clock: Clock;
  world: World;
  rng: Rng;
  /** Simulation speed multiplier (durations divide by it). */
  speed: number;
  /** Drift factor: simulated minutes per elapsed minute of `clock`. */
  driftFactor: number;
  /** Probability that a run fails as a whole (broken connector). */
  failureRate: number;
  writeItems: boolean;
  /** At most this many intermediate progress samples (history keeps them few); default: about one per second. */
  maxSamples?: number;
  /** Stop the run after this fraction of its batches by cancelling it (history's cancellations). */
  cancelAtFraction?: number;
  /** Force a failing connector (history). */
  forceFailure?: "connect" | "during";
  /** Set when the server shuts down: the run ends Cancelled with this reason. */
  stopReason?: () => string | null;
  /** Back-fill mode: nobody else can cancel: skip the shouldStop look-ups and the redundant final progress report. */
  backfill?: boolean;
  log?: (line: string) => void;
}

export interface RunResult {
  status: ActivityStatus;
  counters: Counters;
  objectsProcessed: number;
}

/** Milliseconds per object at speed 1 (a full import of 1,500 ≈ 30 s, a delta ≈ 5–15 s with connection overhead). */
const MS_PER_OBJECT: Record<RunType, number> = {
  FullImport: 20,
  DeltaImport: 40,
  FullSynchronisation: 14,
  DeltaSynchronisation: 30,
  Export: 60,
};

const ENDPOINTS: Record<SystemKey, string> = {
  hr: "https://wd3-impl-services1.workday.com/ccx/service/customreport2/contoso/INT_IDM_Workers",
  payroll: "mssql://payroll-sql01.contoso.local:1433/PAYROLL",
  ad: "ldaps://dc01.contoso.local:636",
  snow: "https://contoso.service-now.com/api/now/table/sys_user",
};

const CONNECTOR_FAILURES: Record<SystemKey, { message: string; type: string; frames: string[] }[]> = {
  hr: [
    {
      message: "Workday report request failed: 401 Unauthorized (the integration system user's password has expired)",
      type: "Contoso.IdentitySync.Connectors.Workday.WorkdayApiException",
      frames: [
        "Contoso.IdentitySync.Connectors.Workday.ReportClient.GetReportAsync(String reportName, CancellationToken ct)",
        "Contoso.IdentitySync.Connectors.Workday.WorkdayConnector.ImportPageAsync(ImportContext ctx)",
      ],
    },
    {
      message: "Timed out after 120 s waiting for Workday report 'INT_IDM_Workers'",
      type: "System.TimeoutException",
      frames: [
        "System.Net.Http.HttpClient.HandleFailure(Exception e, Boolean telemetryStarted, HttpResponseMessage response, CancellationTokenSource cts)",
        "Contoso.IdentitySync.Connectors.Workday.ReportClient.GetReportAsync(String reportName, CancellationToken ct)",
      ],
    },
  ],
  payroll: [
    {
      message:
        "Cannot open database \"PAYROLL\" requested by the login. The login failed. Login failed for user 'CONTOSO\\svc_idm_payroll'.",
      type: "Microsoft.Data.SqlClient.SqlException",
      frames: [
        "Microsoft.Data.SqlClient.SqlInternalConnection.OnError(SqlException exception, Boolean breakConnection)",
        "Contoso.IdentitySync.Connectors.Sql.SqlConnector.OpenConnectionAsync(CancellationToken ct)",
      ],
    },
    {
      message:
        "Transaction (Process ID 87) was deadlocked on lock resources with another process and has been chosen as the deadlock victim.",
      type: "Microsoft.Data.SqlClient.SqlException",
      frames: [
        "Microsoft.Data.SqlClient.SqlDataReader.TryReadInternal(Boolean setTimeout, Boolean& more)",
        "Contoso.IdentitySync.Connectors.Sql.SqlConnector.ReadPageAsync(ImportContext ctx)",
      ],
    },
  ],
  ad: [
    {
      message: "Connection to ldaps://dc01.contoso.local:636 failed: The LDAP server is unavailable.",
      type: "System.DirectoryServices.Protocols.LdapException",
      frames: [
        "System.DirectoryServices.Protocols.LdapConnection.Connect()",
        "System.DirectoryServices.Protocols.LdapConnection.SendRequestHelper(DirectoryRequest request, Int32& messageID)",
        "Contoso.IdentitySync.Connectors.Ldap.LdapConnector.OpenConnectionAsync(CancellationToken ct)",
      ],
    },
    {
      message:
        "The LDAP server returned an error: 49 (invalidCredentials) 80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 775 (account locked out)",
      type: "System.DirectoryServices.Protocols.LdapException",
      frames: [
        "System.DirectoryServices.Protocols.LdapConnection.BindHelper(NetworkCredential newCredential, Boolean needSetCredential)",
        "Contoso.IdentitySync.Connectors.Ldap.LdapConnector.OpenConnectionAsync(CancellationToken ct)",
      ],
    },
  ],
  snow: [
    {
      message:
        "ServiceNow REST API https://contoso.service-now.com/api/now/table/sys_user returned 503 Service Unavailable",
      type: "Contoso.IdentitySync.Connectors.ServiceNow.RestApiException",
      frames: [
        "Contoso.IdentitySync.Connectors.ServiceNow.TableApiClient.SendAsync(HttpRequestMessage request, CancellationToken ct)",
        "Contoso.IdentitySync.Connectors.ServiceNow.ServiceNowConnector.ImportPageAsync(ImportContext ctx)",
      ],
    },
    {
      message: "OAuth token request to https://contoso.service-now.com/oauth_token.do failed: 401 invalid_client",
      type: "Contoso.IdentitySync.Connectors.ServiceNow.RestApiException",
      frames: [
        "Contoso.IdentitySync.Connectors.ServiceNow.OAuthTokenProvider.GetTokenAsync(CancellationToken ct)",
        "Contoso.IdentitySync.Connectors.ServiceNow.TableApiClient.SendAsync(HttpRequestMessage request, CancellationToken ct)",
      ],
    },
  ],
};

export class ConnectorError extends Error {
  constructor(
    message: string,
    public readonly stack: string,
  ) {
    super(message);
    this.name = "ConnectorError";
  }
}

function connectorError(rng: Rng, key: SystemKey): ConnectorError {
  const f = rng.pick(CONNECTOR_FAILURES[key]);
  const stack = [
    `${f.type}: ${f.message}`,
    ...f.frames.map((fr) => `   at ${fr}`),
    "   at Contoso.IdentitySync.Engine.RunProfiles.RunProfileExecutor.ExecuteAsync(RunProfileExecution execution, CancellationToken ct) in /src/Engine/RunProfiles/RunProfileExecutor.cs:line 97",
  ].join("\n");
  return new ConnectorError(f.message, stack);
}

const fmt = (n: number) => n.toLocaleString("en-GB");
const PHASE: Record<RunType, string> = {
  FullImport: "Importing",
  DeltaImport: "Importing",
  FullSynchronisation: "Synchronising",
  DeltaSynchronisation: "Synchronising",
  Export: "Exporting",
};
const VERB: Record<RunType, string> = {
  FullImport: "Importing",
  DeltaImport: "Importing changed",
  FullSynchronisation: "Synchronising",
  DeltaSynchronisation: "Synchronising changed",
  Export: "Exporting",
};

/** All 23 counters as absolute values (the recorder treats them as current values, not increments). */
function absolute(c: Counters): Partial<Counters> {
  const out: Partial<Counters> = {};
  for (const f of COUNTER_FIELDS) out[f] = c[f];
  return out;
}

const safely = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch {
    /* the activity was ended by someone else meanwhile */
  }
};

/**
 * Runs one run-profile activity that already exists (InProgress). Never throws: failures end the
 * activity as FailedWithError. Returns how it ended ("Cancelled" when stopped from outside).
 */
export async function executeRunProfile(ctx: RunContext, activityId: string, target: RunTarget): Promise<RunResult> {
  const { recorder, clock, world, rng } = ctx;
  const at = () => new Date(clock.now());
  const counters = emptyCounters();
  const objectTypes = new Set<string>();
  let processed = 0;
  const speed = Math.max(0.01, ctx.speed);
  try {
    world.advance(clock.now(), ctx.driftFactor);
    const plan = planRun(world, target.systemKey, target.runType, rng);
    const total = plan.keys.length;
    const endpoint = ENDPOINTS[target.systemKey];
    await recorder.reportProgress(
      activityId,
      {
        objectsToProcess: total,
        objectsProcessed: 0,
        message: `Connecting to ${endpoint}`,
        counters: absolute(counters),
        phase: "Connecting",
      },
      at(),
    );
    const failure =
      ctx.forceFailure ?? (rng.chance(ctx.failureRate) ? (rng.chance(0.6) ? "connect" : "during") : undefined);
    await clock.sleep((2500 + rng.next() * 3500) / speed);
    if (failure === "connect") throw connectorError(rng, target.systemKey);

    await recorder.reportProgress(
      activityId,
      { phase: PHASE[target.runType], message: `${VERB[target.runType]} objects` },
      at(),
    );
    const msPerObject = MS_PER_OBJECT[target.runType];
    const batchSize = ctx.backfill ? 200 : Math.max(50, Math.min(200, Math.round((1000 * speed) / msPerObject)));
    const batches = Math.ceil(total / batchSize);
    const failAtBatch = failure === "during" ? Math.floor(rng.next() * Math.max(1, batches)) : -1;
    const cancelAtBatch = ctx.cancelAtFraction !== undefined ? Math.floor(ctx.cancelAtFraction * batches) : -1;
    const reportEvery = ctx.maxSamples ? Math.max(1, Math.ceil(batches / ctx.maxSamples)) : 1;
    let sequence = 0;
    let lastType = "";
    let lastReport = clock.now();

    // A run to be cancelled that has nothing to process is cancelled as it would start processing.
    for (let b = 0; b < Math.max(batches, cancelAtBatch + 1); b++) {
      if (b === cancelAtBatch) {
        await recorder.cancel(activityId, "Cancelled by an administrator", at());
        return { status: "Cancelled", counters, objectsProcessed: processed };
      }
      const stopping = ctx.stopReason?.();
      if (stopping) {
        await safely(recorder.cancel(activityId, stopping, at()));
        return { status: "Cancelled", counters, objectsProcessed: processed };
      }
      if (!ctx.backfill && (await recorder.shouldStop(activityId)))
        return { status: "Cancelled", counters, objectsProcessed: processed };
      if (b === failAtBatch) throw connectorError(rng, target.systemKey);
      const keys = plan.keys.slice(b * batchSize, (b + 1) * batchSize);
      const batchMs = (keys.length * msPerObject) / speed;
      const start = clock.now();
      await clock.sleep(batchMs);
      const items: NewExecutionItem[] = [];
      keys.forEach((key, i) => {
        const r = plan.process(key);
        processed++;
        objectTypes.add(r.objectType);
        lastType = r.objectType;
        if (r.status === "changed") counters.totalObjectChangeCount++;
        else counters.totalUnchanged++;
        if (r.status === "error") counters.totalObjectErrors++;
        for (const [f, v] of Object.entries(r.counters ?? {})) counters[f as keyof Counters] += v ?? 0;
        if (r.item && r.status !== "unchanged") {
          items.push({
            ...r.item,
            sequence: sequence++,
            processedAt: new Date(start + (i * batchMs) / Math.max(1, keys.length)).toISOString(),
          } as NewExecutionItem);
        }
      });
      counters.totalObjectsProcessed = processed;
      counters.totalObjectTypes = objectTypes.size;
      if (ctx.writeItems && items.length) {
        for (let i = 0; i < items.length; i += 1000)
          await recorder.appendItems(activityId, items.slice(i, i + 1000), at());
      }
      const last = b === batches - 1;
      if (!last && (ctx.maxSamples ? (b + 1) % reportEvery === 0 : clock.now() - lastReport >= 900 || b === 0)) {
        lastReport = clock.now();
        await recorder.reportProgress(
          activityId,
          {
            objectsProcessed: processed,
            message: `${VERB[target.runType]} ${lastType} objects: ${fmt(processed)} of ${fmt(total)}`,
            counters: absolute(counters),
          },
          at(),
        );
      }
    }
    if (!ctx.backfill && (await recorder.shouldStop(activityId)))
      return { status: "Cancelled", counters, objectsProcessed: processed };
    counters.totalObjectsProcessed = processed;
    counters.totalObjectTypes = objectTypes.size;
    const warnings = plan.warnings();
    const summary =
      total === 0
        ? "No changes to process"
        : `${VERB[target.runType]} objects: ${fmt(processed)} of ${fmt(total)} done`;
    if (!ctx.backfill)
      await recorder.reportProgress(
        activityId,
        { objectsProcessed: processed, message: summary, counters: absolute(counters) },
        at(),
      );
    const status = await recorder.complete(
      activityId,
      {
        counters: absolute(counters),
        warnings: warnings.length ? warnings : undefined,
        objectsProcessed: processed,
        message: summary,
      },
      at(),
    );
    return { status, counters, objectsProcessed: processed };
  } catch (e) {
    const err = e as Error;
    counters.totalObjectsProcessed = processed;
    counters.totalObjectTypes = objectTypes.size;
    if (!(e instanceof ConnectorError) && asSyncwatchError(e)?.code !== "CONFLICT")
      ctx.log?.(
        `[syncwatch] engine: run ${activityId} (${target.connectedSystemName} ${target.runProfileName}) failed: ${err?.message ?? e}`,
      );
    if (await recorder.shouldStop(activityId).catch(() => true))
      return { status: "Cancelled", counters, objectsProcessed: processed };
    try {
      await recorder.complete(
        activityId,
        {
          status: "FailedWithError",
          errorMessage: (err?.message ?? String(e)).slice(0, 4000),
          errorStackTrace: (err?.stack ?? "").slice(0, 20000) || undefined,
          counters: absolute(counters),
          objectsProcessed: processed,
        },
        at(),
      );
    } catch {
      /* ended meanwhile */
    }
    return { status: "FailedWithError", counters, objectsProcessed: processed };
  }
}

export interface ScheduleStepTarget extends RunTarget {
  step: PlannedStep;
}

export interface ScheduleRunOptions {
  /** Creates and runs one step (a child activity) on `clock`, resolving when it ended. */
  runStep: (step: ScheduleStepTarget, clock: Clock) => Promise<RunResult>;
  /** Cancel the whole schedule after this many steps (history). */
  cancelAfterSteps?: number;
}

export const activityName = (t: { connectedSystemName: string; runProfileName: string }) =>
  `${t.connectedSystemName}: ${t.runProfileName}`;

/** Consecutive steps with the same parallel group run together; others alone. */
export function stepGroups<T extends { step: PlannedStep }>(steps: T[]): T[][] {
  const groups: T[][] = [];
  for (const s of steps) {
    const last = groups.at(-1);
    const g = s.step.parallelGroup;
    if (last && g !== null && last[0].step.parallelGroup === g) last.push(s);
    else groups.push([s]);
  }
  return groups;
}

/**
 * Runs a schedule execution whose activity exists and has started: its steps in order (a
 * parallel group side by side), each a child activity; a failed step does not stop the later
 * ones. The parent's status summarises its steps.
 */
export async function executeSchedule(
  ctx: RunContext,
  parentId: string,
  steps: ScheduleStepTarget[],
  opts: ScheduleRunOptions,
): Promise<RunResult> {
  const { recorder, clock } = ctx;
  const at = () => new Date(clock.now());
  const results: RunResult[] = [];
  const objects = () => results.reduce((n, r) => n + r.objectsProcessed, 0);
  const total = () => sumCounters(results.map((r) => r.counters));
  const cancelled = (): RunResult => ({ status: "Cancelled", counters: total(), objectsProcessed: objects() });
  try {
    await recorder.reportProgress(
      parentId,
      { objectsProcessed: 0, message: steps.length ? undefined : "No steps", phase: "Running steps" },
      at(),
    );
    for (const group of stepGroups(steps)) {
      const first = group[0].step.stepIndex;
      if (opts.cancelAfterSteps !== undefined && first - 1 >= opts.cancelAfterSteps) {
        await recorder.cancel(parentId, "Cancelled by an administrator", at());
        return cancelled();
      }
      const stopping = ctx.stopReason?.();
      if (stopping) {
        await safely(recorder.cancel(parentId, stopping, at()));
        return cancelled();
      }
      if (!ctx.backfill && (await recorder.shouldStop(parentId))) return cancelled();
      const names = group.map((g) => `Step ${g.step.stepIndex} of ${steps.length}: ${g.step.name}`).join("; ");
      await recorder.reportProgress(parentId, { message: names }, at());
      // Side by side on a virtual clock, each step keeps time of its own (one shared clock would add
      // their sleeps up, and every step of the group would last as long as all of them together).
      const clocks = group.map(() => clock.fork?.() ?? clock);
      results.push(...(await Promise.all(group.map((g, i) => opts.runStep(g, clocks[i])))));
      clock.join?.(clocks);
      if (!ctx.backfill && (await recorder.shouldStop(parentId))) return cancelled();
      await recorder.reportProgress(parentId, { objectsProcessed: objects(), counters: absolute(total()) }, at());
    }
    const summary = summariseChildStatuses(results.map((r) => r.status));
    const status = summary === "InProgress" || summary === "Cancelled" ? "CompleteWithError" : summary;
    await recorder.reportProgress(parentId, { message: `${steps.length} steps done`, phase: "Finishing" }, at());
    const final = await recorder.complete(
      parentId,
      { status, counters: absolute(total()), objectsProcessed: objects() },
      at(),
    );
    return { status: final, counters: total(), objectsProcessed: objects() };
  } catch (e) {
    const err = e as Error;
    if (asSyncwatchError(e)?.code !== "CONFLICT")
      ctx.log?.(`[syncwatch] engine: schedule execution ${parentId} failed: ${err?.message ?? e}`);
    if (await recorder.shouldStop(parentId).catch(() => true)) return cancelled();
    await safely(
      recorder.complete(
        parentId,
        {
          status: "FailedWithError",
          errorMessage: (err?.message ?? String(e)).slice(0, 4000),
          errorStackTrace: err?.stack?.slice(0, 20000),
          counters: absolute(total()),
        },
        at(),
      ),
    );
    return { status: "FailedWithError", counters: total(), objectsProcessed: objects() };
  }
}
