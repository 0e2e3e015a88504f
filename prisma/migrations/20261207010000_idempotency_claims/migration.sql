-- A request with an Idempotency-Key claims its key in the statement that creates its activity:
-- the record exists, without an answer, until that request answers.
-- AlterTable
ALTER TABLE "IdempotencyRecord" ALTER COLUMN "statusCode" DROP NOT NULL,
ALTER COLUMN "body" DROP NOT NULL;
