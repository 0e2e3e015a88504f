/** The parts of a request validated against an endpoint's schemas: path parameters, query, body. */
import type { z } from "zod";
import { invalidRequest } from "./errors";

/** The query string as an object: a repeated parameter becomes a list. */
export function queryObject(search: URLSearchParams): Record<string, string | string[]> {
  const raw: Record<string, string | string[]> = {};
  for (const [k, v] of search) {
    const prev = raw[k];
    raw[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return raw;
}

export function parsePart(part: "path" | "query" | "body", schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequest(part, parsed.error);
  return parsed.data;
}
