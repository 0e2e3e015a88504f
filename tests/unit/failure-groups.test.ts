/**
 * The Failures page's pre-aggregated groups (FailureGroup, kept by triggers on ObjectFailure) on
 * both stores, the embedded PGlite one and a PostgreSQL server: after random failures (ingestion's
 * upsert), recoveries, renames, retention's purges and deletes, the counts equal a GROUP BY of the
 * failures, and groupFailures read from them answers exactly as the live GROUP BY for random filters.
 */
import "./support/embedded-store";
import { randomUUID } from "node:crypto";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/client";
import { groupFailuresOn, type FailureFilter } from "@/lib/repo/failures";
import { freshDatabase } from "../faults/server";
import { removeStore, tempRoot } from "./support/embedded-store";

const ERROR_TYPES = ["UnhandledError", "AmbiguousMatch", "CouldNotMatchObjectType"] as const;
const OBJECT_TYPES = ["user", "group", null] as const;
/** Two names for system 1: a renamed system's older failures keep the name they were recorded with. */
const SYSTEMS = [
  [1, "AD"],
  [1, "AD (renamed)"],
  [2, "HR"],
  [3, "LDAP"],
] as const;
const T0 = Date.parse("2026-11-01T00:00:00Z");
const HOUR = 3_600_000;
const at = (hour: number) => new Date(T0 + hour * HOUR).toISOString();

type Op =
  | { kind: "fail"; system: number; objects: number[]; errorType: number; objectType: number }
  | { kind: "recover"; system: number; objects: number[] }
  | { kind: "rename"; system: number; objects: number[] }
  | { kind: "purge"; beforeHour: number }
  | { kind: "delete"; objects: number[] };

const objects = fc.uniqueArray(fc.integer({ min: 0, max: 39 }), { minLength: 1, maxLength: 12 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("fail" as const),
      system: fc.integer({ min: 0, max: 3 }),
      objects,
      errorType: fc.integer({ min: 0, max: 2 }),
      objectType: fc.integer({ min: 0, max: 2 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("recover" as const), system: fc.integer({ min: 0, max: 3 }), objects }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("rename" as const), system: fc.integer({ min: 0, max: 3 }), objects }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("purge" as const), beforeHour: fc.integer({ min: 0, max: 60 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), objects }) },
);

const hourIn = fc.integer({ min: -2, max: 42 });
/** A range within the hours played, mostly; either end may be left out. */
const range = fc.tuple(hourIn, hourIn, fc.constantFrom("both", "both", "from", "to", "none")).map(([a, b, ends]) => ({
  ...(ends === "both" || ends === "from" ? { from: at(Math.min(a, b)) } : {}),
  ...(ends === "both" || ends === "to" ? { to: at(Math.max(a, b)) } : {}),
}));
const filter: fc.Arbitrary<{ f: FailureFilter; newSinceHour: number; limit: number; offset: number }> = fc.record({
  f: fc
    .tuple(
      fc.record(
        {
          state: fc.subarray(["Open", "Recovered"] as ("Open" | "Recovered")[]),
          errorType: fc.subarray([...ERROR_TYPES]),
          connectedSystemId: fc.subarray([1, 2, 3, 4]),
          objectType: fc.subarray(["user", "group", "contact"]),
        },
        { requiredKeys: [] },
      ),
      range,
    )
    .map(([keys, r]) => ({ ...keys, ...r })),
  newSinceHour: hourIn,
  limit: fc.integer({ min: 1, max: 30 }),
  offset: fc.constantFrom(0, 0, 0, 1, 3, 20),
});

/** Applies the operations at one hour each; the SQL has the shape of the repository's writes. */
async function play(db: Database, ops: Op[]): Promise<void> {
  const run = randomUUID();
  for (const [hour, o] of ops.entries()) {
    const now = at(hour);
    if (o.kind === "fail") {
      const [system, name] = SYSTEMS[o.system];
      // lib/repo/activity-writes.ts trackFailures: one statement, inserts and updates together.
      await db.sql.execute(
        `INSERT INTO "ObjectFailure" (id, "connectedSystemId", "connectedSystemName", "objectKey", "objectType", state,
           "firstSeenAt", "lastSeenAt", "lastActivityId", "consecutiveRuns", "totalFailures", "lastErrorType")
         SELECT gen_random_uuid(), $1::int, $2, 'obj-' || k, $3, 'Open', $4::timestamptz, $4::timestamptz, $5::uuid, 1, 1,
           $6::text::"ExecutionErrorType"
         FROM unnest($7::int[]) AS k ORDER BY k
         ON CONFLICT ("connectedSystemId", "objectKey") DO UPDATE SET
           "firstSeenAt" = CASE WHEN "ObjectFailure".state = 'Recovered' THEN EXCLUDED."firstSeenAt"
             ELSE "ObjectFailure"."firstSeenAt" END,
           state = 'Open', "lastSeenAt" = EXCLUDED."lastSeenAt", "lastErrorType" = EXCLUDED."lastErrorType",
           "objectType" = COALESCE(EXCLUDED."objectType", "ObjectFailure"."objectType"),
           "totalFailures" = "ObjectFailure"."totalFailures" + 1, "recoveredAt" = NULL`,
        [system, name, OBJECT_TYPES[o.objectType], now, run, ERROR_TYPES[o.errorType], o.objects],
      );
    } else if (o.kind === "recover") {
      // settleFailures: open failures of the system that this run did not fail again.
      await db.sql.execute(
        `UPDATE "ObjectFailure" SET state = 'Recovered', "recoveredAt" = $2::timestamptz, "consecutiveRuns" = 0
         WHERE "connectedSystemId" = $1::int AND state = 'Open' AND "objectKey" = ANY($3::text[])`,
        [SYSTEMS[o.system][0], now, o.objects.map((k) => `obj-${k}`)],
      );
    } else if (o.kind === "rename") {
      await db.sql.execute(
        `UPDATE "ObjectFailure" SET "connectedSystemName" = $2 WHERE "connectedSystemId" = $1::int
           AND "objectKey" = ANY($3::text[])`,
        [SYSTEMS[o.system][0], SYSTEMS[o.system][1], o.objects.map((k) => `obj-${k}`)],
      );
    } else if (o.kind === "purge") {
      // lib/repo/retention.ts deleteFailureHistoryBefore.
      await db.sql.execute(
        `DELETE FROM "ObjectFailure" WHERE state = 'Recovered' AND "recoveredAt" < $1::timestamptz`,
        [at(o.beforeHour)],
      );
    } else {
      await db.sql.execute(`DELETE FROM "ObjectFailure" WHERE "objectKey" = ANY($1::text[])`, [
        o.objects.map((k) => `obj-${k}`),
      ]);
    }
  }
}

const KEY = `state::text, "connectedSystemId", "objectType", "connectedSystemName"`;

for (const store of ["pglite", "postgres"] as const) {
  describe(`pre-aggregated failure groups on ${store}`, () => {
    let db: Database;
    let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;

    beforeAll(async () => {
      if (store === "pglite") {
        db = await openDatabase({ kind: "pglite", dataDir: path.join(tempRoot, "groups") });
        return;
      }
      database = await freshDatabase();
      db = await openDatabase({ kind: "postgres", url: database.url }, 4);
    }, 240_000); // PGlite applies every migration: minutes on a loaded 2-core machine

    afterAll(async () => {
      await db?.close();
      await database?.drop();
      if (store === "pglite") await removeStore();
    });

    it("the counts equal the GROUP BY of the failures, and the groups read from them equal the live ones", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(op, { minLength: 1, maxLength: 40 }),
          fc.array(filter, { minLength: 10, maxLength: 10 }),
          async (ops, filters) => {
            await db.sql.execute(`TRUNCATE "ObjectFailure" CASCADE`);
            expect(await db.sql.query(`SELECT * FROM "FailureGroup" WHERE objects <> 0`)).toEqual([]);
            await play(db, ops);
            const counted = await db.sql.query(
              `SELECT ${KEY}, "errorType"::text AS "errorType", objects FROM "FailureGroup" WHERE objects <> 0
               ORDER BY 1, 2, 3, 4, 5`,
            );
            const grouped = await db.sql.query(
              `SELECT ${KEY}, "lastErrorType"::text AS "errorType", count(*)::int AS objects FROM "ObjectFailure"
               GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
            );
            expect(counted).toEqual(grouped);
            for (const { f, newSinceHour, limit, offset } of [
              { f: {}, newSinceHour: 0, limit: 25, offset: 0 },
              {
                f: { from: at(ops.length - 7), to: at(ops.length) },
                newSinceHour: ops.length - 7,
                limit: 25,
                offset: 0,
              },
              ...filters,
            ]) {
              const page = { limit, offset };
              const live = await groupFailuresOn(db.sql, f, new Date(at(newSinceHour)), page, "live");
              const counts = await groupFailuresOn(db.sql, f, new Date(at(newSinceHour)), page, "aggregate");
              expect(counts, JSON.stringify({ f, newSinceHour, page })).toEqual(live);
              expect(await groupFailuresOn(db.sql, f, new Date(at(newSinceHour)), page)).toEqual(live);
            }
          },
        ),
        { numRuns: store === "pglite" ? 20 : 30 },
      );
    }, 300_000);
  });
}
