/**
 * How well a list's total is known. Counting is bounded (a cap, and a time budget on the busiest
 * lists): past the cap the total is a lower bound ("atLeast"); a count still running when the page
 * is ready is "unknown" (and the count goes on for the next request). Never a bound posing as a total.
 */
export const COUNT_STATUSES = ["exact", "atLeast", "unknown"] as const;
export type CountStatus = (typeof COUNT_STATUSES)[number];

/** What a list answer says of its total: the number (null when unknown) and how well it is known. */
export interface Total {
  count: number | null;
  status: CountStatus;
}
