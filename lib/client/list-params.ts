/** The activity list's URL parameters and how they become /api/v1/activities query values. */
import { ACTIVITY_STATUSES, ACTIVITY_TARGET_TYPES, INITIATOR_TYPES, type ActivityStatus } from "@/lib/domain/enums";
import { ACTIVITY_SORT_FIELDS } from "@/lib/api/schemas";
import type { QueryValue } from "./api";

export const TIME_RANGES = { "1h": 3600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;
export type TimeRange = keyof typeof TIME_RANGES | "custom" | "";

export interface ListState {
  page: number;
  pageSize: number;
  sort: (typeof ACTIVITY_SORT_FIELDS)[number];
  order: "asc" | "desc";
  status: ActivityStatus[];
  targetType: string;
  cs: string;
  initiatorType: string;
  initiator: string;
  q: string;
  range: TimeRange;
  from: string;
  to: string;
  errors: boolean;
  topLevel: boolean;
}

export function readListState(p: URLSearchParams): ListState {
  const num = (k: string, d: number) => {
    const n = Number.parseInt(p.get(k) ?? "", 10);
    return Number.isFinite(n) && n > 0 ? n : d;
  };
  const pageSize = num("pageSize", 25);
  const sort = p.get("sort");
  const range = p.get("range") ?? "";
  const targetType = p.get("targetType") ?? "";
  const initiatorType = p.get("initiatorType") ?? "";
  return {
    page: num("page", 1),
    pageSize: [25, 50, 100].includes(pageSize) ? pageSize : 25,
    sort: (ACTIVITY_SORT_FIELDS as readonly string[]).includes(sort ?? "") ? (sort as ListState["sort"]) : "created",
    order: p.get("order") === "asc" ? "asc" : "desc",
    status: (p.get("status") ?? "")
      .split(",")
      .filter((s): s is ActivityStatus => (ACTIVITY_STATUSES as readonly string[]).includes(s)),
    targetType: (ACTIVITY_TARGET_TYPES as readonly string[]).includes(targetType) ? targetType : "",
    cs: /^\d+$/.test(p.get("cs") ?? "") ? (p.get("cs") as string) : "",
    initiatorType: (INITIATOR_TYPES as readonly string[]).includes(initiatorType) ? initiatorType : "",
    initiator: p.get("initiator") ?? "",
    q: p.get("q") ?? "",
    range: (["1h", "24h", "7d", "custom"].includes(range) ? range : "") as TimeRange,
    from: p.get("from") ?? "",
    to: p.get("to") ?? "",
    errors: p.get("errors") === "1",
    topLevel: p.get("topLevel") !== "0",
  };
}

/** Stable query values (relative ranges are resolved at fetch time, see resolveTimeRange). */
export function listApiParams(s: ListState): Record<string, QueryValue> {
  const validIso = (v: string) => (v && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : undefined);
  return {
    page: s.page,
    pageSize: s.pageSize,
    sort: s.sort,
    order: s.order,
    status: s.status,
    targetType: s.targetType || undefined,
    connectedSystemId: s.cs || undefined,
    initiatorType: s.initiatorType || undefined,
    initiatorName: s.initiator.trim() || undefined,
    search: s.q.trim() || undefined,
    hasErrors: s.errors ? "true" : undefined,
    topLevelOnly: s.topLevel ? "true" : "false",
    range: undefined,
    from: s.range === "custom" ? validIso(s.from) : undefined,
    to: s.range === "custom" ? validIso(s.to) : undefined,
    // kept in the key so a change of relative range refetches
    _range: s.range || undefined,
  };
}

export function resolveTimeRange(range: TimeRange): Record<string, QueryValue> {
  if (range === "1h" || range === "24h" || range === "7d")
    return { from: new Date(Date.now() - TIME_RANGES[range]).toISOString(), _range: undefined };
  return { _range: undefined };
}

export function hasActiveFilters(s: ListState): boolean {
  return !!(
    s.status.length ||
    s.targetType ||
    s.cs ||
    s.initiatorType ||
    s.initiator ||
    s.q ||
    s.range ||
    s.errors ||
    !s.topLevel
  );
}
