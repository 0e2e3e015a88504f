/** Answers to requests sent with an Idempotency-Key, per API key, kept for a day. */
import { getDatabase } from "@/lib/db/client";

export interface StoredAnswer {
  requestHash: string;
  statusCode: number;
  body: unknown;
  /** The Location header of the first answer, if it had one. */
  location: string | null;
}

export async function findAnswer(apiKeyId: string, key: string): Promise<StoredAnswer | null> {
  const db = await getDatabase();
  const [row] = await db.sql.query<StoredAnswer>(
    `SELECT "requestHash", "statusCode", body, location FROM "IdempotencyRecord" WHERE "apiKeyId" = $1::uuid AND key = $2`,
    [apiKeyId, key],
  );
  return row ?? null;
}

/** Stores the answer; false when another request with the same key stored one first. */
export async function saveAnswer(apiKeyId: string, key: string, answer: StoredAnswer): Promise<boolean> {
  const db = await getDatabase();
  const n = await db.sql.execute(
    `INSERT INTO "IdempotencyRecord" ("apiKeyId", key, "requestHash", "statusCode", body, location)
     VALUES ($1::uuid, $2, $3, $4::int, $5::jsonb, $6)
     ON CONFLICT DO NOTHING`,
    [apiKeyId, key, answer.requestHash, answer.statusCode, JSON.stringify(answer.body), answer.location],
  );
  return n === 1;
}

export async function deleteAnswersBefore(before: Date): Promise<number> {
  const db = await getDatabase();
  return db.sql.execute(`DELETE FROM "IdempotencyRecord" WHERE "createdAt" < $1::timestamptz`, [before.toISOString()]);
}
