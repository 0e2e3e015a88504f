/**
 * What one run profile does to the simulated world, object by object: imports compare a
 * connected system with its connector space, synchronisations move changes through the
 * metaverse (projection, join, attribute flow, disconnection, provisioning, drift correction),
 * exports send pending exports and confirming imports confirm them.
 */
import type { AttributeChange, NewExecutionItem, Outcome } from "@/lib/domain/activity";
import { countersOfOutcomes, type Counters } from "@/lib/domain/counters";
import type { ErrorType, ObjectChangeType, RunType } from "@/lib/domain/enums";
import type { Rng } from "./random";
import { TARGET_KEYS, type Attrs, type Cso, type Mvo, type SystemKey, type TargetKey, type World } from "./world";

export type ItemDraft = Omit<NewExecutionItem, "sequence" | "processedAt" | "id">;

export interface ObjectResult {
  status: "changed" | "unchanged" | "error";
  objectType: string;
  item?: ItemDraft;
  counters?: Partial<Counters>;
}

export interface RunPlan {
  keys: string[];
  process(key: string): ObjectResult;
  /** Warnings known once the run is over. */
  warnings(): string[];
}

export const EXPORT_RETRY_LIMIT = 3;

const UNCHANGED = (objectType: string): ObjectResult => ({ status: "unchanged", objectType });

function diff(oldA: Attrs, newA: Attrs): AttributeChange[] {
  const out: AttributeChange[] = [];
  const keys = new Set([...Object.keys(oldA), ...Object.keys(newA)]);
  for (const k of keys) {
    const o = oldA[k] ?? null;
    const n = newA[k] ?? null;
    if (o === n) continue;
    out.push({
      attribute: k,
      operation: o === null ? "ADD" : n === null ? "DELETE" : "MODIFY",
      oldValue: o,
      newValue: n,
    });
  }
  return out;
}

function memberDiff(oldM: string[] | undefined, newM: string[] | undefined): AttributeChange[] {
  const a = new Set(oldM ?? []);
  const b = new Set(newM ?? []);
  const out: AttributeChange[] = [];
  for (const m of b) if (!a.has(m)) out.push({ attribute: "member", operation: "ADD", oldValue: null, newValue: m });
  for (const m of a) if (!b.has(m)) out.push({ attribute: "member", operation: "REMOVE", oldValue: m, newValue: null });
  return out;
}

/** An item of `objectType` before what is known of the object (its `base`) is laid over it. */
const unidentified = (objectType: string) => ({
  externalIdValue: null,
  displayName: null,
  connectedSystemObjectType: objectType,
  connectedSystemObjectId: null,
  metaverseObjectId: null,
});

function error(
  objectType: string,
  type: ErrorType,
  message: string,
  base: Partial<ItemDraft>,
  changeType: ObjectChangeType = "Update",
  detail: string | null = null,
): ObjectResult {
  return {
    status: "error",
    objectType,
    counters: countersOfOutcomes(base.outcomes ?? []),
    item: {
      ...unidentified(objectType),
      attributeChanges: [],
      outcomes: [],
      ...base,
      objectChangeType: changeType,
      errorType: type,
      errorMessage: message,
      errorDetail: detail,
    },
  };
}

function changed(
  objectType: string,
  changeType: ObjectChangeType,
  outcomes: Outcome[],
  base: Partial<ItemDraft>,
  attributeChanges: AttributeChange[] = [],
): ObjectResult {
  return {
    status: "changed",
    objectType,
    counters: countersOfOutcomes(outcomes),
    item: {
      ...unidentified(objectType),
      errorType: null,
      errorMessage: null,
      errorDetail: null,
      ...base,
      objectChangeType: changeType,
      outcomes: outcomes.filter((o) => o.count > 0),
      attributeChanges: attributeChanges.slice(0, 500),
    },
  };
}

const csoBase = (cso: Cso): Partial<ItemDraft> => ({
  externalIdValue: cso.externalId,
  displayName: cso.displayName,
  connectedSystemObjectType: cso.objectType,
  connectedSystemObjectId: cso.id,
  metaverseObjectId: cso.mvoId,
});

export const STACK_TRACE = (what: string) =>
  [
    `System.InvalidOperationException: ${what}`,
    "   at System.Linq.ThrowHelper.ThrowMoreThanOneMatchException()",
    "   at System.Linq.Enumerable.Single[TSource](IEnumerable`1 source, Func`2 predicate)",
    "   at Contoso.IdentitySync.Engine.Sync.AttributeFlowProcessor.ResolveReferenceValue(MetaverseObject mvo, SyncRuleMapping mapping) in /src/Engine/Sync/AttributeFlowProcessor.cs:line 318",
    "   at Contoso.IdentitySync.Engine.Sync.AttributeFlowProcessor.ApplyInboundFlows(ConnectedSystemObject cso, MetaverseObject mvo) in /src/Engine/Sync/AttributeFlowProcessor.cs:line 142",
    "   at Contoso.IdentitySync.Engine.Sync.SyncTaskProcessor.ProcessConnectedSystemObjectAsync(ConnectedSystemObject cso, CancellationToken ct) in /src/Engine/Sync/SyncTaskProcessor.cs:line 611",
    "   at Contoso.IdentitySync.Engine.Sync.SyncTaskProcessor.ProcessBatchAsync(IReadOnlyList`1 batch, CancellationToken ct) in /src/Engine/Sync/SyncTaskProcessor.cs:line 274",
  ].join("\n");

// ---------- export failures ----------

/**
 * A failure the target system answers an export with, classified as the identity manager's
 * ErrorType enum would: a refusal caused by the connection's set-up (rights, policies) is a
 * configuration error, an identifier the target rejects as invalid is an invalid generated
 * identifier, a value the target already holds elsewhere is a duplicate, a reference to an object
 * the target does not know is unresolved. Anything else (a transient failure that ran out of
 * retries) stays an unhandled error, as the identity manager records general export errors.
 */
export interface ExportFailure {
  errorType: ErrorType;
  message: (cso: Cso, changes: Attrs) => string;
}

const pickBy = <T>(key: string, list: readonly T[]): T => list[Math.floor(hashOf(key) * list.length) % list.length];

const PERMANENT_FAILURES: Record<TargetKey, ExportFailure[]> = {
  ad: [
    {
      errorType: "ConnectorConfigurationError",
      message: () =>
        "LDAP 53 (unwillingToPerform): 0000052D: SvcErr: DSID-031A12D2, problem 5003 (WILL_NOT_PERFORM), data 0 - password does not meet complexity requirements",
    },
    {
      errorType: "InvalidGeneratedExternalId",
      message: () =>
        "LDAP 19 (constraintViolation): 000021C7: AtrErr: DSID-03200E96, #1: 0: problem 1005 (CONSTRAINT_ATT_TYPE), data 0, Att 9000f (sAMAccountName)",
    },
    {
      errorType: "DuplicateObject",
      message: (cso, changes) =>
        `LDAP 68 (entryAlreadyExists): 00002071: UpdErr: DSID-030503A9, problem 6005 (ENTRY_EXISTS), data 0 (${changes.distinguishedName ?? cso.attrs.distinguishedName ?? `CN=${cso.displayName},OU=People,OU=Contoso,DC=contoso,DC=local`})`,
    },
    {
      errorType: "UnresolvedReference",
      message: (cso, changes) =>
        `LDAP 32 (noSuchObject): 0000208D: NameErr: DSID-03100245, problem 2001 (NO_OBJECT), data 0, manager '${changes.manager ?? cso.attrs.manager ?? "CN=Unknown,OU=People,OU=Contoso,DC=contoso,DC=local"}' does not exist`,
    },
  ],
  snow: [
    {
      errorType: "ConnectorConfigurationError",
      message: (cso) =>
        `HTTP 403 Forbidden: Operation against sys_user is not allowed by ACL (write, sys_user.${pickBy(cso.rowKey, ["manager", "department", "title"])})`,
    },
    {
      errorType: "DuplicateObject",
      message: (cso, changes) =>
        `HTTP 400 Bad Request: Unique Key violation detected by database (Duplicate entry '${changes.user_name ?? cso.attrs.user_name ?? cso.rowKey}' for key 'sys_user.user_name')`,
    },
  ],
};
const TRANSIENT_FAILURES: Record<TargetKey, string[]> = {
  ad: [
    "LDAP 51 (busy): The server is busy and cannot process the request",
    "LDAP 81 (serverDown): The LDAP server is unavailable (dc02.contoso.local)",
  ],
  snow: [
    "HTTP 429 Too Many Requests: rate limit exceeded for sys_user, retry after 30 s",
    "HTTP 503 Service Unavailable: the instance is hibernating or under maintenance",
  ],
};

/** Deterministic per object: a few pending exports fail every time until someone fixes the target. */
function hashOf(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

// ---------- the run profiles ----------

export function planRun(world: World, system: SystemKey, runType: RunType, rng: Rng): RunPlan {
  switch (runType) {
    case "FullImport":
    case "DeltaImport":
      return planImport(world, system, runType === "FullImport", rng);
    case "FullSynchronisation":
    case "DeltaSynchronisation":
      return planSync(world, system, runType === "FullSynchronisation", rng);
    case "Export":
      return planExport(world, system, rng);
  }
}

function planImport(world: World, key: SystemKey, full: boolean, rng: Rng): RunPlan {
  const s = world.systems[key];
  let keys: string[];
  if (full) keys = [...new Set([...s.real.keys(), ...s.cs.keys()])];
  else {
    // A delta reads what changed in the system; objects still in error are reported again by full imports.
    const set = new Set(s.changeLog);
    for (const c of s.cs.values()) if (c.pending?.state === "exported") set.add(c.rowKey);
    keys = [...set];
  }
  const warnings: string[] = [];
  if (key === "ad" && rng.chance(0.12))
    warnings.push(
      `${rng.int(3, 24)} objects skipped: outside OU scope (OU=Disabled Users,OU=Contoso,DC=contoso,DC=local)`,
    );
  if (key === "hr" && rng.chance(0.08))
    warnings.push(`${rng.int(1, 6)} worker records have a future start date and were held back until their start date`);
  if (key === "snow" && rng.chance(0.06)) warnings.push("ServiceNow rate limit reached: requests throttled for 30 s");

  const process = (k: string): ObjectResult => {
    // Read now: a run stopped part-way (cancelled, broken connector) leaves the rest for the next import.
    s.changeLog.delete(k);
    const real = s.real.get(k);
    const cso = s.cs.get(k);
    if (real && !s.objectTypes.includes(real.objectType)) {
      s.importErrors.add(k);
      return error(
        real.objectType,
        "CouldNotMatchObjectType",
        `Object class '${real.objectType}' is not part of the connected system's schema (${s.objectTypes.join(", ")}).`,
        { externalIdValue: real.externalId, displayName: real.displayName, connectedSystemObjectType: real.objectType },
        "Add",
      );
    }
    if (real && !cso) {
      const base = {
        externalIdValue: real.externalId,
        displayName: real.displayName,
        connectedSystemObjectType: real.objectType,
      };
      if (!real.externalId) {
        s.importErrors.add(k);
        return error(
          real.objectType,
          "MissingExternalIdAttributeValue",
          `The object has no value for its external id attribute '${key === "hr" ? "employeeId" : "id"}' (worker ${k}).`,
          { ...base, externalIdValue: k },
          "Add",
        );
      }
      const other = s.csByExternalId.get(real.externalId);
      if (other && other !== k) {
        s.importErrors.add(k);
        return error(
          real.objectType,
          "DuplicateObject",
          `Another object with ${key === "hr" ? "employeeId" : "external id"} '${real.externalId}' was already imported (worker ${other}); this one (worker ${k}) was not imported.`,
          base,
          "Add",
        );
      }
      s.importErrors.delete(k);
      const created = world.stage(key, real);
      s.syncDirty.add(k);
      const changes = diff({}, real.attrs).concat(memberDiff(undefined, real.members));
      return changed(real.objectType, "Add", [{ type: "Added", count: 1 }], csoBase(created), changes);
    }
    if (real && cso) {
      s.importErrors.delete(k);
      const changes = diff(cso.attrs, real.attrs).concat(memberDiff(cso.members, real.members));
      const confirming = cso.pending?.state === "exported" ? cso.pending : null;
      const unconfirmed = confirming
        ? changes.filter((c) => !(c.attribute in confirming.changes) || confirming.changes[c.attribute] !== c.newValue)
        : changes;
      cso.attrs = { ...real.attrs };
      cso.members = real.members ? [...real.members] : undefined;
      cso.displayName = real.displayName;
      if (real.externalId && cso.externalId !== real.externalId) {
        cso.externalId = real.externalId;
        s.csByExternalId.set(real.externalId, k);
      }
      if (confirming) {
        cso.pending = null;
        const wasAdd = cso.placeholder;
        cso.placeholder = false;
        if (unconfirmed.length) s.syncDirty.add(k);
        return changed(
          cso.objectType,
          wasAdd ? "Add" : "Update",
          [
            { type: "PendingExportConfirmed", count: 1 },
            { type: "Updated", count: unconfirmed.length ? 1 : 0 },
          ],
          csoBase(cso),
          changes,
        );
      }
      if (!changes.length) return UNCHANGED(cso.objectType);
      s.syncDirty.add(k);
      return changed(cso.objectType, "Update", [{ type: "Updated", count: 1 }], csoBase(cso), changes);
    }
    if (!real && cso) {
      if (cso.placeholder) return UNCHANGED(cso.objectType);
      if (cso.pending?.kind === "Delete" && cso.pending.state === "exported") {
        world.removeCso(key, cso);
        return changed(
          cso.objectType,
          "Delete",
          [
            { type: "PendingExportConfirmed", count: 1 },
            { type: "Deleted", count: 1 },
          ],
          csoBase(cso),
        );
      }
      if (cso.obsolete) return UNCHANGED(cso.objectType);
      cso.obsolete = true;
      s.syncDirty.add(k);
      return changed(cso.objectType, "Delete", [{ type: "Deleted", count: 1 }], csoBase(cso));
    }
    // Gone before we got to it (e.g. a duplicate row HR removed).
    s.importErrors.delete(k);
    return UNCHANGED(s.objectTypes[0]);
  };
  return { keys, process, warnings: () => warnings };
}

/**
 * Queues the outbound changes of one MVO to one target; returns the attribute values flowed, the
 * pending exports created and whether it provisioned.
 */
function flowOutbound(world: World, mvo: Mvo, t: TargetKey): { flows: number; created: number; provisioned: number } {
  const s = world.systems[t];
  const expected = world.expectedTarget(mvo, t);
  const key = mvo.links[t];
  const cso = key ? s.cs.get(key) : undefined;
  if (!cso || cso.obsolete) {
    const created: Cso = {
      id: world.rng.uuid(),
      rowKey: `${t}-${world.rng.hex(12)}`,
      objectType: "user",
      externalId: null,
      displayName: mvo.attrs.displayName ?? "",
      attrs: {},
      mvoId: null,
      pending: { kind: "Add", changes: expected, retries: 0, state: "pending" },
      obsolete: false,
      placeholder: true,
    };
    world.addCso(t, created);
    world.link(mvo, t, created);
    return { flows: Object.values(expected).filter((v) => v !== null).length, created: 1, provisioned: 1 };
  }
  const current = { ...cso.attrs, ...(cso.pending && cso.pending.kind !== "Delete" ? cso.pending.changes : {}) };
  const delta: Attrs = {};
  for (const [a, v] of Object.entries(expected)) if ((current[a] ?? null) !== v) delta[a] = v;
  const n = Object.keys(delta).length;
  if (!n) return { flows: 0, created: 0, provisioned: 0 };
  if (cso.pending && cso.pending.kind !== "Delete") {
    Object.assign(cso.pending.changes, delta);
    if (cso.pending.state !== "pending") Object.assign(cso.pending, { state: "pending", retries: 0 });
    return { flows: n, created: 0, provisioned: 0 };
  }
  cso.pending = { kind: "Update", changes: delta, retries: 0, state: "pending" };
  return { flows: n, created: 1, provisioned: 0 };
}

function deprovision(world: World, mvo: Mvo): number {
  let n = 0;
  for (const t of TARGET_KEYS) {
    const key = mvo.links[t];
    delete mvo.links[t];
    const cso = key ? world.systems[t].cs.get(key) : undefined;
    if (!cso) continue;
    cso.mvoId = null;
    if (cso.placeholder) {
      world.removeCso(t, cso);
      continue;
    }
    cso.pending = { kind: "Delete", changes: {}, retries: 0, state: "pending" };
    n++;
  }
  return n;
}

function planSync(world: World, key: SystemKey, full: boolean, rng: Rng): RunPlan {
  const s = world.systems[key];
  const keys = full ? [...s.cs.keys()] : [...s.syncDirty];
  const hr = world.systems.hr;

  const syncHr = (cso: Cso): ObjectResult => {
    const base = csoBase(cso);
    if (cso.obsolete || cso.attrs.employmentStatus === "Terminated") {
      const mvo = cso.mvoId ? world.mv.get(cso.mvoId) : undefined;
      s.syncDirty.delete(cso.rowKey);
      if (cso.obsolete) world.removeCso("hr", cso);
      if (!mvo) return UNCHANGED("person");
      delete mvo.links.hr;
      cso.mvoId = null;
      const exports = deprovision(world, mvo);
      mvo.attrs.employmentStatus = "Terminated";
      if (!mvo.links.payroll) world.deleteMvo(mvo);
      const outcome = cso.obsolete ? "Disconnected" : "DisconnectedOutOfScope";
      return changed(
        "person",
        "Disconnect",
        [
          { type: outcome, count: 1 },
          { type: "PendingExportCreated", count: exports },
        ],
        { ...base, metaverseObjectId: mvo.id },
      );
    }
    const managerRef = cso.attrs.manager;
    if (managerRef && world.matches(managerRef).length === 0) {
      const unknown = !hr.csByExternalId.has(managerRef);
      return error(
        "person",
        "UnresolvedReference",
        `Reference attribute 'manager' points to '${managerRef}', ${unknown ? "which is not a known worker" : "who has not been synchronised yet"}.`,
        base,
        cso.mvoId ? "Update" : "Add",
      );
    }
    if (rng.chance(0.0004)) {
      return error(
        "person",
        "UnhandledError",
        "Sequence contains more than one matching element",
        base,
        "Update",
        STACK_TRACE("Sequence contains more than one matching element"),
      );
    }
    let mvo = cso.mvoId ? world.mv.get(cso.mvoId) : undefined;
    const outcomes: Outcome[] = [];
    let changeType: ObjectChangeType = "Update";
    if (!mvo) {
      const candidates = world.matches(cso.externalId);
      if (candidates.length > 1) {
        return error(
          "person",
          "AmbiguousMatch",
          `Join rule 'employeeId = employeeId' matched ${candidates.length} metaverse objects: ${candidates.map((c) => c.id).join(", ")}.`,
          base,
          "Add",
        );
      }
      changeType = "Add";
      if (candidates.length === 1) {
        mvo = candidates[0];
        outcomes.push({ type: "Joined", count: 1 });
      } else {
        mvo = world.newMvo("person", {});
        outcomes.push({ type: "Projected", count: 1 });
      }
      world.link(mvo, "hr", cso);
    }
    const inbound = world.applyInbound(mvo, cso.attrs);
    let flows = inbound.filter((c) => c.attribute !== "accountName" && c.attribute !== "mail").length;
    let created = 0;
    let provisioned = 0;
    for (const t of TARGET_KEYS) {
      const r = flowOutbound(world, mvo, t);
      flows += r.flows;
      created += r.created;
      provisioned += r.provisioned;
    }
    s.syncDirty.delete(cso.rowKey);
    if (!flows && !created && !outcomes.length) return UNCHANGED("person");
    outcomes.push(
      { type: "AttributeFlow", count: flows },
      { type: "Provisioned", count: provisioned },
      { type: "PendingExportCreated", count: created },
    );
    const attributeChanges: AttributeChange[] = inbound.map((c) => ({
      attribute: c.attribute,
      operation: c.oldValue === null ? "SET" : c.newValue === null ? "DELETE" : "MODIFY",
      oldValue: c.oldValue,
      newValue: c.newValue,
    }));
    return changed("person", changeType, outcomes, { ...base, metaverseObjectId: mvo.id }, attributeChanges);
  };

  const syncPayroll = (cso: Cso): ObjectResult => {
    const base = csoBase(cso);
    if (cso.obsolete) {
      world.removeCso("payroll", cso);
      const mvo = cso.mvoId ? world.mv.get(cso.mvoId) : undefined;
      if (!mvo) return UNCHANGED("person");
      delete mvo.links.payroll;
      if (!mvo.links.hr) world.deleteMvo(mvo);
      return changed("person", "Disconnect", [{ type: "Disconnected", count: 1 }], {
        ...base,
        metaverseObjectId: mvo.id,
      });
    }
    let mvo = cso.mvoId ? world.mv.get(cso.mvoId) : undefined;
    const outcomes: Outcome[] = [];
    let changeType: ObjectChangeType = "Update";
    if (!mvo) {
      const candidates = world.matches(cso.attrs.employeeId ?? null);
      if (candidates.length > 1) {
        return error(
          "person",
          "AmbiguousMatch",
          `Join rule 'employeeId = employeeId' matched ${candidates.length} metaverse objects (${candidates.map((c) => c.attrs.displayName).join("; ")}).`,
          base,
          "Add",
        );
      }
      s.syncDirty.delete(cso.rowKey);
      if (!candidates.length) return UNCHANGED("person"); // payroll never projects: a disconnector until HR knows the person
      mvo = candidates[0];
      world.link(mvo, "payroll", cso);
      outcomes.push({ type: "Joined", count: 1 });
      changeType = "Add";
    }
    s.syncDirty.delete(cso.rowKey);
    if (cso.attrs.status === "Final pay" && !cso.retainedJoin) {
      cso.retainedJoin = true;
      outcomes.push({ type: "OutOfScopeRetainJoin", count: 1 });
    }
    const attributeChanges: AttributeChange[] = [];
    for (const [mvAttr, v] of [
      ["costCentre", cso.attrs.costCentre ?? null],
      ["payrollNumber", cso.externalId],
      ["grade", cso.attrs.grade ?? null],
    ] as const) {
      const old = mvo.attrs[mvAttr] ?? null;
      if (old === v) continue;
      mvo.attrs[mvAttr] = v;
      attributeChanges.push({
        attribute: mvAttr,
        operation: old === null ? "SET" : "MODIFY",
        oldValue: old,
        newValue: v,
      });
    }
    if (!outcomes.length && !attributeChanges.length) return UNCHANGED("person");
    outcomes.push({ type: "AttributeFlow", count: attributeChanges.length });
    return changed("person", changeType, outcomes, { ...base, metaverseObjectId: mvo.id }, attributeChanges);
  };

  const syncTarget = (t: TargetKey, cso: Cso): ObjectResult => {
    const base = csoBase(cso);
    /** The object changed, joined to metaverse object `mvoId`. */
    const linked = (
      mvoId: string,
      changeType: ObjectChangeType,
      outcomes: Outcome[],
      attributeChanges?: AttributeChange[],
    ) => changed(cso.objectType, changeType, outcomes, { ...base, metaverseObjectId: mvoId }, attributeChanges);
    s.syncDirty.delete(cso.rowKey);
    if (cso.placeholder) return UNCHANGED(cso.objectType);
    const mvo = cso.mvoId ? world.mv.get(cso.mvoId) : undefined;
    if (cso.obsolete) {
      world.removeCso(t, cso);
      if (!mvo) return UNCHANGED(cso.objectType);
      delete mvo.links[t];
      if (cso.objectType === "group") {
        world.deleteMvo(mvo);
        return linked(mvo.id, "Disconnect", [{ type: "Disconnected", count: 1 }]);
      }
      // Deleted in the target by someone else: disconnect and provision it again.
      const r = flowOutbound(world, mvo, t);
      return linked(mvo.id, "Disconnect", [
        { type: "Disconnected", count: 1 },
        { type: "Provisioned", count: r.provisioned },
        { type: "PendingExportCreated", count: r.created },
      ]);
    }
    if (cso.objectType === "group") {
      if (!mvo) {
        const g = world.newMvo("group", {
          displayName: cso.displayName,
          accountName: cso.attrs.sAMAccountName ?? cso.displayName,
          description: cso.attrs.description ?? null,
          memberCount: String(cso.members?.length ?? 0),
        });
        world.link(g, t, cso);
        return linked(g.id, "Add", [
          { type: "Projected", count: 1 },
          { type: "AttributeFlow", count: 4 },
        ]);
      }
      const count = String(cso.members?.length ?? 0);
      if (mvo.attrs.memberCount === count) return UNCHANGED("group");
      const change: AttributeChange = {
        attribute: "memberCount",
        operation: "MODIFY",
        oldValue: mvo.attrs.memberCount ?? null,
        newValue: count,
      };
      mvo.attrs.memberCount = count;
      return linked(mvo.id, "Update", [{ type: "AttributeFlow", count: 1 }], [change]);
    }
    if (!mvo) {
      const emp = cso.attrs[t === "ad" ? "employeeID" : "employee_number"] ?? null;
      const candidates = world.matches(emp).filter((m) => !m.links[t]);
      if (candidates.length !== 1) return UNCHANGED(cso.objectType);
      world.link(candidates[0], t, cso);
      return linked(candidates[0].id, "Add", [{ type: "Joined", count: 1 }]);
    }
    if (cso.pending?.kind === "Delete") return UNCHANGED(cso.objectType);
    // Drift: the target says something else than the metaverse; queue a correcting export.
    const expected = world.expectedTarget(mvo, t);
    const current = { ...cso.attrs, ...(cso.pending ? cso.pending.changes : {}) };
    const drifted: AttributeChange[] = [];
    for (const [a, v] of Object.entries(expected))
      if ((current[a] ?? null) !== v)
        drifted.push({ attribute: a, operation: "MODIFY", oldValue: current[a] ?? null, newValue: v });
    if (!drifted.length) return UNCHANGED(cso.objectType);
    const r = flowOutbound(world, mvo, t);
    return linked(
      mvo.id,
      "Update",
      [
        { type: "DriftCorrection", count: 1 },
        { type: "AttributeFlow", count: r.flows },
        { type: "PendingExportCreated", count: r.created },
      ],
      drifted,
    );
  };

  const process = (k: string): ObjectResult => {
    // Processed now; an object in error is looked at again when it changes, or by the next full synchronisation.
    s.syncDirty.delete(k);
    const cso = s.cs.get(k);
    if (!cso) return UNCHANGED(s.objectTypes[0]);
    if (key === "hr") return syncHr(cso);
    if (key === "payroll") return syncPayroll(cso);
    return syncTarget(key, cso);
  };
  return { keys, process, warnings: () => [] };
}

function planExport(world: World, key: SystemKey, rng: Rng): RunPlan {
  if (key !== "ad" && key !== "snow") return { keys: [], process: () => UNCHANGED("person"), warnings: () => [] };
  const t: TargetKey = key;
  const s = world.systems[t];
  const keys = [...s.cs.values()].filter((c) => c.pending?.state === "pending").map((c) => c.rowKey);
  const process = (k: string): ObjectResult => {
    const cso = s.cs.get(k);
    const p = cso?.pending;
    if (!cso || !p || p.state !== "pending") return UNCHANGED(cso?.objectType ?? "user");
    const poison = hashOf(`${k}:${p.kind}`);
    const permanent = p.kind !== "Delete" && poison < 0.015;
    const cause: ExportFailure | null = permanent
      ? PERMANENT_FAILURES[t][Math.floor(poison * 1000) % PERMANENT_FAILURES[t].length]
      : rng.chance(0.025)
        ? { errorType: "UnhandledError", message: () => rng.pick(TRANSIENT_FAILURES[t]) }
        : null;
    const failure = cause ? cause.message(cso, p.changes) : null;
    const base = { ...csoBase(cso), displayName: cso.displayName || (p.changes.displayName ?? null) };
    const changeType: ObjectChangeType = p.kind;
    const attributeChanges: AttributeChange[] = Object.entries(p.changes).map(([a, v]) => ({
      attribute: a,
      operation: p.kind === "Add" ? "ADD" : v === null ? "DELETE" : "MODIFY",
      oldValue: p.kind === "Add" ? null : (cso.attrs[a] ?? null),
      newValue: v,
    }));
    if (failure) {
      p.retries++;
      p.lastError = failure;
      if (p.retries > EXPORT_RETRY_LIMIT) {
        p.state = "failed";
        return error(
          cso.objectType,
          cause!.errorType,
          `Export failed after ${EXPORT_RETRY_LIMIT} retries: ${failure}`,
          { ...base, outcomes: [{ type: "ExportFailed", count: 1 }], attributeChanges },
          changeType,
          `${t === "ad" ? "Contoso.IdentitySync.Connectors.Ldap.LdapExportException" : "Contoso.IdentitySync.Connectors.ServiceNow.RestExportException"}: ${failure}\n   at ${t === "ad" ? "Contoso.IdentitySync.Connectors.Ldap.LdapConnector.ExportAsync" : "Contoso.IdentitySync.Connectors.ServiceNow.TableApiClient.PatchAsync"}(PendingExport export, CancellationToken ct)\n   at Contoso.IdentitySync.Engine.Export.ExportTaskProcessor.ExportObjectAsync(ConnectedSystemObject cso, CancellationToken ct) in /src/Engine/Export/ExportTaskProcessor.cs:line 188`,
        );
      }
      const retrying = changed(
        cso.objectType,
        changeType,
        [{ type: "ExportRetrying", count: 1 }],
        base,
        attributeChanges,
      );
      retrying.item!.errorMessage = `Attempt ${p.retries} of ${EXPORT_RETRY_LIMIT + 1} failed, will retry: ${failure}`;
      return retrying;
    }
    // Success: the target system now holds the change.
    let real = s.real.get(k);
    if (p.kind === "Delete") {
      s.real.delete(k);
      s.changeLog.add(k);
      p.state = "exported";
      return changed(cso.objectType, "Delete", [{ type: "Deprovisioned", count: 1 }], base);
    }
    if (!real) {
      real = {
        rowKey: k,
        objectType: cso.objectType,
        externalId: t === "ad" ? world.rng.uuid() : world.rng.hex(32),
        displayName: p.changes.displayName ?? [p.changes.first_name, p.changes.last_name].filter(Boolean).join(" "),
        attrs: {},
      };
      s.real.set(k, real);
    }
    Object.assign(real.attrs, p.changes);
    if (t === "snow") real.displayName = [real.attrs.first_name, real.attrs.last_name].filter(Boolean).join(" ");
    else real.displayName = real.attrs.displayName ?? real.displayName;
    s.changeLog.add(k);
    p.state = "exported";
    return changed(
      cso.objectType,
      changeType,
      [{ type: "Exported", count: 1 }],
      { ...base, externalIdValue: cso.externalId ?? real.externalId },
      attributeChanges,
    );
  };
  return { keys, process, warnings: () => [] };
}
