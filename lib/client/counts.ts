/**
 * How a list's total is said. The server counts within a cap and a time budget and says how well
 * it knows the total (countStatus): "1,234" when exact, "10,000+" past the cap, and while the
 * count is still being made "50+" (the rows up to this page, a next page following) until a later
 * answer fills the number in. Never a lower bound shown as a total.
 */
import type { CountStatus } from "@/lib/domain/counts";
import { formatInt } from "./format";

/** What every page envelope carries about its total. */
export interface CountInfo {
  totalCount: number | null;
  countStatus: CountStatus;
  hasNextPage: boolean;
  items: readonly unknown[];
}

export interface KnownTotal {
  /** The total, or the number of rows known to match at least. */
  n: number;
  exact: boolean;
}

/** The total as far as it is known, on page `page` of `pageSize` rows. */
export function knownTotal(c: CountInfo, page: number, pageSize: number): KnownTotal {
  if (c.countStatus === "exact" && c.totalCount !== null) return { n: c.totalCount, exact: true };
  if (c.countStatus === "atLeast" && c.totalCount !== null) return { n: c.totalCount, exact: false };
  // Not counted yet: at least the rows up to the end of this page (a page followed by another is full).
  return { n: Math.max(0, page - 1) * pageSize + c.items.length, exact: false };
}

/** "1,234" or, when the total is only known to be at least that, "1,234+". */
export const formatCount = (n: number, atLeast: boolean) => `${formatInt(n)}${atLeast ? "+" : ""}`;

export const formatTotal = (t: KnownTotal) => formatCount(t.n, !t.exact);

/** "1 activity" / "10,000+ activities". */
export function countNoun(t: KnownTotal, one: string, many: string): string {
  return `${formatTotal(t)} ${t.n === 1 && t.exact ? one : many}`;
}

/** Pages of `total` rows (at least 1, so an empty list is "page 1 of 1"). */
export const pageCount = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / Math.max(1, pageSize)));

/** True when `page` lies past the last page of an exactly counted list. */
export const isPastEnd = (page: number, pageSize: number, t: KnownTotal) => t.exact && page > pageCount(t.n, pageSize);

/** How often to ask again for a page whose total is still being counted (react-query's refetchInterval). */
export const untilCounted = (q: { state: { data?: unknown } }): number | false =>
  (q.state.data as Partial<CountInfo> | undefined)?.countStatus === "unknown" ? 1000 : false;

/** Whether the list holds no row at all (only an exact count can say so). */
export const isEmpty = (t: KnownTotal) => t.exact && t.n === 0;
