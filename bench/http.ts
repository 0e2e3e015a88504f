/** Requests to the server under test, with the admin key; any unexpected status is recorded as an error. */
export class UnexpectedResponseError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    body: string,
  ) {
    super(`${url} answered ${status}: ${body.slice(0, 300)}`);
  }
}

export class ApiClient {
  constructor(
    readonly base: string,
    readonly apiKey: string,
  ) {}

  /**
   * `retrySocketErrors`: a request that is safe to repeat (any GET, a batch of execution items)
   * is sent once more when the connection breaks under it, as a real client does: a kept-alive
   * socket that the server closes just as a request goes out is a normal HTTP/1.1 race.
   */
  async request(
    path: string,
    init: RequestInit = {},
    expect: number[] = [200],
    retrySocketErrors = (init.method ?? "GET") === "GET",
  ): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("X-Api-Key", this.apiKey);
    const send = () => fetch(this.base + path, { ...init, headers });
    const res = await send()
      .catch((e: Error) => {
        if (retrySocketErrors && isSocketError(e)) return send();
        throw e;
      })
      .catch((e: Error) => {
        throw new Error(
          `${init.method ?? "GET"} ${path}: ${e.message} (${String((e.cause as Error | undefined)?.message ?? e.cause)})`,
        );
      });
    if (!expect.includes(res.status))
      throw new UnexpectedResponseError(path, res.status, await res.text().catch(() => ""));
    return res;
  }

  /** GET and read the whole body (so timing includes the transfer). */
  async get(path: string): Promise<string> {
    return (await this.request(path)).text();
  }

  async getJson<T>(path: string): Promise<T> {
    return JSON.parse(await this.get(path)) as T;
  }

  async postJson<T>(path: string, body: unknown): Promise<T> {
    return this.postSerialized<T>(path, JSON.stringify(body));
  }

  /** POST a body that is already JSON text (so serialising it is not timed). */
  async postSerialized<T>(path: string, json: string, idempotent = false): Promise<T> {
    const res = await this.request(
      path,
      { method: "POST", body: json, headers: { "Content-Type": "application/json" } },
      [200, 201, 202],
      idempotent,
    );
    return (await res.json()) as T;
  }
}

function isSocketError(e: Error): boolean {
  const code = (e.cause as { code?: string } | undefined)?.code;
  return code === "UND_ERR_SOCKET" || code === "ECONNRESET" || code === "EPIPE";
}
