/** How counts that may be capped by the server are said: "10,000+" past the cap, never a fake exact number. */
import { formatInt } from "./format";

export interface CountInfo {
  totalCount: number;
  totalCountCapped: boolean;
}

/** "1,234" or, when the server stopped counting, "10,000+". */
export const formatCount = (n: number, capped: boolean) => `${formatInt(n)}${capped ? "+" : ""}`;

/** "1 activity" / "10,000+ activities". */
export function countNoun(n: number, capped: boolean, one: string, many: string): string {
  return `${formatCount(n, capped)} ${n === 1 && !capped ? one : many}`;
}

/** Pages of `total` rows (at least 1, so an empty list is "page 1 of 1"). */
export const pageCount = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / Math.max(1, pageSize)));

/** True when `page` lies past the last page of an exactly counted list. */
export const isPastEnd = (page: number, pageSize: number, c: CountInfo) =>
  !c.totalCountCapped && page > pageCount(c.totalCount, pageSize);
