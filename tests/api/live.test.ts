/**
 * The pages' transport: GET /live (Server-Sent Events carrying several watched answers) and its
 * long-poll twin GET /live/poll. Each subscription is answered as a GET of its path would be
 * (same body, same ETag), only when it differs from the ETag the client has, and again on each
 * change; what cannot be given is a `failed` event for that subscription alone.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, BASE_URL, createPlain, createRun, get, post, unique } from "./helpers";

interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** An open event stream: its events as they arrive. */
class Stream {
  readonly events: SseEvent[] = [];
  private buffer = "";
  private waiters: (() => void)[] = [];
  readonly done: Promise<void>;
  constructor(
    readonly res: Response,
    private readonly ctrl: AbortController,
  ) {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    this.done = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          this.buffer += decoder.decode(value, { stream: true });
          let cut: number;
          while ((cut = this.buffer.indexOf("\n\n")) >= 0) {
            const block = this.buffer.slice(0, cut);
            this.buffer = this.buffer.slice(cut + 2);
            const e: SseEvent = { event: "message", data: "" };
            let any = false;
            for (const line of block.split("\n")) {
              const i = line.indexOf(":");
              if (i === 0) continue; // a comment (keep-alive)
              const [k, v] = i < 0 ? [line, ""] : [line.slice(0, i), line.slice(i + 1).replace(/^ /, "")];
              if (k === "event") e.event = v;
              if (k === "data") e.data += v;
              if (k === "id") e.id = v;
              any = true;
            }
            if (any) this.events.push(e);
            for (const w of this.waiters.splice(0)) w();
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  /** Waits until `n` events of `type` arrived (or fails after `ms`). */
  async next(type: string, n = 1, ms = 10_000): Promise<SseEvent[]> {
    const until = Date.now() + ms;
    for (;;) {
      const got = this.events.filter((e) => e.event === type);
      if (got.length >= n) return got;
      if (Date.now() > until)
        throw new Error(`only ${got.length} ${type} events in ${ms} ms: ${JSON.stringify(this.events)}`);
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), new Promise((r) => setTimeout(r, 200))]);
    }
  }
  close() {
    this.ctrl.abort();
  }
}

async function stream(subs: string[], headers: Record<string, string> = {}, key = ADMIN_KEY): Promise<Stream> {
  const ctrl = new AbortController();
  const qs = subs.map((s) => `s=${encodeURIComponent(s)}`).join("&");
  const res = await fetch(`${BASE_URL}/api/v1/live?${qs}`, {
    headers: { "X-Api-Key": key, ...headers },
    signal: ctrl.signal,
  });
  return new Stream(res, ctrl);
}

const tagValue = (etag: string) => etag.replace(/^W\//, "").replace(/"/g, "");
const data = (e: SseEvent) => JSON.parse(e.data);

let runId: string;
let readOnlyKey: string;

beforeAll(async () => {
  runId = (await createRun(unique("live-run"), { objectsToProcess: 100 })).id;
  const r = await post("/api-keys", { name: unique("reader"), role: "ReadOnly" });
  readOnlyKey = r.body.secret;
});

describe("GET /live", () => {
  it("says ready at once, then sends each answer that differs from the client's, as GET gives it", async () => {
    const snapshot = await get(`/activities/${runId}/snapshot`);
    const ops = await get("/operations");
    const s = await stream([
      `a:${tagValue(snapshot.headers.get("etag")!)}:/activities/${runId}/snapshot`,
      `b::/operations`,
      `c:stale:/activities/${runId}`,
    ]);
    try {
      expect(s.res.status).toBe(200);
      expect(s.res.headers.get("content-type")).toContain("text/event-stream");
      expect((await s.next("ready"))[0].data).toBe('{"subscriptions":3}');
      const answers = await s.next("answer", 2);
      const bySub = new Map(answers.map((e) => [data(e).s, data(e)]));
      expect(bySub.has("a")).toBe(false); // the client had it
      expect(bySub.get("b").etag).toBe(ops.headers.get("etag"));
      expect(bySub.get("b").body).toEqual(ops.body);
      const detail = await get(`/activities/${runId}`);
      expect(bySub.get("c").body).toEqual(detail.body);
      expect(bySub.get("c").etag).toBe(detail.headers.get("etag"));
    } finally {
      s.close();
    }
  });

  it("sends a change as it happens, to every stream watching it", async () => {
    const snapshot = await get(`/activities/${runId}/snapshot`);
    const tag = tagValue(snapshot.headers.get("etag")!);
    const streams = await Promise.all([1, 2, 3].map(() => stream([`w:${tag}:/activities/${runId}/snapshot`])));
    try {
      await Promise.all(streams.map((s) => s.next("ready")));
      const t = Date.now();
      expect(
        (await post(`/activities/${runId}/progress`, { objectsProcessed: 42, message: "for the watchers" })).status,
      ).toBe(200);
      const got = await Promise.all(streams.map((s) => s.next("answer")));
      const elapsed = Date.now() - t;
      for (const [e] of got) {
        expect(data(e).body.activity.progress.message).toBe("for the watchers");
        expect(data(e).body.progress.objectsProcessed).toBe(42);
      }
      expect(new Set(got.map(([e]) => e.data)).size).toBe(1); // the same bytes for all
      expect(elapsed).toBeLessThan(5_000);
    } finally {
      for (const s of streams) s.close();
    }
  });

  it("resumes with Last-Event-ID: only what changed since is sent", async () => {
    const first = await stream([`r::/activities/${runId}`, `o::/operations`]);
    let lastId: string;
    try {
      await first.next("answer", 2);
      lastId = first.events.filter((e) => e.event === "answer").at(-1)!.id!;
    } finally {
      first.close();
    }
    expect(lastId).toMatch(/^[ro]\.[\w-]+~[ro]\.[\w-]+$/);
    const again = await stream([`r::/activities/${runId}`, `o::/operations`], { "Last-Event-ID": lastId });
    try {
      await again.next("ready");
      await new Promise((r) => setTimeout(r, 800));
      expect(again.events.filter((e) => e.event === "answer")).toHaveLength(0);
      await post(`/activities/${runId}/progress`, { objectsProcessed: 43 });
      const [e] = await again.next("answer");
      expect(data(e).s).toBe("r");
    } finally {
      again.close();
    }
  });

  it("a subscription that cannot be given fails alone: not found, not watchable, forbidden, invalid", async () => {
    const plain = await createPlain(unique("live-plain"));
    const s = await stream(
      [
        "n::/activities/00000000-0000-4000-8000-000000000000/snapshot",
        "k::/api-keys",
        `i::/activities/${runId}/items`,
        "q::/activities?status=Nonsense",
        `p::/activities/${plain.id}`,
      ],
      {},
      readOnlyKey,
    );
    try {
      const failed = await s.next("failed", 4);
      const status = Object.fromEntries(failed.map((e) => [data(e).s, data(e).status]));
      expect(status).toEqual({ n: 404, k: 400, i: 403, q: 400 });
      for (const e of failed) expect(typeof data(e).error.message).toBe("string");
      const [ok] = await s.next("answer");
      expect(data(ok).s).toBe("p");
    } finally {
      s.close();
    }
  });

  it("refuses a malformed subscription or the same id twice (400), and asks for a key (401)", async () => {
    expect((await get("/live?s=nocolons")).status).toBe(400);
    expect((await get("/live?s=a::/operations&s=a::/activities")).status).toBe(400);
    expect((await get("/live?s=a::/operations", null)).status).toBe(401);
  });
});

describe("GET /live/poll", () => {
  it("answers at once with what differs, waits while nothing does, and answers as soon as something changes", async () => {
    const first = await get(`/live/poll?s=${encodeURIComponent(`x::/activities/${runId}`)}&wait=5`);
    expect(first.status).toBe(200);
    expect(first.body.events).toHaveLength(1);
    const { s, etag, body } = first.body.events[0];
    expect(s).toBe("x");
    expect(body).toEqual((await get(`/activities/${runId}`)).body);

    const sub = encodeURIComponent(`x:${tagValue(etag)}:/activities/${runId}`);
    let t = Date.now();
    const idle = await get(`/live/poll?s=${sub}&wait=1`);
    expect(idle.body.events).toEqual([]);
    expect(Date.now() - t).toBeGreaterThanOrEqual(900);

    t = Date.now();
    const waiting = get(`/live/poll?s=${sub}&wait=20`);
    await new Promise((r) => setTimeout(r, 300));
    await post(`/activities/${runId}/progress`, { objectsProcessed: 44 });
    const changed = await waiting;
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(changed.body.events[0].body.progress.objectsProcessed).toBe(44);
  });
});
