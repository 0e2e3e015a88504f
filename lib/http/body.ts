/** Reading request bodies within limits: a size cap (413) that leaves the connection usable, JSON only (415). */
import { MAX_BODY_BYTES } from "@/lib/api/limits";
import { BadRequestError, SyncwatchError } from "@/lib/domain/errors";

/** A body declared or found larger than the limit is read on to this size (keep-alive), then cut. */
const DRAIN_LIMIT_BYTES = 2 * MAX_BODY_BYTES;

const tooLarge = () =>
  new SyncwatchError("PAYLOAD_TOO_LARGE", `The body is larger than ${MAX_BODY_BYTES} bytes.`, {
    maxBytes: MAX_BODY_BYTES,
  });

export const isJsonType = (type: string | null) =>
  !!type && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type.trim());

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, total: number): Promise<void> {
  for (;;) {
    const next = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (next.done || !next.value) return;
    total += next.value.byteLength;
    if (total > DRAIN_LIMIT_BYTES) return void (await reader.cancel().catch(() => undefined));
  }
}

/** The body as text, at most MAX_BODY_BYTES (by Content-Length and by the bytes read). */
export async function readBody(req: Request): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const length = Number(req.headers.get("content-length") ?? NaN);
  if (length > MAX_BODY_BYTES) {
    // Read a moderately oversized body to its end so the connection stays usable for keep-alive.
    if (length <= DRAIN_LIMIT_BYTES) await drain(reader, 0);
    else await reader.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await drain(reader, total);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = Buffer.concat(chunks);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  return text;
}

/** Parses JSON text; the error names the position. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadRequestError("The body is not valid JSON.", { error: e instanceof Error ? e.message : String(e) });
  }
}
