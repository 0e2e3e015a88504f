/**
 * Execution items of one run, shaped like the run engine's: change types, outcomes and error
 * types that fit the run type, and the counters that follow from them (so an activity's
 * totals agree with its items).
 */
import type { Rng } from "@/lib/engine/random";
import { DEPARTMENTS, GIVEN_NAMES, SURNAMES } from "@/lib/engine/names";
import { emptyCounters, type Counters } from "@/lib/domain/counters";
import type { AttributeOperation, ErrorType, ObjectChangeType, RunType } from "@/lib/domain/enums";
import type { Outcome } from "@/lib/domain/activity";
import { formatOutcomeSummary } from "@/lib/domain/outcomes";
import type { SeedSystem } from "./config";
import { timeUuid } from "./ids";

/** Objects each simulated system holds; items pick one of them. */
export const OBJECTS_PER_SYSTEM = 50_000;

export interface GeneratedItem {
  id: string;
  sequence: number;
  externalIdValue: string;
  displayName: string;
  connectedSystemObjectType: string;
  objectChangeType: ObjectChangeType;
  errorType: ErrorType | null;
  errorMessage: string | null;
  errorDetail: string | null;
  outcomeSummary: string | null;
  outcomes: Outcome[];
  attributeChanges: {
    attribute: string;
    operation: AttributeOperation;
    oldValue: string | null;
    newValue: string | null;
  }[];
  connectedSystemObjectId: string;
  metaverseObjectId: string | null;
  processedAt: number;
  /** The simulated object (index within its system), for failure tracking. */
  object: number;
  /** For failed items: New, or Recurring when the object failed in the previous run of the run profile. */
  recurrence: "New" | "Recurring" | null;
}

type Family = "import" | "sync" | "export";
export const familyOf = (runType: RunType): Family =>
  runType.endsWith("Import") ? "import" : runType === "Export" ? "export" : "sync";

/** Which errors each kind of run meets, and how often relative to each other. */
const ERROR_WEIGHTS: Record<Family, [ErrorType, number][]> = {
  import: [
    ["MissingExternalIdAttributeValue", 40],
    ["DuplicateObject", 30],
    ["CouldNotMatchObjectType", 25],
    ["UnhandledError", 5],
  ],
  sync: [
    ["UnresolvedReference", 50],
    ["AmbiguousMatch", 35],
    ["UnhandledError", 15],
  ],
  export: [
    ["UnresolvedReference", 30],
    ["UnhandledError", 70],
  ],
};

export const ERROR_MESSAGES: Partial<Record<ErrorType, string>> = {
  AmbiguousMatch: "2 metaverse objects match this object on employeeId",
  CouldNotMatchObjectType: "No object type of the schema matches objectClass 'contact'",
  MissingExternalIdAttributeValue: "The external ID attribute has no value",
  DuplicateObject: "Another object in this import has the same external ID",
  UnresolvedReference: "manager refers to an object that is not in the connector space",
  UnhandledError: "The connected system answered 503 Service Unavailable",
};

const ATTRIBUTES = [
  "department",
  "title",
  "manager",
  "mail",
  "telephoneNumber",
  "physicalDeliveryOfficeName",
  "costCenter",
  "displayName",
] as const;

function weighted<T>(rng: Rng, list: [T, number][]): T {
  let total = 0;
  for (const [, w] of list) total += w;
  let r = rng.next() * total;
  for (const [v, w] of list) if ((r -= w) < 0) return v;
  return list[list.length - 1][0];
}

function externalId(system: SeedSystem, object: number): string {
  switch (system.def.key) {
    case "hr":
      return `E${100000 + object}`;
    case "payroll":
      return `P${20000 + object}`;
    case "snow":
      return (object * 2654435761).toString(16).padStart(32, "0").slice(-32);
    default:
      return timeUuid(1_600_000_000_000 + object, system.id);
  }
}

const personName = (object: number) =>
  `${GIVEN_NAMES[object % GIVEN_NAMES.length]} ${SURNAMES[Math.floor(object / GIVEN_NAMES.length) % SURNAMES.length]}`;

export interface RunItems {
  items: GeneratedItem[];
  counters: Counters;
}

/**
 * `count` items of a run that started at `startedAt` and processes one object every `msPerObject`;
 * errors on about `errorRate` of them. `unchanged` objects were processed without an item.
 */
export function generateRunItems(
  rng: Rng,
  system: SeedSystem,
  runType: RunType,
  count: number,
  unchanged: number,
  startedAt: number,
  msPerObject: number,
  errorRate: number,
  nextId: () => number,
  /** Objects that fail again in this run (failing across runs), placed at random sequences. */
  failingAgain: { object: number; errorType: ErrorType }[] = [],
): RunItems {
  const family = familyOf(runType);
  const counters = emptyCounters();
  const items: GeneratedItem[] = new Array(count);
  const forced = new Map<number, { object: number; errorType: ErrorType }>();
  for (const f of failingAgain.slice(0, count)) {
    let s = rng.int(0, count - 1);
    while (forced.has(s)) s = (s + 1) % count;
    forced.set(s, f);
  }
  for (let sequence = 0; sequence < count; sequence++) {
    const again = forced.get(sequence);
    const object = again ? again.object : rng.int(0, OBJECTS_PER_SYSTEM - 1);
    const processedAt = startedAt + Math.round((sequence + 1) * msPerObject);
    const errorType = again ? again.errorType : rng.chance(errorRate) ? weighted(rng, ERROR_WEIGHTS[family]) : null;
    const { changeType, outcomes } = errorType
      ? { changeType: rng.chance(0.7) ? ("Update" as const) : ("Add" as const), outcomes: [] }
      : change(rng, family, counters);
    const attributeChanges = changeType === "Update" && !errorType ? attributeChangesOf(rng) : [];
    if (errorType) {
      counters.totalObjectErrors++;
      if (family === "export") counters.totalPendingExportsFailed++;
    } else counters.totalObjectChangeCount++;
    items[sequence] = {
      id: timeUuid(processedAt, nextId()),
      sequence,
      externalIdValue: externalId(system, object),
      displayName: personName(object),
      connectedSystemObjectType: system.objectTypes[object % system.objectTypes.length].name,
      objectChangeType: changeType,
      errorType,
      errorMessage: errorType ? (ERROR_MESSAGES[errorType] ?? null) : null,
      errorDetail:
        errorType === "UnhandledError"
          ? `Error: ${ERROR_MESSAGES.UnhandledError}\n    at Connector.export (connector.ts:212:11)\n    at Runner.step (runner.ts:88:5)`
          : null,
      outcomeSummary: formatOutcomeSummary(outcomes),
      outcomes,
      attributeChanges,
      connectedSystemObjectId: timeUuid(1_500_000_000_000 + object, system.id),
      metaverseObjectId: family === "import" ? null : timeUuid(1_400_000_000_000 + object, 0),
      processedAt,
      object,
      recurrence: null,
    };
  }
  counters.totalUnchanged = unchanged;
  counters.totalObjectsProcessed = count + unchanged;
  counters.totalObjectTypes = system.objectTypes.length;
  return { items, counters };
}

function change(rng: Rng, family: Family, c: Counters): { changeType: ObjectChangeType; outcomes: Outcome[] } {
  const r = rng.next();
  if (family === "import") {
    if (r < 0.15) return (c.totalCsoAdds++, { changeType: "Add", outcomes: [{ type: "Added", count: 1 }] });
    if (r < 0.95) return (c.totalCsoUpdates++, { changeType: "Update", outcomes: [{ type: "Updated", count: 1 }] });
    return (c.totalCsoDeletes++, { changeType: "Delete", outcomes: [{ type: "Deleted", count: 1 }] });
  }
  if (family === "export") {
    if (r < 0.1)
      return (
        c.totalExported++,
        c.totalProvisioned++,
        {
          changeType: "Add",
          outcomes: [
            { type: "Provisioned", count: 1 },
            { type: "Exported", count: 1 },
          ],
        }
      );
    if (r < 0.97) return (c.totalExported++, { changeType: "Update", outcomes: [{ type: "Exported", count: 1 }] });
    return (c.totalDeprovisioned++, { changeType: "Delete", outcomes: [{ type: "Deprovisioned", count: 1 }] });
  }
  if (r < 0.08) {
    const flows = rng.int(8, 20);
    c.totalProjections++;
    c.totalAttributeFlows += flows;
    c.totalPendingExports++;
    return {
      changeType: "Add",
      outcomes: [
        { type: "Projected", count: 1 },
        { type: "AttributeFlow", count: flows },
        { type: "PendingExportCreated", count: 1 },
      ],
    };
  }
  if (r < 0.12) {
    c.totalJoins++;
    return { changeType: "Update", outcomes: [{ type: "Joined", count: 1 }] };
  }
  if (r < 0.97) {
    const flows = rng.int(1, 4);
    c.totalAttributeFlows += flows;
    if (rng.chance(0.05)) {
      c.totalDriftCorrections++;
      return {
        changeType: "Update",
        outcomes: [
          { type: "AttributeFlow", count: flows },
          { type: "DriftCorrection", count: 1 },
        ],
      };
    }
    return { changeType: "Update", outcomes: [{ type: "AttributeFlow", count: flows }] };
  }
  if (rng.chance(0.5))
    return (c.totalDisconnections++, { changeType: "Disconnect", outcomes: [{ type: "Disconnected", count: 1 }] });
  return (
    c.totalDisconnectedOutOfScope++,
    { changeType: "Disconnect", outcomes: [{ type: "DisconnectedOutOfScope", count: 1 }] }
  );
}

function attributeChangesOf(rng: Rng): GeneratedItem["attributeChanges"] {
  const n = rng.int(1, 3);
  const out: GeneratedItem["attributeChanges"] = [];
  for (let i = 0; i < n; i++) {
    const attribute = rng.pick(ATTRIBUTES);
    out.push(
      attribute === "department"
        ? { attribute, operation: "MODIFY", oldValue: rng.pick(DEPARTMENTS), newValue: rng.pick(DEPARTMENTS) }
        : { attribute, operation: "SET", oldValue: null, newValue: `${attribute}-${rng.int(1, 9999)}` },
    );
  }
  return out;
}
