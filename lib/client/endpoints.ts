/**
 * The endpoints as the dashboard calls them: id, method and path, read from lib/api/routes.json (the
 * table `npm run routes` writes from lib/api/endpoints.ts), and typed by their full definitions, so
 * that requests and answers are typed while no schema reaches the browser.
 */
import type { Endpoints } from "@/lib/api/endpoints";
import type { RouteEntry } from "@/lib/api/route-table";
import table from "@/lib/api/routes.json";

declare const DEFINITION: unique symbol;

/** An endpoint as the browser knows it; its definition is there for the types only. */
export interface Route<D = unknown> extends Readonly<RouteEntry> {
  readonly [DEFINITION]?: D;
}

export const endpoints = table as { [K in keyof Endpoints]: Route<Endpoints[K]> };
