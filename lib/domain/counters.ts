/** The 23 counters of a run, in the order the identity manager's statistics document them. */
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

/** The counters grouped by operation, as the identity manager groups them; one card per group. */
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

/** Adds counters; used to roll children up into a schedule's totals. */
export function sumCounters(list: Partial<Counters>[]): Counters {
  const total = emptyCounters();
  for (const c of list) for (const f of COUNTER_FIELDS) total[f] += c[f] ?? 0;
  return total;
}
