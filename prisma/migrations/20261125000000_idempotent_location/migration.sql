-- A replayed create answers with the first answer's Location header too.
ALTER TABLE "IdempotencyRecord" ADD COLUMN "location" TEXT;
