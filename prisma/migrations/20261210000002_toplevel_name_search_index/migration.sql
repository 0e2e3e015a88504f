-- Searching top-level activities by name at 1M activities (issue 16): with only the trigram index
-- on every row, PostgreSQL ANDed its bitmap with a bitmap of all 131,930 top-level rows, read from
-- a partial index only to check "parentActivityId" IS NULL (69 ms of a 129 ms page; 18 ms with this
-- index). Top-level rows only (13 % of them): the full index still serves searches of every level.
CREATE INDEX "Activity_toplevel_name_trgm_idx" ON "Activity" USING GIN ("name" gin_trgm_ops)
  WHERE "parentActivityId" IS NULL;
