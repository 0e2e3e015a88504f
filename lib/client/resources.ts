/**
 * TanStack Query options for every read of the dashboard, built from the endpoint definitions,
 * and the query keys, by resource: ["activities"], ["activities", "list", query],
 * ["activities", id], ["activities", id, "items", query], ... Mutations invalidate by prefix.
 */
import { untilCounted } from "./counts";
import { queryOptions } from "@tanstack/react-query";
import { endpoints } from "@/lib/client/endpoints";
import { request, type QueryInput } from "./http";

export const keys = {
  session: ["session"] as const,
  activities: ["activities"] as const,
  activityList: (query: QueryInput) => ["activities", "list", query] as const,
  activity: (id: string) => ["activities", id] as const,
  snapshot: (id: string) => ["activities", id, "snapshot"] as const,
  comparison: (id: string) => ["activities", id, "comparison"] as const,
  history: (id: string) => ["activities", id, "history"] as const,
  samples: (id: string) => ["activities", id, "samples"] as const,
  tree: (id: string) => ["activities", id, "tree"] as const,
  items: (id: string, query: QueryInput) => ["activities", id, "items", query] as const,
  item: (id: string, itemId: string) => ["activities", id, "item", itemId] as const,
  scheduleExecutions: ["schedule-executions"] as const,
  scheduleExecution: (id: string) => ["schedule-executions", id] as const,
  operations: ["operations"] as const,
  connectedSystems: ["connected-systems"] as const,
  failures: ["failures"] as const,
  failureGroups: (query: QueryInput) => ["failures", "groups", query] as const,
  failureObjects: (query: QueryInput) => ["failures", "objects", query] as const,
  failureObject: (id: string) => ["failures", "object", id] as const,
  savedViews: (scope: "Activities" | "Failures") => ["saved-views", scope] as const,
  webhook: (viewId: string) => ["saved-views", "webhook", viewId] as const,
  webhookDeliveries: (viewId: string, page: number) => ["saved-views", "webhook", viewId, "deliveries", page] as const,
};

export const queries = {
  session: () =>
    queryOptions({
      queryKey: keys.session,
      queryFn: ({ signal }) => request(endpoints.getSession, { signal }),
      staleTime: 60_000,
    }),
  connectedSystems: () =>
    queryOptions({
      queryKey: keys.connectedSystems,
      queryFn: ({ signal }) => request(endpoints.listConnectedSystems, { signal }),
      staleTime: 5 * 60_000,
    }),
  activity: (id: string) =>
    queryOptions({
      queryKey: keys.activity(id),
      queryFn: ({ signal }) => request(endpoints.getActivity, { params: { id }, signal }),
      staleTime: 60_000,
    }),
  comparison: (id: string) =>
    queryOptions({
      queryKey: keys.comparison(id),
      queryFn: ({ signal }) => request(endpoints.getActivityComparison, { params: { id }, signal }),
    }),
  samples: (id: string, maxPoints = 400) =>
    queryOptions({
      queryKey: keys.samples(id),
      queryFn: ({ signal }) => request(endpoints.listProgressSamples, { params: { id }, query: { maxPoints }, signal }),
    }),
  items: (id: string, query: QueryInput) =>
    queryOptions({
      queryKey: keys.items(id, query),
      queryFn: ({ signal }) => request(endpoints.listExecutionItems, { params: { id }, query, signal }),
    }),
  item: (id: string, itemId: string) =>
    queryOptions({
      queryKey: keys.item(id, itemId),
      queryFn: ({ signal }) => request(endpoints.getExecutionItem, { params: { id, itemId }, signal }),
      staleTime: Infinity,
    }),
  scheduleExecution: (id: string) =>
    queryOptions({
      queryKey: keys.scheduleExecution(id),
      queryFn: ({ signal }) => request(endpoints.getScheduleExecution, { params: { id }, signal }),
    }),
  operations: () =>
    queryOptions({
      queryKey: keys.operations,
      queryFn: ({ signal }) => request(endpoints.getOperations, { signal }),
    }),
  failureObject: (id: string) =>
    queryOptions({
      queryKey: keys.failureObject(id),
      queryFn: ({ signal }) => request(endpoints.getFailureObject, { params: { id }, signal }),
    }),
  webhook: (viewId: string) =>
    queryOptions({
      queryKey: keys.webhook(viewId),
      queryFn: ({ signal }) => request(endpoints.getWebhook, { params: { id: viewId }, signal }),
    }),
  webhookDeliveries: (viewId: string, page: number) =>
    queryOptions({
      queryKey: keys.webhookDeliveries(viewId, page),
      queryFn: ({ signal }) =>
        request(endpoints.listWebhookDeliveries, { params: { id: viewId }, query: { page, pageSize: 10 }, signal }),
    }),
  savedViews: (scope: "Activities" | "Failures") =>
    queryOptions({
      queryKey: keys.savedViews(scope),
      queryFn: ({ signal }) => request(endpoints.listSavedViews, { query: { scope }, signal }),
      staleTime: 60_000,
    }),
  /**
   * Failure groups and objects over a relative time range ("last 7 days"): the key keeps the query
   * as the URL has it (the preset), `resolve` turns it into the API's from/to when the request runs.
   */
  failureGroupsResolved: (query: QueryInput, resolve: (q: QueryInput) => QueryInput) =>
    queryOptions({
      queryKey: keys.failureGroups(query),
      queryFn: ({ signal }) => request(endpoints.listFailureGroups, { query: resolve(query), signal }),
      placeholderData: (previous) => previous,
    }),
  failureObjectsResolved: (query: QueryInput, resolve: (q: QueryInput) => QueryInput) =>
    queryOptions({
      queryKey: keys.failureObjects(query),
      queryFn: ({ signal }) => request(endpoints.listFailureObjects, { query: resolve(query), signal }),
      placeholderData: (previous) => previous,
      refetchInterval: untilCounted,
    }),
};
