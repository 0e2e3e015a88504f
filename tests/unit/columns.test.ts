/**
 * The column lists the hand-written inserts are built from come from the Prisma model; the
 * migrations must create exactly those columns, and the bench's COPY lists must name only them.
 */
import { removeStore } from "./support/embedded-store";

import { afterAll, describe, expect, it } from "vitest";
import { getDatabase } from "@/lib/db/client";
import { ACTIVITY_COLUMNS, givenColumns, ITEM_COLUMNS } from "@/lib/repo/columns";
import { ACTIVITY_COLUMNS as SEED_ACTIVITY, ITEM_COLUMNS as SEED_ITEM } from "@/bench/seed/generate";

afterAll(async () => {
  await removeStore();
});

async function tableColumns(table: string): Promise<string[]> {
  const db = await getDatabase();
  const rows = await db.sql.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1
     ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.name);
}

describe("column lists", () => {
  it("the model's columns are the migrated tables' columns", async () => {
    expect([...ACTIVITY_COLUMNS].sort()).toEqual((await tableColumns("Activity")).sort());
    expect([...ITEM_COLUMNS].sort()).toEqual((await tableColumns("ExecutionItem")).sort());
  }, 300_000); // opening and migrating the embedded store

  it("the bench's COPY lists name only model columns", () => {
    expect(SEED_ACTIVITY.filter((c) => !ACTIVITY_COLUMNS.includes(c))).toEqual([]);
    expect(SEED_ITEM.filter((c) => !ITEM_COLUMNS.includes(c))).toEqual([]);
  });

  it("an insert names the columns a row gives, in the model's order, and nothing else", () => {
    expect(givenColumns(ACTIVITY_COLUMNS, { name: "n", id: "x", notAColumn: 1, message: undefined })).toEqual([
      '"id"',
      '"name"',
    ]);
  });
});
