-- Where the demo history's back-fill stands (one row), so that a start after a kill in the middle
-- of it completes it instead of leaving a week with a hole: the week's end (the plan is rebuilt from
-- it and the engine's seed), how many of the plan's entries are written, the virtual clock after
-- the last one, and when it was completed. A store filled before this table existed has no row and
-- activities: it is never back-filled again.
CREATE TABLE "DemoHistory" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "days" INTEGER NOT NULL,
    "written" INTEGER NOT NULL,
    "clockAt" TIMESTAMPTZ(3) NOT NULL,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "DemoHistory_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "DemoHistory_one_row" CHECK ("id" = 1)
);
