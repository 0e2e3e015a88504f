/**
 * The pages' transport: one Server-Sent-Events stream (GET /api/v1/live) carrying every answer a
 * page watches, and its long-poll twin (GET /api/v1/live/poll) for proxies that buffer. Each
 * subscription names a watchable GET by its path; it is validated and authorised as that GET
 * would be, keyed like it, and served from the same answers (lib/live/answers.ts): one read per
 * change for all watchers, the same bytes framed for each stream.
 *
 * A stream holds no store connection while it waits; what it has not been able to write to a slow
 * client is one pending answer per subscription (the latest), so a slow client costs bounded
 * memory and never holds up another.
 */
import type { Principal } from "@/lib/auth/authenticate";
import type { ErrorBody } from "@/lib/api/kit";
import { KEEP_ALIVE_SECONDS, STREAM_LIFETIME_SECONDS, SUBSCRIPTION_PATTERN } from "@/lib/api/live";
import { BadRequestError, asSyncwatchError } from "@/lib/domain/errors";
import { describeForLog } from "@/lib/db/errors";
import { answerOf, subscribe, type Answer, type Versioned } from "@/lib/live/answers";
import { onAuthChange } from "@/lib/live/signal";
import { STATUS_OF_CODE } from "@/lib/api/status-codes";
import { watchableAt } from "./watchable";

export interface Subscription {
  id: string;
  /** The value of the ETag the client has (between the quotes), "" for none. */
  etag: string;
  key: string;
  watch: string[];
  read: () => Promise<Versioned>;
}

type Failed = { id: string; status: number; error: ErrorBody };
type Resolved = { ok: true; sub: Subscription } | ({ ok: false } & Failed);

const tagValue = (etag: string) => etag.replace(/^W\//, "").replace(/^"|"$/g, "");

function failureOf(id: string, error: unknown): Failed {
  const known = asSyncwatchError(error);
  if (!known) {
    // One line without the statement's parameters a driver's error carries.
    console.error(`[syncwatch] live subscription ${id} failed: ${describeForLog(error)}`);
    return { id, status: 500, error: { code: "INTERNAL_ERROR", message: "An unexpected error occurred." } };
  }
  const body: ErrorBody = { code: known.code, message: known.message };
  if (known.details !== undefined) body.details = known.details;
  return { id, status: STATUS_OF_CODE[known.code], error: body };
}

/** One subscription, validated and authorised as a GET of its path would be. */
function resolveOne(raw: string, principal: Principal): Resolved {
  const m = SUBSCRIPTION_PATTERN.exec(raw)!;
  const [, id, etag, target] = m;
  try {
    const url = new URL(target, "http://x");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const w = watchableAt(path, url.searchParams, principal);
    if (!w)
      throw new BadRequestError(`${path} cannot be watched: name a list, snapshot, progress or operations path.`, {
        subscription: id,
      });
    return { ok: true, sub: { id, etag, key: w.key, watch: w.watch, read: w.read } };
  } catch (error) {
    return { ok: false, ...failureOf(id, error) };
  }
}

/**
 * The subscriptions of a request. `resume` (Last-Event-ID) overrides the ETags they name with
 * those a previous stream delivered.
 */
export function resolveSubscriptions(raw: string[], principal: Principal, resume: string | null): Resolved[] {
  const ids = new Set<string>();
  const resumed = parseResume(resume);
  return raw.map((r) => {
    const id = SUBSCRIPTION_PATTERN.exec(r)![1];
    if (ids.has(id)) throw new BadRequestError(`Subscription id ${id} is used twice.`, { subscription: id });
    ids.add(id);
    const resolved = resolveOne(r, principal);
    if (resolved.ok && resumed.has(id)) resolved.sub.etag = resumed.get(id)!;
    return resolved;
  });
}

/** Last-Event-ID: `id.etag~id.etag…`, the ETags the stream had delivered. */
function parseResume(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split("~")) {
    const [id, etag] = part.split(".");
    if (id && etag !== undefined && /^[A-Za-z0-9_-]{1,16}$/.test(id) && /^[A-Za-z0-9_-]{0,64}$/.test(etag))
      out.set(id, etag);
  }
  return out;
}

const encoder = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `{"s":…,"etag":…,"body":<the answer's bytes>}`: the body is not serialised again. */
function answerJson(id: string, a: Answer): Uint8Array<ArrayBuffer> {
  return concat([
    encoder.encode(`{"s":${JSON.stringify(id)},"etag":${JSON.stringify(a.etag)},"body":`),
    a.bytes,
    encoder.encode("}"),
  ]);
}

/** The closers of the streams open now (one module instance per process, even across bundles). */
const g = globalThis as unknown as { __syncwatchStreams?: { closers: Set<() => void> } };
const streams = (g.__syncwatchStreams ??= { closers: new Set() });
let authHooked = false;

type Pending = { answer: Answer } | Failed;

/**
 * The event stream of resolved subscriptions. Sends `ready`, then every answer that differs from
 * what the client has, then each change; keep-alive comments while idle; closes after the
 * stream's lifetime, when a key is revoked, or when the client goes.
 */
export function liveStream(resolved: Resolved[], signal: AbortSignal): Response {
  if (!authHooked) {
    authHooked = true;
    // A revoked key or an ended session must not keep watching: every stream reconnects (and re-authenticates).
    onAuthChange(() => {
      for (const close of [...streams.closers]) close();
    });
  }
  const subs = resolved.filter((r): r is { ok: true; sub: Subscription } => r.ok).map((r) => r.sub);
  const delivered = new Map<string, string>(subs.map((s) => [s.id, s.etag]));
  const pending = new Map<string, Pending>();
  const unsubscribe: (() => void)[] = [];
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let lastWrite = Date.now();
  const timers: ReturnType<typeof setTimeout>[] = [];

  const resumeToken = () => [...delivered].map(([id, etag]) => `${id}.${etag}`).join("~");
  const write = (chunk: Uint8Array) => {
    controller.enqueue(chunk);
    lastWrite = Date.now();
  };
  const frame = (id: string, p: Pending): Uint8Array => {
    if ("answer" in p) {
      delivered.set(id, tagValue(p.answer.etag));
      return concat([
        encoder.encode(`id: ${resumeToken()}\nevent: answer\ndata: `),
        answerJson(id, p.answer),
        encoder.encode("\n\n"),
      ]);
    }
    delivered.set(id, "");
    return encoder.encode(
      `id: ${resumeToken()}\nevent: failed\ndata: ${JSON.stringify({ s: id, status: p.status, error: p.error })}\n\n`,
    );
  };
  /** Writes what is pending while the client keeps up; the rest waits (the latest answer per subscription). */
  const flush = () => {
    if (closed) return;
    for (const [id, p] of pending) {
      if ((controller.desiredSize ?? 1) <= 0) return;
      pending.delete(id);
      write(frame(id, p));
    }
  };
  const offer = (sub: Subscription, p: Pending) => {
    if (closed) return;
    if ("answer" in p && tagValue(p.answer.etag) === delivered.get(sub.id)) {
      pending.delete(sub.id);
      return;
    }
    pending.set(sub.id, p);
    flush();
  };
  const close = () => {
    if (closed) return;
    closed = true;
    streams.closers.delete(close);
    for (const u of unsubscribe) u();
    for (const t of timers) clearTimeout(t);
    pending.clear();
    try {
      controller.close();
    } catch {
      // already closed by the client
    }
  };

  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        streams.closers.add(close);
        write(encoder.encode(`retry: 2000\nevent: ready\ndata: {"subscriptions":${subs.length}}\n\n`));
        for (const r of resolved) if (!r.ok) offer({ id: r.id } as Subscription, r);
        for (const sub of subs) {
          unsubscribe.push(
            subscribe(sub.key, sub.watch, sub.read, (d) => offer(sub, "answer" in d ? d : failureOf(sub.id, d.error))),
          );
          // What the client has may already be stale: compare once now (from memory when current).
          answerOf(sub.key, sub.watch, sub.read).then(
            (answer) => offer(sub, { answer }),
            (error) => offer(sub, failureOf(sub.id, error)),
          );
        }
        const keepAlive = () => {
          if (closed) return;
          if (Date.now() - lastWrite >= KEEP_ALIVE_SECONDS * 1000 - 50 && (controller.desiredSize ?? 1) > 0)
            write(encoder.encode(": keep-alive\n\n"));
          timers.push(setTimeout(keepAlive, KEEP_ALIVE_SECONDS * 1000).unref());
        };
        timers.push(setTimeout(keepAlive, KEEP_ALIVE_SECONDS * 1000).unref());
        timers.push(setTimeout(close, STREAM_LIFETIME_SECONDS * 1000).unref());
        signal.addEventListener("abort", close, { once: true });
      },
      pull: flush,
      cancel: close,
    },
    { highWaterMark: 4 },
  );
  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform: the server's compression would hold events back (and cost a zlib state per stream).
      "Cache-Control": "no-store, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}

/**
 * The long-poll twin: `{"events":[…]}` with what differs from the ETags sent, at once or as soon
 * as something does (within `waitMs`); no events when nothing did. Answers are not serialised again.
 */
export async function livePoll(resolved: Resolved[], waitMs: number, signal: AbortSignal): Promise<Response> {
  const events: Uint8Array[] = [];
  const failed = (f: Failed) => encoder.encode(JSON.stringify({ s: f.id, status: f.status, error: f.error }));
  for (const r of resolved) if (!r.ok) events.push(failed(r));
  const subs = resolved.filter((r): r is { ok: true; sub: Subscription } => r.ok).map((r) => r.sub);
  const differs = (sub: Subscription, a: Answer) => tagValue(a.etag) !== sub.etag;
  const now = await Promise.all(
    subs.map((sub) =>
      answerOf(sub.key, sub.watch, sub.read).then(
        (answer) => ({ sub, answer }) as const,
        (error) => ({ sub, failed: failureOf(sub.id, error) }) as const,
      ),
    ),
  );
  for (const r of now) {
    if ("failed" in r) events.push(failed(r.failed));
    else if (differs(r.sub, r.answer)) events.push(answerJson(r.sub.id, r.answer));
  }
  if (!events.length && waitMs > 0) {
    const live = now.filter((r) => "answer" in r).map((r) => r.sub);
    events.push(
      ...(await new Promise<Uint8Array[]>((resolve) => {
        const offs: (() => void)[] = [];
        const finish = (out: Uint8Array[]) => {
          clearTimeout(timer);
          for (const off of offs) off();
          signal.removeEventListener("abort", aborted);
          resolve(out);
        };
        const aborted = () => finish([]);
        const timer = setTimeout(() => finish([]), waitMs);
        signal.addEventListener("abort", aborted, { once: true });
        for (const sub of live)
          offs.push(
            subscribe(sub.key, sub.watch, sub.read, (d) => {
              if ("error" in d) finish([failed(failureOf(sub.id, d.error))]);
              else if (differs(sub, d.answer)) finish([answerJson(sub.id, d.answer)]);
            }),
          );
      })),
    );
  }
  const parts: Uint8Array[] = [encoder.encode('{"events":[')];
  events.forEach((e, i) => parts.push(...(i ? [encoder.encode(","), e] : [e])));
  parts.push(encoder.encode("]}"));
  return new Response(concat(parts), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}
