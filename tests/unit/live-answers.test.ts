/**
 * One computation per change (lib/live/answers.ts) over a real embedded store and its change
 * signal: an answer is read once per version whatever the number of requests and watchers, every
 * watcher gets the same bytes, and an unchanged answer is served without reading.
 */
import { removeStore } from "./support/embedded-store";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InitiatedBy } from "@/lib/domain/activity";
import { answerOf, answerStats, nextAnswer, normaliseQuery, subscribe, type Versioned } from "@/lib/live/answers";
import { ANY_ACTIVITY, changeSignalHealthy, startChangeSignal } from "@/lib/live/signal";
import { findActivity } from "@/lib/repo/activities";
import { activityRecorder as recorder } from "@/lib/services/recorder";

const SYSTEM: InitiatedBy = { type: "System", id: null, name: "test" };
let id: string;

beforeAll(async () => {
  await startChangeSignal();
  expect(changeSignalHealthy()).toBe(true);
  ({ id } = await recorder.create({ name: "watched", targetType: "DataGeneration" }, SYSTEM));
}, 120_000);
afterAll(removeStore);

/** A read of the activity that counts how often it ran. */
function countingRead(activityId: string, extra: Partial<Versioned["depends"]> = {}) {
  const calls = { n: 0 };
  const read = async (): Promise<Versioned> => {
    calls.n++;
    const row = (await findActivity(activityId))!;
    return {
      body: { id: row.id, version: row.version, message: row.message },
      depends: { activities: [row], ...extra },
    };
  };
  return { calls, read };
}

const report = (message: string) => recorder.reportProgress(id, { message });

describe("answers", () => {
  it("reads once per version: later requests get the same bytes from memory", async () => {
    const { calls, read } = countingRead(id);
    const a = await answerOf("t1", [id], read);
    const b = await answerOf("t1", [id], read);
    expect(calls.n).toBe(1);
    expect(b.etag).toBe(a.etag);
    expect(b.bytes).toBe(a.bytes);
    await report("changed once");
    const c = await answerOf("t1", [id], read);
    expect(calls.n).toBe(2);
    expect(c.etag).not.toBe(a.etag);
    expect(JSON.parse(new TextDecoder().decode(c.bytes)).message).toBe("changed once");
  });

  it("requests arriving while an answer is read wait for that read", async () => {
    const { calls, read } = countingRead(id);
    await report("burst");
    const all = await Promise.all(Array.from({ length: 50 }, () => answerOf("t2", [id], read)));
    expect(calls.n).toBe(1);
    expect(new Set(all.map((a) => a.etag)).size).toBe(1);
  });

  it("500 long polls of one activity: one read per change, every watcher gets the same new answer", async () => {
    const { calls, read } = countingRead(id);
    const first = await answerOf("t3", [id], read);
    const before = calls.n;
    const waiting = Array.from({ length: 500 }, () => nextAnswer("t3", [id], read, first.etag, 10_000));
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.n).toBe(before); // waiting reads nothing
    expect(answerStats().watchers).toBeGreaterThanOrEqual(500);
    await report("for everyone");
    const answers = await Promise.all(waiting);
    expect(calls.n - before).toBe(1);
    expect(new Set(answers.map((a) => a?.etag)).size).toBe(1);
    expect(answers[0]?.etag).not.toBe(first.etag);
    expect(answers[0]?.bytes).toBe(answers[499]?.bytes);
  });

  it("a long poll whose answer did not change answers null after its wait, reading nothing", async () => {
    const { calls, read } = countingRead(id);
    const first = await answerOf("t4", [id], read);
    const t = Date.now();
    expect(await nextAnswer("t4", [id], read, first.etag, 150)).toBeNull();
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    expect(calls.n).toBe(1);
  });

  it("a provisional answer (a total still being counted) reaches a waiting long poll when it is filled in", async () => {
    let total: number | null = null;
    let reads = 0;
    const read = async (): Promise<Versioned> => {
      reads++;
      return { body: { total }, depends: total === null ? { anyChange: true, maxAgeMs: 100 } : { anyChange: true } };
    };
    const first = await answerOf("t-provisional", [ANY_ACTIVITY], read);
    total = 30; // the count finished meanwhile; nothing in the store changed
    const next = await nextAnswer("t-provisional", [ANY_ACTIVITY], read, first.etag, 5_000);
    expect(JSON.parse(new TextDecoder().decode(next!.bytes))).toEqual({ total: 30 });
    expect(reads).toBe(2);
  });

  it("a change of another activity leaves an activity's answer alone, but moves a list's", async () => {
    const { id: other } = await recorder.create({ name: "other", targetType: "DataGeneration" }, SYSTEM);
    const mine = countingRead(id);
    const list = countingRead(id, { anyChange: true });
    await answerOf("t5", [id], mine.read);
    await answerOf("t5-list", [ANY_ACTIVITY], list.read);
    await recorder.reportProgress(other, { message: "elsewhere" });
    await answerOf("t5", [id], mine.read);
    await answerOf("t5-list", [ANY_ACTIVITY], list.read);
    expect(mine.calls.n).toBe(1);
    expect(list.calls.n).toBe(2);
  });

  it("a subscription hears each change once and stops when ended", async () => {
    const { read } = countingRead(id);
    const seen: string[] = [];
    const end = subscribe("t6", [id], read, (d) => {
      if ("answer" in d) seen.push(JSON.parse(new TextDecoder().decode(d.answer.bytes)).message);
    });
    await report("one");
    await new Promise((r) => setTimeout(r, 100));
    end();
    await report("two");
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual(["one"]);
  });

  it("normalises queries: parameter order, list order and wait do not matter", () => {
    const a = normaliseQuery({ status: ["Complete", "Cancelled"], page: 2, wait: 20 });
    const b = normaliseQuery({ page: 2, status: ["Cancelled", "Complete"] });
    expect(a).toBe(b);
    expect(normaliseQuery({ page: 3 })).not.toBe(b);
  });
});
