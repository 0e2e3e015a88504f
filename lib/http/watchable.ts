/**
 * A watchable GET resolved once for every way it is asked: a route through Next (lib/http/route.ts),
 * a subscription of the pages' stream (./live-stream.ts) and an answer sent from memory before Next
 * (./memory-answers.ts). Each names it by endpoint, path parameters and query, and gets the same key,
 * the same read and the same 304 / long-poll outcome.
 */
import type { Principal } from "@/lib/auth/authenticate";
import type { Endpoint } from "@/lib/api/endpoints";
import { endpointsAt } from "@/lib/api/endpoints";
import { SyncwatchError } from "@/lib/domain/errors";
import { answerOf, nextAnswer, normaliseQuery, type Answer, type Versioned } from "@/lib/live/answers";
import { liveViewOf, type AnyLiveView } from "@/lib/services/live-views";
import { admitted } from "./admission";
import { parsePart, queryObject } from "./request-parts";

export interface Watchable {
  endpoint: Endpoint;
  /** The answer's key: the endpoint, its path parameters and its normalised query. */
  key: string;
  /** The validated query (a long poll's `wait` among it). */
  query: unknown;
  watch: string[];
  read: () => Promise<Versioned>;
}

/** The key of a watchable answer: the endpoint, its path parameters and its normalised query. */
export function answerKey(endpoint: Endpoint, params: unknown, query: unknown): string {
  return `${endpoint.id} ${params ? JSON.stringify(params) : ""} ${normaliseQuery(query)}`;
}

/** A watchable answer of `endpoint` for validated `params` and `query`. */
export function watchableOf(endpoint: Endpoint, view: AnyLiveView, params: unknown, query: unknown): Watchable {
  const input = { params, query } as Parameters<AnyLiveView["read"]>[0];
  return {
    endpoint,
    key: answerKey(endpoint, params, query),
    query,
    watch: view.watch(input),
    read: () => admitted(() => view.read(input)),
  };
}

/** The path parameters of `path` by the endpoint's template ("/activities/{id}" → { id }). */
function paramsOf(endpoint: Endpoint, path: string): Record<string, string> {
  const names: string[] = [];
  const pattern = endpoint.path.replace(/[.]/g, "\\.").replace(/\{([^}]+)\}/g, (_m, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  const m = new RegExp(`^${pattern}$`).exec(path);
  const out: Record<string, string> = {};
  names.forEach((n, i) => (out[n] = decodeURIComponent(m?.[i + 1] ?? "")));
  return out;
}

/**
 * The watchable GET at `path` (below /api/v1) with `search`, validated and authorised as its route
 * would be: null when no watchable GET is there; throws the route's 400 or 403 when it would refuse.
 */
export function watchableAt(path: string, search: URLSearchParams, principal: Principal): Watchable | null {
  const endpoint = endpointsAt(path).find((e) => e.method === "GET");
  const view = endpoint ? liveViewOf(endpoint.id) : undefined;
  if (!endpoint || !view) return null;
  if (endpoint.access === "admin" && principal.role !== "Administrator")
    throw new SyncwatchError("FORBIDDEN", "Insufficient permissions (Administrator role required).");
  const params = parsePart("path", endpoint.params, paramsOf(endpoint, path));
  const query = parsePart("query", endpoint.query, queryObject(search));
  return watchableOf(endpoint, view, params, query);
}

/** What a conditional GET of a watchable answer gets: the answer, or 304 with an ETag. */
export type LiveOutcome = { answer: Answer } | { notModified: string; cacheControl: string };

const bareTag = (t: string) => t.trim().replace(/^W\//, "");

function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const mine = bareTag(etag);
  return header.split(",").some((t) => bareTag(t) === mine);
}

/** The ETag a long poll holds (`?wait=` with If-None-Match on a long-poll endpoint) and how long, or null. */
function heldTag(w: Watchable, ifNoneMatch: string | null): { etag: string; ms: number } | null {
  const wait = w.endpoint.longPoll ? ((w.query as { wait?: number } | undefined)?.wait ?? 0) : 0;
  if (!ifNoneMatch || wait <= 0 || ifNoneMatch.trim() === "*") return null;
  return { etag: ifNoneMatch.split(",")[0].trim(), ms: wait * 1000 };
}

/** Whether a GET of `w` with `ifNoneMatch` is a long poll that waits for a change. */
export function holds(w: Watchable, ifNoneMatch: string | null): boolean {
  return heldTag(w, ifNoneMatch) !== null;
}

/**
 * The outcome of a GET of `w`: 304 to a matching If-None-Match, the current answer,
 * or — a long poll — the next answer whose ETag differs, or 304 when the wait ends first.
 */
export async function liveOutcome(
  w: Watchable,
  ifNoneMatch: string | null,
  signal?: AbortSignal,
): Promise<LiveOutcome> {
  const held = heldTag(w, ifNoneMatch);
  const a = held
    ? await nextAnswer(w.key, w.watch, w.read, held.etag, held.ms, signal)
    : await answerOf(w.key, w.watch, w.read);
  if (!a) return { notModified: held!.etag, cacheControl: "private, no-cache" };
  if (etagMatches(ifNoneMatch, a.etag)) return { notModified: a.etag, cacheControl: a.cacheControl };
  return { answer: a };
}
