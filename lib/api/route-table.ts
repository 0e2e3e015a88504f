/** The endpoints' ids, methods and paths (lib/api/routes.json is this table, written by `npm run routes`). */
import type { Method } from "./endpoint";
import { endpoints, type EndpointId } from "./endpoints";

export interface RouteEntry {
  id: string;
  method: Method;
  path: string;
}

export const routeTable = (): Record<EndpointId, RouteEntry> =>
  Object.fromEntries(
    Object.entries(endpoints).map(([key, e]) => [key, { id: e.id, method: e.method, path: e.path }]),
  ) as Record<EndpointId, RouteEntry>;
