/**
 * Watching: the live snapshot of one activity, and the multiplexed stream that carries every
 * watched answer of a page (list rows, a snapshot, a schedule execution, operations) over one
 * connection, with its long-poll fallback for proxies that buffer.
 * Schemas (validated at the edge, typed for the pages, documented in OpenAPI) and endpoints.
 */
import { z } from "zod";
import { endpoint } from "./endpoint";
import { ErrorBody, IdParam } from "./kit";
import { ActivityDetail } from "./activities";
import { ProgressSample, ProgressSnapshot, SnapshotQuery } from "./progress";
import { ScheduleExecution } from "./schedules";

// ---------- the live snapshot ----------
export const LiveSnapshot = z
  .object({
    activity: ActivityDetail,
    progress: ProgressSnapshot,
    newSamples: z.array(ProgressSample).describe("Samples after samplesAfter (empty without it)"),
    moreSamples: z.boolean().describe("More samples followed than were included: fetch them from /progress/samples"),
    scheduleExecution: ScheduleExecution.nullable().describe(
      "For a schedule execution: every planned step, as GET /schedule-executions/{id} gives it, read with the rest of " +
        "this answer (the two never disagree); null for other activities",
    ),
  })
  .meta({ id: "LiveSnapshot", description: "Everything a watcher of one activity needs, in one answer" });
export type LiveSnapshot = z.infer<typeof LiveSnapshot>;

// ---------- the stream ----------
/** Most subscriptions one stream carries. */
export const MAX_SUBSCRIPTIONS = 50;
/** How long a stream stays open before the server closes it (the client reconnects at once). */
export const STREAM_LIFETIME_SECONDS = 300;
/** Seconds between keep-alive comments on an idle stream. */
export const KEEP_ALIVE_SECONDS = 15;

/** `<id>:<etag>:<path>` — the client's name for it, the ETag it has (may be empty), the GET path below /api/v1. */
export const SUBSCRIPTION_PATTERN = /^([A-Za-z0-9_-]{1,16}):([A-Za-z0-9_-]{0,64}):(\/[^\s]{0,2000})$/;

const Subscription = z
  .string()
  .regex(SUBSCRIPTION_PATTERN, {
    error:
      "A subscription is <id>:<etag>:<path>: an id of 1–16 letters, digits, - or _, the ETag's value (or nothing), and an API path",
  })
  .describe(
    "A watched answer, `<id>:<etag>:<path>`: the client's id for it, the value between the quotes of the ETag it " +
      'already has (empty for none), and the path below /api/v1 of a watchable GET with its query, e.g. "s1::/operations" ' +
      'or "s2:Zm9v:/activities?status=InProgress" (URL-encoded as a query value)',
  );

export const LiveQuery = z.strictObject({
  s: z
    .union([Subscription, z.array(Subscription)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string()).min(1).max(MAX_SUBSCRIPTIONS))
    .describe(`The watched answers (1–${MAX_SUBSCRIPTIONS}), one s= each`),
});
export type LiveQuery = z.infer<typeof LiveQuery>;

/** Longest wait of GET /live/poll: one request a minute or so while nothing changes. */
export const MAX_LIVE_POLL_WAIT_SECONDS = 50;

export const LivePollQuery = LiveQuery.extend({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_LIVE_POLL_WAIT_SECONDS)
    .default(MAX_LIVE_POLL_WAIT_SECONDS)
    .describe(`Seconds to wait for a change before answering with no events (at most ${MAX_LIVE_POLL_WAIT_SECONDS})`),
});

export const LiveAnswerEvent = z
  .object({
    s: z.string().describe("The subscription's id"),
    etag: z.string().describe("The answer's ETag, as GET gives it"),
    body: z.unknown().describe("The answer, exactly as GET of the subscription's path gives it"),
  })
  .meta({ id: "LiveAnswerEvent", description: "A watched answer changed (or was not the one the client had)" });
export const LiveErrorEvent = z
  .object({
    s: z.string().describe("The subscription's id"),
    status: z.number().int().describe("The HTTP status GET of the path answers"),
    error: ErrorBody,
  })
  .meta({
    id: "LiveErrorEvent",
    description: "A watched answer cannot be given (not found, forbidden, invalid query)",
  });
export const LiveEvent = z.union([LiveAnswerEvent, LiveErrorEvent]);
export type LiveEvent = z.infer<typeof LiveEvent>;

export const LivePollAnswer = z
  .object({
    events: z
      .array(LiveEvent)
      .describe("The subscriptions whose answer differs from the ETag sent (empty when the wait ran out)"),
  })
  .meta({ id: "LivePollAnswer", description: "What changed among the watched answers" });
export type LivePollAnswer = z.infer<typeof LivePollAnswer>;

// ---------- endpoints ----------
export const liveEndpoints = {
  getActivitySnapshot: endpoint({
    id: "getActivitySnapshot",
    method: "GET",
    path: "/activities/{id}/snapshot",
    tag: "Progress",
    summary: "Watch an activity: detail, progress and new samples in one answer",
    description:
      "Poll with If-None-Match and ?wait= to be answered as soon as the activity (or one of its steps) changes.",
    access: "read",
    params: IdParam,
    query: SnapshotQuery,
    response: { status: 200, schema: LiveSnapshot, description: "The live snapshot" },
    conditional: true,
    longPoll: true,
  }),
  streamLive: endpoint({
    id: "streamLive",
    method: "GET",
    path: "/live",
    tag: "Progress",
    summary: "Watch several answers over one stream (Server-Sent Events)",
    description:
      "One connection carries every watched answer of a page. Each s= names a watchable GET (a list, a snapshot, a " +
      "schedule execution, operations...) and the ETag the client has. The stream sends `event: ready` at once, then " +
      "`event: answer` with data `{s, etag, body}` whenever a watched answer differs from what the client has (at once " +
      "for those that already differ), and `event: failed` with data `{s, status, error}` for one that cannot be given " +
      `(not found, forbidden, invalid query). Comments keep an idle stream open (every ${KEEP_ALIVE_SECONDS} s); the ` +
      `server closes it after ${STREAM_LIFETIME_SECONDS} s or when a key is revoked, and a client reconnects with ` +
      "Last-Event-ID (each event's id names the ETags delivered so far) to be sent only what changed. Answers are built " +
      "once per change for every watcher. Behind a proxy that buffers, use GET /live/poll.",
    access: "read",
    query: LiveQuery,
    response: { status: 200, description: "The stream of events", contentType: "text/event-stream" },
  }),
  pollLive: endpoint({
    id: "pollLive",
    method: "GET",
    path: "/live/poll",
    tag: "Progress",
    summary: "Watch several answers by long poll",
    description:
      "The same subscriptions as GET /live, answered as JSON as soon as one of them differs from the ETag sent (or with no " +
      "events after ?wait= seconds). Ask again at once with the new ETags: there is no minimum interval.",
    access: "read",
    query: LivePollQuery,
    response: { status: 200, schema: LivePollAnswer, description: "What changed" },
  }),
} as const;
