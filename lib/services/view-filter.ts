/**
 * A saved view's query string as the activity list's filter: the list's own URL vocabulary (the
 * API's query names, plus `range`, a relative time range resolved against now), parsed by the
 * list's own query schema. What a webhook matches is what the view would list: like the list, a view
 * that does not say topLevelOnly includes steps when its filters imply them (stepsImplied).
 */
import { NOT_FILTERS, filtersOf } from "@/lib/api/kit";
import { ActivityListQuery } from "@/lib/api/activities";
import { TIME_RANGES } from "@/lib/api/limits";
import { stepsImplied } from "@/lib/domain/filters";
import type { ActivityFilter } from "@/lib/repo/activities";

export type ViewFilter = { filter: ActivityFilter } | { problem: string };

export function activityFilterOfView(query: string, now = Date.now()): ViewFilter {
  const raw: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(query)) {
    if ((NOT_FILTERS as readonly string[]).includes(k)) continue;
    const prev = raw[k];
    raw[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const range = raw.range;
  delete raw.range;
  if (typeof range === "string" && range in TIME_RANGES) {
    // the range is relative to the moment of matching: "failed in the last 24 hours" as the list would show it now
    delete raw.from;
    delete raw.to;
    raw.from = new Date(now - TIME_RANGES[range as keyof typeof TIME_RANGES]).toISOString();
  }
  const parsed = ActivityListQuery.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `${issue?.path.join(".") || "query"}: ${issue?.message ?? "not a valid filter"}` };
  }
  const filter = filtersOf(parsed.data);
  if (raw.topLevelOnly === undefined && stepsImplied(filter)) filter.topLevelOnly = false;
  return { filter };
}
