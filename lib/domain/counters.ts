import type { OutcomeType } from "./enums";

/** The card a counter is shown in: the operation it counts, as the identity manager groups them. */
type CounterGroupKey = "import" | "synchronisation" | "export" | "all";

/**
 * The 23 counters of a run, in the order the identity manager's statistics document them, each
 * with its label and the card it is shown in.
 */
const COUNTERS = {
  totalObjectsProcessed: { label: "Objects processed", group: "all" },
  totalObjectChangeCount: { label: "Objects changed", group: "all" },
  totalUnchanged: { label: "Unchanged", group: "all" },
  totalObjectErrors: { label: "Errors", group: "all" },
  totalObjectTypes: { label: "Object types", group: "all" },
  totalCsoAdds: { label: "Added", group: "import" },
  totalCsoUpdates: { label: "Updated", group: "import" },
  totalCsoDeletes: { label: "Deleted", group: "import" },
  totalProjections: { label: "Projected", group: "synchronisation" },
  totalJoins: { label: "Joined", group: "synchronisation" },
  totalAttributeFlows: { label: "Attribute flows", group: "synchronisation" },
  totalDisconnections: { label: "Disconnected", group: "synchronisation" },
  totalDisconnectedOutOfScope: { label: "Disconnected (out of scope)", group: "synchronisation" },
  totalOutOfScopeRetainJoin: { label: "Out of scope, join retained", group: "synchronisation" },
  totalDriftCorrections: { label: "Drift corrections", group: "synchronisation" },
  totalProvisioned: { label: "Provisioned", group: "synchronisation" },
  totalExported: { label: "Exported", group: "export" },
  totalDeprovisioned: { label: "Deprovisioned", group: "export" },
  totalPendingExports: { label: "Pending exports", group: "export" },
  totalPendingExportsConfirmed: { label: "Pending exports confirmed", group: "import" },
  totalPendingExportsRetrying: { label: "Pending exports retrying", group: "export" },
  totalPendingExportsFailed: { label: "Pending exports failed", group: "export" },
  totalCreated: { label: "Created", group: "all" },
} as const satisfies Record<string, { label: string; group: CounterGroupKey }>;

export type CounterField = keyof typeof COUNTERS;
export type Counters = Record<CounterField, number>;
export const COUNTER_FIELDS = Object.keys(COUNTERS) as CounterField[];

export const emptyCounters = (): Counters => Object.fromEntries(COUNTER_FIELDS.map((f) => [f, 0])) as Counters;

export const COUNTER_LABELS = Object.fromEntries(COUNTER_FIELDS.map((f) => [f, COUNTERS[f].label])) as Record<
  CounterField,
  string
>;

const GROUP_TITLES: Record<CounterGroupKey, string> = {
  import: "Import",
  synchronisation: "Synchronisation",
  export: "Export",
  all: "All operations",
};

/** The counters grouped by operation, as the identity manager groups them; one card per group. */
export const COUNTER_GROUPS: { key: CounterGroupKey; title: string; fields: CounterField[] }[] = (
  Object.keys(GROUP_TITLES) as CounterGroupKey[]
).map((key) => ({ key, title: GROUP_TITLES[key], fields: COUNTER_FIELDS.filter((f) => COUNTERS[f].group === key) }));

/** The counter each outcome of an object counts in: an item that was projected adds to totalProjections. */
const OUTCOME_COUNTERS: Record<OutcomeType, CounterField> = {
  Added: "totalCsoAdds",
  Updated: "totalCsoUpdates",
  Deleted: "totalCsoDeletes",
  Projected: "totalProjections",
  Joined: "totalJoins",
  AttributeFlow: "totalAttributeFlows",
  Disconnected: "totalDisconnections",
  DisconnectedOutOfScope: "totalDisconnectedOutOfScope",
  OutOfScopeRetainJoin: "totalOutOfScopeRetainJoin",
  DriftCorrection: "totalDriftCorrections",
  Provisioned: "totalProvisioned",
  PendingExportCreated: "totalPendingExports",
  PendingExportConfirmed: "totalPendingExportsConfirmed",
  Exported: "totalExported",
  Deprovisioned: "totalDeprovisioned",
  ExportRetrying: "totalPendingExportsRetrying",
  ExportFailed: "totalPendingExportsFailed",
};

/** What an object's outcomes add to its run's counters. */
export function countersOfOutcomes(outcomes: { type: OutcomeType; count: number }[]): Partial<Counters> {
  const out: Partial<Counters> = {};
  for (const o of outcomes) out[OUTCOME_COUNTERS[o.type]] = (out[OUTCOME_COUNTERS[o.type]] ?? 0) + o.count;
  return out;
}

/** Adds counters; used to roll children up into a schedule's totals. */
export function sumCounters(list: Partial<Counters>[]): Counters {
  const total = emptyCounters();
  for (const c of list) for (const f of COUNTER_FIELDS) total[f] += c[f] ?? 0;
  return total;
}
