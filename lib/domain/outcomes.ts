import type { Outcome } from "./activity";

/** The comma-separated summary of an item's outcomes: "Projected:1,AttributeFlow:15,PendingExportCreated:2". */
export function formatOutcomeSummary(outcomes: Outcome[]): string | null {
  const parts = outcomes.filter((o) => o.count > 0).map((o) => `${o.type}:${o.count}`);
  return parts.length ? parts.join(",") : null;
}

export function parseOutcomeSummary(summary: string | null | undefined): { type: string; count: number }[] {
  if (!summary) return [];
  return summary.split(",").flatMap((part) => {
    const [type, count] = part.split(":");
    const n = Number(count);
    return type && Number.isFinite(n) ? [{ type: type.trim(), count: n }] : [];
  });
}
