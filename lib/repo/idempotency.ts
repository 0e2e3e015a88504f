/**
 * Answers to requests sent with an Idempotency-Key, per API key, kept for a day.
 *
 * A request claims its key in the same statement that creates its activity (insertActivity reads
 * the claim of the request it runs in): the key's row and the activity commit together or not at
 * all. A second request with the key blocks on the row's unique index until the first commits,
 * then finds the key taken and creates nothing; it waits for the first answer (lib/services/idempotency.ts).
 * The claim is a row without an answer until the request that made it stores its answer.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { getDatabase } from "@/lib/db/client";

export interface StoredAnswer {
  requestHash: string;
  /** Null while the request that claimed the key has not answered yet. */
  statusCode: number | null;
  body: unknown;
  /** The Location header of the first answer, if it had one. */
  location: string | null;
  createdAt: Date;
}

/** The key a request may claim, once, by the first activity it creates. */
export interface IdempotencyClaim {
  apiKeyId: string;
  key: string;
  requestHash: string;
  /** True once a statement of this request claimed the key (with the activity it created). */
  claimed: boolean;
  /** The request has answered: nothing it left running claims the key any more. */
  closed: boolean;
}

/** The key was claimed by another request (with the same or another body); nothing was created. */
export class KeyTakenError extends Error {
  constructor() {
    super("The Idempotency-Key was claimed by another request.");
    this.name = "KeyTakenError";
  }
}

// On globalThis: Next loads this module once per bundle, and the recorder that inserts may come
// from another bundle (instrumentation) than the route that sets the claim.
const g = globalThis as unknown as { __syncwatchClaims?: AsyncLocalStorage<IdempotencyClaim> };
const scope = (g.__syncwatchClaims ??= new AsyncLocalStorage<IdempotencyClaim>());

/** Runs `fn` with `claim` available to the create statements it makes. */
export async function withClaim<T>(claim: IdempotencyClaim, fn: () => Promise<T>): Promise<T> {
  try {
    return await scope.run(claim, fn);
  } finally {
    // Work the request started and left running (an engine run it kicked) never claims the key.
    claim.closed = true;
  }
}

/**
 * The claim of the request this code runs in, while no statement of it has claimed the key. The
 * statement that uses it sets `claimed` once it committed the claim; a retried statement gets it again.
 */
export function pendingClaim(): IdempotencyClaim | null {
  const claim = scope.getStore();
  return claim && !claim.claimed && !claim.closed ? claim : null;
}

/**
 * Ends the claiming part of the request this code runs in: called once its own activity is made
 * (or found, for a trigger whose run was queued already), so that work it starts afterwards (the
 * dispatcher starting a run and inserting its steps) never claims the key.
 */
export function closeClaim(): void {
  const claim = scope.getStore();
  if (claim) claim.closed = true;
}

/**
 * The statement that claims the key (parameters named by the caller) when `condition` holds: one
 * row when it claimed it, none when another request holds it. PostgreSQL makes the INSERT wait
 * for a concurrent uncommitted claim of the same key, so the loser sees the winner's outcome.
 */
export const claimSql = (apiKeyId: string, key: string, hash: string, condition: string) =>
  `INSERT INTO "IdempotencyRecord" ("apiKeyId", key, "requestHash") SELECT ${apiKeyId}::uuid, ${key}, ${hash}
   WHERE ${condition}
   ON CONFLICT ("apiKeyId", key) DO NOTHING RETURNING 1`;

export async function findAnswer(apiKeyId: string, key: string): Promise<StoredAnswer | null> {
  const db = await getDatabase();
  const [row] = await db.sql.query<StoredAnswer>(
    `SELECT "requestHash", "statusCode", body, location, "createdAt" FROM "IdempotencyRecord"
     WHERE "apiKeyId" = $1::uuid AND key = $2`,
    [apiKeyId, key],
  );
  return row ? { ...row, createdAt: new Date(row.createdAt) } : null;
}

type Answer = Pick<StoredAnswer, "requestHash" | "statusCode" | "body" | "location">;

/** An answer to store under the key, as statement parameters $1 to $6. */
const answerParams = (apiKeyId: string, key: string, answer: Answer) => [
  apiKeyId,
  key,
  answer.requestHash,
  answer.statusCode,
  JSON.stringify(answer.body),
  answer.location,
];

/** Completes this request's claim with its answer. */
export async function completeClaim(apiKeyId: string, key: string, answer: Answer): Promise<void> {
  const db = await getDatabase();
  await db.sql.execute(
    `UPDATE "IdempotencyRecord" SET "statusCode" = $4::int, body = $5::jsonb, location = $6
     WHERE "apiKeyId" = $1::uuid AND key = $2 AND "requestHash" = $3 AND "statusCode" IS NULL`,
    answerParams(apiKeyId, key, answer),
  );
}

/** Records the answer of a request that created nothing; false when the key was claimed or answered first. */
export async function saveAnswer(apiKeyId: string, key: string, answer: Answer): Promise<boolean> {
  const db = await getDatabase();
  const n = await db.sql.execute(
    `INSERT INTO "IdempotencyRecord" ("apiKeyId", key, "requestHash", "statusCode", body, location)
     VALUES ($1::uuid, $2, $3, $4::int, $5::jsonb, $6)
     ON CONFLICT ("apiKeyId", key) DO NOTHING`,
    answerParams(apiKeyId, key, answer),
  );
  return n === 1;
}

/** Drops the claim of a request that failed after claiming, so that a retry may run. */
export async function releaseClaim(apiKeyId: string, key: string, requestHash: string): Promise<void> {
  const db = await getDatabase();
  await db.sql.execute(
    `DELETE FROM "IdempotencyRecord" WHERE "apiKeyId" = $1::uuid AND key = $2 AND "requestHash" = $3
       AND "statusCode" IS NULL`,
    [apiKeyId, key, requestHash],
  );
}

export async function deleteAnswersBefore(before: Date): Promise<number> {
  const db = await getDatabase();
  return db.sql.execute(`DELETE FROM "IdempotencyRecord" WHERE "createdAt" < $1::timestamptz`, [before.toISOString()]);
}
