/**
 * Requests sent with an Idempotency-Key: the first one runs and its answer is kept for a day;
 * the same request again gets that answer (replayed), another request with the key gets 409.
 *
 * Concurrent requests with one key: the first activity a request creates claims the key in the
 * same statement (lib/repo/idempotency.ts), so exactly one of them creates; the others find the
 * key taken, create nothing, and wait for the winner's answer, which they replay (same request)
 * or refuse with 409 (another request). Never another request's answer under a different body.
 */
import { ConflictError } from "@/lib/domain/errors";
import {
  completeClaim,
  findAnswer,
  releaseClaim,
  saveAnswer,
  withClaim,
  type IdempotencyClaim,
  type StoredAnswer,
} from "@/lib/repo/idempotency";

export type { StoredAnswer };

export interface IdempotentRequest {
  apiKeyId: string;
  key: string;
  /** Hash of method, path and body: what makes two requests "the same". */
  requestHash: string;
}

/** How long a request waits for the answer of the request that holds its key. */
const ANSWER_WAIT_MS = 15_000;
const POLL_MS = 25;
const MAX_ROUNDS = 5;

const isKeyTaken = (e: unknown) => e instanceof Error && e.name === "KeyTakenError";

const differentRequest = (key: string) =>
  new ConflictError("This Idempotency-Key was used for a different request.", { idempotencyKey: key });

/** The stored answer for the key once it has one (waiting while its request runs), or null when there is none. */
async function answerOf(ask: IdempotentRequest): Promise<StoredAnswer | null> {
  const deadline = Date.now() + ANSWER_WAIT_MS;
  for (;;) {
    const stored = await findAnswer(ask.apiKeyId, ask.key);
    if (!stored) return null;
    if (stored.requestHash !== ask.requestHash) throw differentRequest(ask.key);
    if (stored.statusCode !== null) return stored;
    if (Date.now() >= deadline)
      throw new ConflictError(
        "A request with this Idempotency-Key is still being processed; send it again later to get its answer.",
        { idempotencyKey: ask.key },
      );
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** What is kept of a successful answer. */
export type RecordedAnswer = Pick<StoredAnswer, "statusCode" | "body" | "location">;

/**
 * Replays the stored answer of an earlier request with the same key, or runs `run` and keeps its
 * answer when `record` says it succeeded (null: a failure, which keeps nothing and frees the key).
 */
export async function idempotently<A>(
  ask: IdempotentRequest,
  run: () => Promise<A>,
  record: (answer: A) => Promise<RecordedAnswer | null>,
  replay: (stored: StoredAnswer) => A,
): Promise<A> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const stored = await answerOf(ask);
    if (stored) return replay(stored);
    const claim: IdempotencyClaim = { ...ask, claimed: false, closed: false };
    let answer: A;
    try {
      answer = await withClaim(claim, run);
    } catch (error) {
      if (isKeyTaken(error)) continue; // another request created first: wait for its answer
      if (claim.claimed) await releaseClaim(ask.apiKeyId, ask.key, ask.requestHash);
      throw error;
    }
    const kept = await record(answer);
    if (!kept) {
      if (claim.claimed) await releaseClaim(ask.apiKeyId, ask.key, ask.requestHash);
      return answer;
    }
    if (claim.claimed) {
      await completeClaim(ask.apiKeyId, ask.key, { requestHash: ask.requestHash, ...kept });
      return answer;
    }
    // Nothing was created under the key (e.g. a trigger that found its run already queued): the
    // answer is recorded unless another request answered or claimed first, whose answer wins.
    if (await saveAnswer(ask.apiKeyId, ask.key, { requestHash: ask.requestHash, ...kept })) return answer;
  }
  throw new ConflictError("This Idempotency-Key is being used by other requests at the same time; send it again.", {
    idempotencyKey: ask.key,
  });
}
