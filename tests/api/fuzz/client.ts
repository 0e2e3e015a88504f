/**
 * Sends generated requests (raw: paths and queries are not normalised or re-encoded), checks
 * every answer (the served document via contract.ts, status < 500, the JSON error format, Allow
 * on 405, 10 s), learns real ids from the answers, and counts what came back.
 */
import http from "node:http";
import net from "node:net";
import { checkAnswer } from "../contract";
import { KEY_ONLY, type FuzzRequest } from "./arbitraries";
import type { ApiDoc, Json, Operation } from "./doc";
import { Pools, Ref, resolve, show, toJson } from "./values";

/** The fuzzer's own client address: failed sign-ins are counted per client (X-Forwarded-For). */
export const FUZZ_CLIENT = "198.51.100.77";
export const SLOW_MS = 10_000;
const ABORT_MS = 15_000;

export interface Answer {
  status: number;
  headers: Headers;
  contentType: string | null;
  text: string;
  body: unknown;
  ms: number;
}

export interface Sent {
  method: string;
  /** Below /api/v1, with the query. */
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface Violation {
  kind: string;
  where: string;
  count: number;
  example: string;
}

const ERROR_KEYS = new Set(["code", "message", "details", "requestId"]);

/** Reads an event stream up to its first event (`ready`), then lets it go. */
async function firstEvent(res: Response): Promise<string> {
  const reader = res.body!.getReader();
  let text = "";
  while (!text.includes("\n\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  await reader.cancel();
  return text;
}

export class Fuzzer {
  readonly statusCounts = new Map<string, number>();
  requests = 0;
  /** Requests sent again because a reused keep-alive connection had just been closed. */
  retried = 0;
  /** Generated requests: valid ones, ones with a fault the document certainly refuses, other faults. */
  readonly generated = { valid: 0, refused: 0, otherFault: 0 };
  readonly violations = new Map<string, Violation>();
  /** Ids of what the fuzzer created (activities it must not leave running). */
  readonly createdActivities = new Set<string>();
  readonly createdKeys = new Set<string>();
  readonly createdViews = new Set<string>();
  private readonly codeStatus = new Map<string, number>();

  constructor(
    readonly baseUrl: string,
    readonly doc: ApiDoc,
    readonly pools: Pools,
    readonly keys: { admin: string; readOnly: string },
  ) {
    // The documented status of each error code, from the operations' responses ("BAD_REQUEST: …").
    for (const op of doc.operations)
      for (const [status, r] of Object.entries(op.responses)) {
        const code = /^([A-Z_]+):/.exec(String(r.description ?? ""))?.[1];
        if (code && Number(status) >= 400) this.codeStatus.set(code, Number(status));
      }
  }

  /** The request as it goes on the wire (references resolved). */
  materialise(req: FuzzRequest): Sent {
    const segs = req.segments.map((s) => (s instanceof Ref ? encodeURIComponent(this.pools.get(s)) : s));
    const query = req.query
      .map(([k, v]) => {
        const value = v instanceof Ref ? encodeURIComponent(this.pools.get(v)) : v;
        return value === KEY_ONLY ? k : `${k}=${value}`;
      })
      .join("&");
    const headers: Record<string, string> = { ...req.headers, "X-Forwarded-For": FUZZ_CLIENT };
    if (req.auth === "admin") headers["X-Api-Key"] = this.keys.admin;
    if (req.auth === "readOnly") headers["X-Api-Key"] = this.keys.readOnly;
    let body: Uint8Array | undefined;
    if (req.body && "json" in req.body) body = new TextEncoder().encode(toJson(resolve(req.body.json, this.pools)));
    else if (req.body && typeof req.body.raw === "string") body = new TextEncoder().encode(req.body.raw);
    else if (req.body) body = req.body.raw as Uint8Array;
    return { method: req.method, path: `/${segs.join("/")}${query ? `?${query}` : ""}`, headers, body };
  }

  /**
   * Sends through fetch as it is (no normalisation of the path beyond the URL parser's). A
   * keep-alive connection the server closed just as it was reused is retried once on a new one
   * (counted in the summary); any other failure to answer is the server's.
   */
  async fetch(sent: Sent, retry = true): Promise<Answer | Error> {
    const started = performance.now();
    try {
      const res = await fetch(`${this.baseUrl}/api/v1${sent.path}`, {
        method: sent.method,
        headers: sent.headers,
        body: sent.body as BodyInit | undefined,
        redirect: "manual",
        signal: AbortSignal.timeout(ABORT_MS),
      });
      // An event stream stays open while it watches: what it says first is its answer.
      const text = (res.headers.get("content-type") ?? "").startsWith("text/event-stream")
        ? await firstEvent(res)
        : await res.text();
      return answerOf(res.status, res.headers, text, performance.now() - started);
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      if (retry && ["UND_ERR_SOCKET", "ECONNRESET", "EPIPE"].includes(cause?.code ?? "")) {
        this.retried++;
        return this.fetch(sent, false);
      }
      const why = cause ? ` (${cause.code ?? ""} ${cause.message ?? ""})` : "";
      return new Error(`${e instanceof Error ? e.message : String(e)}${why}`);
    }
  }

  /**
   * Sends through node:http (methods fetch refuses: TRACE, TRACK), on a connection of its own
   * unless an agent is given.
   */
  async nodeHttp(sent: Sent, agent: http.Agent | false = false): Promise<Answer | Error> {
    const started = performance.now();
    const url = new URL(this.baseUrl);
    return new Promise((done) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: sent.method,
          path: `/api/v1${sent.path}`,
          // Node's client frames no body of a TRACE by itself: say its length.
          headers: sent.body ? { ...sent.headers, "Content-Length": String(sent.body.byteLength) } : sent.headers,
          agent,
          timeout: ABORT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") headers.set(k, v);
            const text = Buffer.concat(chunks).toString("utf8");
            done(answerOf(res.statusCode ?? 0, headers, text, performance.now() - started));
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (e) => done(e));
      req.end(sent.body);
    });
  }

  /** Writes raw bytes on a socket (methods Node's client will not send) and parses the answer. */
  async socket(raw: string): Promise<Answer | Error> {
    const started = performance.now();
    const url = new URL(this.baseUrl);
    return new Promise((done) => {
      const chunks: Buffer[] = [];
      const s = net.connect(Number(url.port), url.hostname, () => s.write(raw));
      s.setTimeout(ABORT_MS, () => s.destroy(new Error("timeout")));
      s.on("data", (c: Buffer) => chunks.push(c));
      s.on("error", (e) => done(e));
      s.on("close", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const [head, ...rest] = text.split("\r\n\r\n");
        const lines = head.split("\r\n");
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1] ?? 0);
        if (!status) return done(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
        const headers = new Headers();
        for (const line of lines.slice(1)) {
          const i = line.indexOf(":");
          if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
        }
        done(answerOf(status, headers, rest.join("\r\n\r\n"), performance.now() - started));
      });
    });
  }

  /** Sends a generated request and checks the answer; returns it for further assertions. */
  async run(req: FuzzRequest): Promise<Answer | null> {
    if (req.certain) this.generated.refused++;
    else if (req.note === "valid") this.generated.valid++;
    else this.generated.otherFault++;
    const sent = this.materialise(req);
    const answer = await this.fetch(sent);
    await this.verify(sent, answer, { op: req.op, certain: req.certain, note: req.note });
    if (answer instanceof Error) return null;
    this.learn(req.op, answer);
    return answer;
  }

  /**
   * Checks one answer; every problem is recorded as a violation (grouped by kind, operation and
   * status, with the first request that showed it). Returns the problems.
   */
  async verify(
    sent: Sent,
    answer: Answer | Error,
    ctx: {
      op?: Operation;
      certain?: boolean;
      note?: string;
      /** Groups the problems (default: the operation, or the method and path). */
      where?: string;
      expect?: (a: Answer) => string | null;
    },
  ): Promise<string[]> {
    this.requests++;
    const where =
      ctx.where ?? (ctx.op ? `${ctx.op.method} ${ctx.op.template}` : `${sent.method} ${sent.path.split("?")[0]}`);
    if (answer instanceof Error) {
      this.count("none");
      this.record("no answer", where, "none", sent, ctx.note, answer.message);
      return [answer.message];
    }
    this.count(String(answer.status));
    const problems: [string, string][] = [];
    const { status, headers, contentType, body } = answer;
    if (answer.ms > SLOW_MS) problems.push(["slow", `answered after ${Math.round(answer.ms)} ms`]);
    if (status >= 500) problems.push(["status >= 500", `status ${status}`]);
    const head = sent.method === "HEAD";
    if (status >= 400 && !head) {
      const problem = this.errorBodyProblem(status, contentType, body);
      if (problem) problems.push(["error format", problem]);
    }
    if (status === 405) {
      const allow = headers.get("allow");
      if (!allow) problems.push(["405 without Allow", "no Allow header"]);
      else if (
        allow
          .split(",")
          .map((m) => m.trim())
          .includes(sent.method)
      )
        problems.push(["405 without Allow", `Allow (${allow}) lists the refused method`]);
    }
    if (ctx.certain && status < 400)
      problems.push(["accepted a refused request", `status ${status} for a request the document refuses`]);
    const pathOnly = sent.path.split("?")[0];
    const op = this.doc.operationAt(sent.method === "HEAD" ? "GET" : sent.method, pathOnly);
    if (sent.method === "OPTIONS") {
      // Next answers OPTIONS itself (204 with Allow); the document does not describe OPTIONS.
      if (status === 204) {
        const allow = (headers.get("allow") ?? "").split(",").map((m) => m.trim());
        const documented = this.doc.operationsAt(pathOnly);
        const missing = documented.map((o) => o.method).filter((m) => !allow.includes(m));
        if (!headers.get("allow") || missing.length)
          problems.push(["OPTIONS Allow", `Allow "${headers.get("allow")}" lacks ${missing.join(", ")}`]);
      } else if (![400, 404].includes(status)) problems.push(["OPTIONS", `status ${status}`]);
    } else if (head && !op) {
      if (![400, 404, 405].includes(status)) problems.push(["HEAD", `status ${status} on a path without GET`]);
      if (!(contentType ?? "").includes("json")) problems.push(["error format", "HEAD error answer is not JSON"]);
    } else if (!op && status === 400) {
      // A path that does not decode, or a request the HTTP parser refuses, is a 400 before any
      // routing (contract.ts knows only 404 and 405 for paths and methods without an operation).
      if (!/malformed %-encoding|control characters|could not be parsed/.test(String((body as Json)?.message)))
        problems.push(["contract", `400 for ${sent.method} ${pathOnly}, which has no operation`]);
    } else {
      try {
        await checkAnswer(this.baseUrl, sent.method, sent.path, status, contentType, body);
      } catch (e) {
        problems.push(["contract", e instanceof Error ? e.message : String(e)]);
      }
      if (op && status < 300) {
        const documented = op.responses[String(status)]?.headers as Json | undefined;
        for (const name of ["ETag", "Location"])
          if (documented?.[name] && !headers.get(name) && !(name === "ETag" && head))
            problems.push(["missing header", `${name} is documented for ${status} but absent`]);
      }
    }
    if (ctx.expect) {
      const p = ctx.expect(answer);
      if (p) problems.push(["expectation", p]);
    }
    for (const [kind, detail] of problems) this.record(kind, where, String(status), sent, ctx.note, detail, answer);
    return problems.map(([k, d]) => `${k}: ${d}`);
  }

  private errorBodyProblem(status: number, contentType: string | null, body: unknown): string | null {
    if (!(contentType ?? "").includes("application/json")) return `content type ${contentType}`;
    if (!body || typeof body !== "object" || Array.isArray(body)) return "body is not a JSON object";
    const b = body as Record<string, unknown>;
    const extra = Object.keys(b).filter((k) => !ERROR_KEYS.has(k));
    if (extra.length) return `unexpected keys ${extra.join(", ")}`;
    if (typeof b.code !== "string" || !this.doc.errorCodes.includes(b.code)) return `code ${JSON.stringify(b.code)}`;
    if (typeof b.message !== "string" || !b.message) return "no message";
    if (b.requestId !== undefined && typeof b.requestId !== "string") return "requestId is not a string";
    const documented = this.codeStatus.get(b.code);
    if (documented !== undefined && documented !== status)
      return `code ${b.code} (${documented}) with status ${status}`;
    return null;
  }

  private count(key: string): void {
    this.statusCounts.set(key, (this.statusCounts.get(key) ?? 0) + 1);
  }

  private record(
    kind: string,
    where: string,
    status: string,
    sent: Sent,
    note: string | undefined,
    detail: string,
    answer?: Answer,
  ): void {
    const key = `${kind}|${where}|${status}`;
    const known = this.violations.get(key);
    if (known) {
      known.count++;
      return;
    }
    const body = sent.body ? show(new TextDecoder().decode(sent.body), 300) : "";
    const headers = Object.entries(sent.headers)
      .filter(([k]) => k !== "X-Api-Key" && k !== "X-Forwarded-For")
      .map(([k, v]) => `${k}: ${show(v, 80)}`)
      .join("; ");
    const auth = sent.headers["X-Api-Key"]
      ? sent.headers["X-Api-Key"] === this.keys.admin
        ? "admin"
        : "read-only"
      : "none";
    const example = [
      `${sent.method} /api/v1${show(sent.path, 300)}  [key: ${auth}${headers ? `; ${headers}` : ""}]`,
      body ? `  body: ${body}` : "",
      note ? `  fault: ${note}` : "",
      `  → ${answer ? `${answer.status} ${answer.contentType ?? "-"} ${show(answer.text, 300)}` : "no answer"}`,
      `  ${detail}`,
    ]
      .filter(Boolean)
      .join("\n");
    this.violations.set(key, { kind, where, count: 1, example });
  }

  /** Real ids from successful answers, and what must be cleaned up afterwards. */
  learn(op: Operation, answer: Answer): void {
    if (answer.status >= 300 || !answer.body || typeof answer.body !== "object") return;
    const b = answer.body as Record<string, unknown>;
    if (op.id === "createActivity" && typeof b.id === "string") {
      this.createdActivities.add(b.id);
      this.pools.add("activity", b.id);
      if (b.targetType === "ConnectedSystemRunProfile") this.pools.add("runActivity", b.id);
      else if (b.targetType === "Schedule") this.pools.add("scheduleExecution", b.id);
      else this.pools.add("plainActivity", b.id);
    }
    if ((op.id === "executeRunProfile" || op.id === "executeSchedule") && typeof b.activityId === "string") {
      this.createdActivities.add(b.activityId);
      this.pools.add("activity", b.activityId);
      this.pools.add(op.id === "executeSchedule" ? "scheduleExecution" : "runActivity", b.activityId);
    }
    if (op.id === "createSavedView" && typeof b.id === "string") {
      this.createdViews.add(b.id);
      this.pools.add("savedView", b.id);
    }
    if (op.id === "createApiKey" && typeof b.id === "string") {
      this.createdKeys.add(b.id);
      this.pools.add("revocableKey", b.id);
    }
  }

  summary(title: string): string {
    const byClass = new Map<string, number>();
    for (const [status, n] of this.statusCounts) {
      const cls = status === "none" ? "none" : `${status[0]}xx`;
      byClass.set(cls, (byClass.get(cls) ?? 0) + n);
    }
    const classes = [...byClass].sort().map(([k, v]) => `${k}: ${v}`);
    const statuses = [...this.statusCounts].sort().map(([k, v]) => `${k}: ${v}`);
    const g = this.generated;
    return (
      `${title}: ${this.requests} requests (generated: ${g.valid} valid, ${g.refused} certainly refused, ` +
      `${g.otherFault} with other faults); by class ${classes.join(", ")}; by status ${statuses.join(", ")}; ` +
      `${this.retried} sent again after a closed keep-alive connection`
    );
  }

  /** The violations recorded for one place (or all), printable. */
  report(filter?: (v: Violation) => boolean): string[] {
    return [...this.violations.values()]
      .filter((v) => !filter || filter(v))
      .map((v) => `[${v.kind}] ${v.where} (${v.count}×)\n${v.example}`);
  }
}

function answerOf(status: number, headers: Headers, text: string, ms: number): Answer {
  const contentType = headers.get("content-type");
  let body: unknown = undefined;
  if ((contentType ?? "").includes("json") && text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  return { status, headers, contentType, text, body, ms };
}
