/**
 * CSV downloads (lib/services/csv-export.ts): RFC 4180 fields with spreadsheet formulas
 * neutralised, and a stream that reads its first batch before it starts and is cut off (never
 * closed normally) when a later batch fails.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { csvField, csvRow, csvStream } from "@/lib/services/csv-export";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("csvField", () => {
  it("quotes commas, quotes and line breaks; doubles quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("Zoë 😀")).toBe("Zoë 😀");
  });

  it("writes nothing for null and undefined, numbers as text, dates as ISO 8601", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField(12)).toBe("12");
    expect(csvField(0)).toBe("0");
    expect(csvField(false)).toBe("false");
    expect(csvField(new Date("2026-01-02T03:04:05.000Z"))).toBe("2026-01-02T03:04:05.000Z");
  });

  it("neutralises cells a spreadsheet would run as formulas", () => {
    expect(csvField("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("@x")).toBe("'@x");
    expect(csvField("\tcmd")).toBe("'\tcmd");
    expect(csvField("-2,3")).toBe(`"'-2,3"`);
    expect(csvField("\r=1")).toBe(`"'\r=1"`);
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField(";=1+1")).toBe("';'=1+1");
    // a spreadsheet whose separator is ";" starts a cell after each one
    expect(csvField("Smith;=HYPERLINK(1)")).toBe("Smith;'=HYPERLINK(1)");
    expect(csvField("a;+1;@x;-2")).toBe("a;'+1;'@x;'-2");
    expect(csvField("a;b")).toBe("a;b");
    // the fullwidth and small forms of =, +, - and @ start formulas too (East Asian locales)
    expect(csvField("＝SUM(A1)")).toBe("'＝SUM(A1)");
    expect(csvField("﹦1+1")).toBe("'﹦1+1");
    expect(csvField("＋1")).toBe("'＋1");
    expect(csvField("－2")).toBe("'－2");
    expect(csvField("＠x")).toBe("'＠x");
    expect(csvField("﹢1;﹣2;﹫x")).toBe("'﹢1;'﹣2;'﹫x");
    expect(csvField("a;＝1")).toBe("a;'＝1");
    expect(csvField(";")).toBe("';");
    expect(csvField(";;=1")).toBe("';;'=1");
    // elsewhere only the first character matters
    expect(csvField("a=b")).toBe("a=b");
    expect(csvField("failed; -1 rows")).toBe("failed; -1 rows");
  });

  it("csvRow joins fields with commas and ends with CRLF", () => {
    expect(csvRow(["a", null, 'b"c', 3])).toBe('a,,"b""c",3\r\n');
    expect(csvRow([])).toBe("\r\n");
  });
});

type Batch = { rows: Record<string, unknown>[]; nextCursor: string | null };

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ text: string; error: unknown }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, error: null };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

/** Whether `p` settles within `turns` turns of the event loop (no wall-clock time involved). */
async function settlesWithin(p: Promise<unknown>, turns: number): Promise<boolean> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < turns && !settled; i++) await new Promise((r) => setImmediate(r));
  return settled;
}

describe("csvStream", () => {
  it("streams the header, then every batch by cursor, then ends", async () => {
    const batches: Record<string, Batch> = {
      start: { rows: [{ a: 1, b: "x" }], nextCursor: "c1" },
      c1: { rows: [{ a: 2, b: "y,z" }, { a: 3 }], nextCursor: null },
    };
    const read = vi.fn(async (cursor: string | undefined) => batches[cursor ?? "start"]);
    const { text, error } = await readAll(await csvStream(["a", "b"], read));
    expect(error).toBeNull();
    expect(text).toBe('a,b\r\n1,x\r\n2,"y,z"\r\n3,\r\n');
    expect(read.mock.calls.map((c) => c[0])).toEqual([undefined, "c1"]);
  });

  it("an export without rows is the header alone", async () => {
    const { text, error } = await readAll(await csvStream(["a", "b"], async () => ({ rows: [], nextCursor: null })));
    expect([text, error]).toEqual(["a,b\r\n", null]);
  });

  it("ends the file when a later batch comes back empty (its rows were removed meanwhile)", async () => {
    // Retention or a state change between two pages leaves the next page empty: the download must
    // still end. Every read here resolves at once, so the whole file settles within a few turns.
    const batches: Record<string, Batch> = {
      start: { rows: [{ a: 1 }], nextCursor: "c1" },
      c1: { rows: [], nextCursor: null },
    };
    const all = readAll(await csvStream(["a"], async (cursor) => batches[cursor ?? "start"]));
    expect(await settlesWithin(all, 50), "the download never ended").toBe(true);
    expect(await all).toEqual({ text: "a\r\n1\r\n", error: null });
  });

  it("reads the first batch before the stream exists: an error then rejects the promise", async () => {
    const read = vi.fn(async () => {
      throw new Error("store down");
    });
    await expect(csvStream(["a"], read)).rejects.toThrow("store down");
    expect(read).toHaveBeenCalledTimes(1);
  });

  it("reads at most one batch ahead of the client (backpressure)", async () => {
    let n = 0;
    const read = vi.fn(async (): Promise<Batch> => ({ rows: [{ a: n++ }], nextCursor: `c${n}` }));
    const stream = await csvStream(["a"], read);
    await settlesWithin(new Promise(() => undefined), 50);
    expect(read.mock.calls.length).toBeLessThanOrEqual(2);
    await stream.cancel();
  });

  it("aborts the stream, never closing it normally, when a later batch fails", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const read = vi.fn(async (cursor: string | undefined): Promise<Batch> => {
      if (cursor === "c2") throw new Error("connection lost");
      return { rows: [{ a: cursor ?? "first" }], nextCursor: cursor ? "c2" : "c1" };
    });
    const { text, error } = await readAll(await csvStream(["a"], read));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe("connection lost");
    // what was sent before the failure arrived, and nothing pretends the file is complete
    expect(text).toBe("a\r\nfirst\r\nc1\r\n");
    expect(log).toHaveBeenCalled();
  });
});
