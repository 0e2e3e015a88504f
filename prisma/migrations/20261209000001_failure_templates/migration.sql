-- Errors that say what happened (issue 14): each failing object carries the template of its latest
-- failure's message, so the Failures groups count objects per template and a template filters the
-- object list (an equality on an indexed column, on both stores).

-- AlterTable
ALTER TABLE "ObjectFailure" ADD COLUMN "lastErrorTemplate" TEXT;

-- The template the recorder stored with the object's latest failure. Failures recorded before
-- templates existed have none and stay NULL: they are grouped as "(no template)".
UPDATE "ObjectFailure" f SET "lastErrorTemplate" = (
  SELECT e."errorTemplate" FROM "ObjectFailureEvent" e
  WHERE e."failureId" = f.id AND e.kind = 'Failed'
  ORDER BY e.at DESC, e.id DESC LIMIT 1
);

-- CreateIndex
CREATE INDEX "ObjectFailure_state_lastErrorTemplate_idx" ON "ObjectFailure"("state", "lastErrorTemplate");
