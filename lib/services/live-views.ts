/**
 * Every answer a client can watch, by endpoint: what changes it (activity ids, or any activity)
 * and the one read that builds it with what it depends on. `route()` serves them with ETags, 304s
 * and long polls (lib/http/route.ts); the live stream (app/api/v1/live) serves the same answers,
 * from the same cache, to pages. A new watchable endpoint is one line here and `live:` in its route.
 */
import type { z } from "zod";
import type { Endpoint, endpoints } from "@/lib/api/endpoints";
import { ANY_ACTIVITY } from "@/lib/live/signal";
import type { Versioned } from "@/lib/live/answers";
import {
  getComparison,
  getProgress,
  getSnapshot,
  getStats,
  getTree,
  listActivities,
  listChildren,
  listSamples,
  readActivity,
} from "./activities";
import { readItem, readItems } from "./items";
import { getOperations } from "./operations";
import { listScheduleExecutions, readScheduleExecution } from "./schedule-executions";

type Out<S> = [S] extends [z.ZodType] ? z.output<S> : undefined;
/** The validated path parameters and query of an endpoint. */
export type ViewInput<E> =
  E extends Endpoint<infer P, infer Q, z.ZodType | undefined, z.ZodType | undefined>
    ? { params: Out<P>; query: Out<Q> }
    : never;

export interface LiveView<E extends Endpoint = Endpoint> {
  /** What changes the answer: activity ids, or ANY_ACTIVITY. */
  watch: (input: ViewInput<E>) => string[];
  /** One read of the store: the body and what it depends on. */
  read: (input: ViewInput<E>) => Promise<Versioned>;
}

const ofActivity = ({ params }: { params: { id: string } }) => [params.id];
const anyActivity = () => [ANY_ACTIVITY];

export const liveViews = {
  listActivities: { watch: anyActivity, read: ({ query }) => listActivities(query) },
  getActivity: { watch: ofActivity, read: ({ params }) => readActivity(params.id) },
  getActivitySnapshot: { watch: ofActivity, read: ({ params, query }) => getSnapshot(params.id, query.samplesAfter) },
  getActivityStats: { watch: ofActivity, read: ({ params }) => getStats(params.id) },
  getActivityProgress: { watch: ofActivity, read: ({ params }) => getProgress(params.id) },
  listProgressSamples: { watch: ofActivity, read: ({ params, query }) => listSamples(params.id, query) },
  getActivityTree: { watch: ofActivity, read: ({ params }) => getTree(params.id) },
  listActivityChildren: { watch: ofActivity, read: ({ params, query }) => listChildren(params.id, query) },
  getActivityComparison: { watch: ofActivity, read: ({ params }) => getComparison(params.id) },
  listExecutionItems: { watch: ofActivity, read: ({ params, query }) => readItems(params.id, query) },
  getExecutionItem: { watch: ofActivity, read: ({ params }) => readItem(params.id, params.itemId) },
  getScheduleExecution: { watch: ofActivity, read: ({ params }) => readScheduleExecution(params.id) },
  listScheduleExecutions: { watch: anyActivity, read: ({ query }) => listScheduleExecutions(query) },
  getOperations: { watch: anyActivity, read: () => getOperations() },
} satisfies { [K in keyof typeof endpoints]?: LiveView<(typeof endpoints)[K]> };

export type LiveViewId = keyof typeof liveViews;

/** A view looked up by endpoint id at run time (its input validated by the endpoint's own schemas). */
export interface AnyLiveView {
  watch: (input: { params: unknown; query: unknown }) => string[];
  read: (input: { params: unknown; query: unknown }) => Promise<Versioned>;
}

/** The view of an endpoint, when it has one. */
export function liveViewOf(endpointId: string): AnyLiveView | undefined {
  return (liveViews as unknown as Record<string, AnyLiveView | undefined>)[endpointId];
}
