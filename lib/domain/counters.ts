import type { ActivityStatus } from "./enums";

/** Seed 001's 23 counters, in the seed's order. */
export const COUNTER_FIELDS = [
  "totalObjectsProcessed",
  "totalObjectChangeCount",
  "totalUnchanged",
  "totalObjectErrors",
  "totalObjectTypes",
  "totalCsoAdds",
  "totalCsoUpdates",
  "totalCsoDeletes",
  "totalProjections",
  "totalJoins",
  "totalAttributeFlows",
  "totalDisconnections",
  "totalDisconnectedOutOfScope",
  "totalOutOfScopeRetainJoin",
  "totalDriftCorrections",
  "totalProvisioned",
  "totalExported",
  "totalDeprovisioned",
  "totalPendingExports",
  "totalPendingExportsConfirmed",
  "totalPendingExportsRetrying",
  "totalPendingExportsFailed",
  "totalCreated",
] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];
export type Counters = Record<CounterField, number>;

export const emptyCounters = (): Counters => Object.fromEntries(COUNTER_FIELDS.map((f) => [f, 0])) as Counters;

export const COUNTER_LABELS: Record<CounterField, string> = {
  totalObjectsProcessed: "Objects processed",
  totalObjectChangeCount: "Objects changed",
  totalUnchanged: "Unchanged",
  totalObjectErrors: "Errors",
  totalObjectTypes: "Object types",
  totalCsoAdds: "Added",
  totalCsoUpdates: "Updated",
  totalCsoDeletes: "Deleted",
  totalProjections: "Projected",
  totalJoins: "Joined",
  totalAttributeFlows: "Attribute flows",
  totalDisconnections: "Disconnected",
  totalDisconnectedOutOfScope: "Disconnected (out of scope)",
  totalOutOfScopeRetainJoin: "Out of scope, join retained",
  totalDriftCorrections: "Drift corrections",
  totalProvisioned: "Provisioned",
  totalExported: "Exported",
  totalDeprovisioned: "Deprovisioned",
  totalPendingExports: "Pending exports",
  totalPendingExportsConfirmed: "Pending exports confirmed",
  totalPendingExportsRetrying: "Pending exports retrying",
  totalPendingExportsFailed: "Pending exports failed",
  totalCreated: "Created",
};

/** Seed 000 groups the counters by operation; the detail page shows one card per group. */
export const COUNTER_GROUPS: {
  key: "import" | "synchronisation" | "export" | "all";
  title: string;
  fields: CounterField[];
}[] = [
  {
    key: "import",
    title: "Import",
    fields: ["totalCsoAdds", "totalCsoUpdates", "totalCsoDeletes", "totalPendingExportsConfirmed"],
  },
  {
    key: "synchronisation",
    title: "Synchronisation",
    fields: [
      "totalProjections",
      "totalJoins",
      "totalAttributeFlows",
      "totalDisconnections",
      "totalDisconnectedOutOfScope",
      "totalOutOfScopeRetainJoin",
      "totalDriftCorrections",
      "totalProvisioned",
    ],
  },
  {
    key: "export",
    title: "Export",
    fields: [
      "totalExported",
      "totalDeprovisioned",
      "totalPendingExports",
      "totalPendingExportsRetrying",
      "totalPendingExportsFailed",
    ],
  },
  {
    key: "all",
    title: "All operations",
    fields: [
      "totalObjectsProcessed",
      "totalObjectChangeCount",
      "totalUnchanged",
      "totalObjectErrors",
      "totalObjectTypes",
      "totalCreated",
    ],
  },
];

/** Adds counter deltas; used to roll children up into a schedule's totals. */
export function sumCounters(list: Partial<Counters>[]): Counters {
  const total = emptyCounters();
  for (const c of list) for (const f of COUNTER_FIELDS) total[f] += c[f] ?? 0;
  return total;
}

/**
 * The terminal status a finished run earns: errors on objects make it CompleteWithError,
 * warnings alone CompleteWithWarning.
 */
export function completionStatus(input: { objectErrors: number; warnings: number }): ActivityStatus {
  if (input.objectErrors > 0) return "CompleteWithError";
  if (input.warnings > 0) return "CompleteWithWarning";
  return "Complete";
}

/**
 * A schedule execution's status summarises its children (domain.md): still running while a step
 * runs; otherwise the worst outcome, where a failed or cancelled step makes the whole run
 * CompleteWithError unless every step failed.
 */
export function summariseChildStatuses(statuses: ActivityStatus[], parentCancelled = false): ActivityStatus {
  if (statuses.some((s) => s === "InProgress")) return "InProgress";
  if (parentCancelled) return "Cancelled";
  if (statuses.length === 0) return "Complete";
  if (statuses.every((s) => s === "FailedWithError")) return "FailedWithError";
  if (statuses.some((s) => s === "FailedWithError" || s === "CompleteWithError" || s === "Cancelled"))
    return "CompleteWithError";
  if (statuses.some((s) => s === "CompleteWithWarning")) return "CompleteWithWarning";
  return "Complete";
}
