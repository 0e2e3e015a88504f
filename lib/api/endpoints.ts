/**
 * Every /api/v1 endpoint, gathered from the resource modules that declare them. The route handlers
 * consume these (lib/http/route.ts), the OpenAPI document is generated from them (./openapi.ts), the
 * proxy answers 404/405 from their paths, and the dashboard's requests are typed by them (lib/client,
 * which calls them through ./routes.json: the browser imports this module as types only).
 */
import type { Endpoint } from "./endpoint";
import { accessEndpoints } from "./access";
import { activityEndpoints } from "./activities";
import { connectedSystemEndpoints } from "./connected-systems";
import { failureEndpoints } from "./failures";
import { itemEndpoints } from "./items";
import { liveEndpoints } from "./live";
import { metaEndpoints } from "./meta";
import { operationEndpoints } from "./operations";
import { progressEndpoints } from "./progress";
import { savedViewEndpoints } from "./saved-views";
import { scheduleEndpoints } from "./schedules";
import { webhookEndpoints } from "./webhooks";

export type { Endpoint } from "./endpoint";

export const endpoints = {
  ...activityEndpoints,
  ...liveEndpoints,
  ...progressEndpoints,
  ...itemEndpoints,
  ...scheduleEndpoints,
  ...operationEndpoints,
  ...connectedSystemEndpoints,
  ...failureEndpoints,
  ...savedViewEndpoints,
  ...webhookEndpoints,
  ...accessEndpoints,
  ...metaEndpoints,
} as const;

export type Endpoints = typeof endpoints;
export type EndpointId = keyof Endpoints;
export const ALL_ENDPOINTS: Endpoint[] = Object.values(endpoints);

/** The path template's segments as a matcher: "/activities/{id}" matches "/activities/3f…". */
function compile(path: string): RegExp {
  const pattern = path.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+");
  return new RegExp(`^${pattern}$`);
}
const MATCHERS = ALL_ENDPOINTS.map((e) => ({ e, re: compile(e.path), params: e.path.split("{").length - 1 }));

/**
 * The endpoints whose path matches `path` (below /api/v1); empty when the path is unknown. As in
 * the router, a literal segment wins over a parameter: /items/export is not item "export".
 */
export function endpointsAt(path: string): Endpoint[] {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  const found = MATCHERS.filter((m) => m.re.test(trimmed));
  const fewest = Math.min(...found.map((m) => m.params));
  return found.filter((m) => m.params === fewest).map((m) => m.e);
}
