/**
 * Phase 5: execution items/s through POST /api/v1/activities/{id}/items (batches of the route's
 * maximum, a few in flight like an engine's writer pool) against COPY into the same table. Both
 * test activities are deleted afterwards (their items go by cascade) so the seeded counts hold.
 */
import { from as copyFrom } from "pg-copy-streams";
import { MAX_ITEMS_PER_BATCH } from "@/lib/api/limits";
import { type NewExecutionItem } from "@/lib/api/items";
import { Rng } from "@/lib/engine/random";
import { buildSeedConfig } from "../seed/config";
import { copyStatement } from "../seed/csv";
import { ITEM_COLUMNS, itemCsv } from "../seed/generate";
import { generateRunItems, type GeneratedItem } from "../seed/items";
import { count, times } from "../report";
import type { PhaseContext, PostgresTarget } from "./context";

const IN_FLIGHT = 4;

function toNewItem(i: GeneratedItem): NewExecutionItem {
  return {
    sequence: i.sequence,
    id: i.id,
    externalIdValue: i.externalIdValue,
    displayName: i.displayName,
    connectedSystemObjectType: i.connectedSystemObjectType,
    objectChangeType: i.objectChangeType,
    errorType: i.errorType,
    errorMessage: i.errorMessage,
    errorDetail: i.errorDetail,
    outcomes: i.outcomes,
    attributeChanges: i.attributeChanges,
    connectedSystemObjectId: i.connectedSystemObjectId,
    metaverseObjectId: i.metaverseObjectId,
    processedAt: new Date(i.processedAt).toISOString(),
  };
}

export interface IngestResult {
  items: number;
  apiItemsPerSecond: number;
  copyItemsPerSecond: number;
  ratio: number;
}

export async function ingestPhase(ctx: PhaseContext, pg: PostgresTarget): Promise<IngestResult> {
  const config = buildSeedConfig();
  const rp = config.runProfiles.find((r) => r.system.def.key === "ad" && r.runType === "FullSynchronisation")!;
  const n = ctx.scale.ingestItems;
  const created: string[] = [];
  try {
    const activity = await pg.api.postJson<{ id: string }>("/api/v1/activities", {
      name: "Bench ingestion",
      targetType: "ConnectedSystemRunProfile",
      connectedSystemId: rp.system.id,
      runProfileId: rp.id,
      objectsToProcess: n,
    });
    created.push(activity.id);
    let idCounter = 0x7000000000;
    const { items } = generateRunItems(
      new Rng(99),
      rp.system,
      rp.runType,
      n,
      0,
      Date.now(),
      2,
      0.012,
      () => idCounter++,
    );
    const bodies: string[] = [];
    for (let i = 0; i < items.length; i += MAX_ITEMS_PER_BATCH)
      bodies.push(JSON.stringify({ items: items.slice(i, i + MAX_ITEMS_PER_BATCH).map(toNewItem) }));

    let next = 0;
    let inserted = 0;
    const apiStarted = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++];
          // idempotent: a retried batch inserts nothing twice
          const r = await pg.api.postSerialized<{ inserted: number; duplicates: number }>(
            `/api/v1/activities/${activity.id}/items`,
            body,
            true,
          );
          inserted += r.inserted;
        }
      }),
    );
    const apiSeconds = (performance.now() - apiStarted) / 1000;
    // A batch retried after a broken connection may report its items as duplicates: count what is stored.
    if (inserted !== n) {
      const [{ stored }] = (await pg.sql(
        `SELECT count(*)::int AS stored FROM "ExecutionItem" WHERE "activityId" = $1::uuid`,
        [activity.id],
      )) as { stored: number }[];
      if (stored !== n) throw new Error(`ingestion stored ${stored} of ${n} items`);
    }

    // The same items into a second activity by COPY, with every index in place.
    const [copyActivity] = (await pg.sql(
      `INSERT INTO "Activity" (id, name, "targetType", "connectedSystemId", "connectedSystemName", "runProfileId", "runProfileName", "runType", "initiatorType", "initiatorName", "startedAt")
       SELECT gen_random_uuid(), 'Bench COPY ingestion', "targetType", "connectedSystemId", "connectedSystemName", "runProfileId", "runProfileName", "runType", "initiatorType", "initiatorName", now()
       FROM "Activity" WHERE id = $1::uuid RETURNING id`,
      [activity.id],
    )) as { id: string }[];
    created.push(copyActivity.id);
    let copyCounter = 0x7100000000;
    const copyItems = generateRunItems(
      new Rng(99),
      rp.system,
      rp.runType,
      n,
      0,
      Date.now(),
      2,
      0.012,
      () => copyCounter++,
    ).items;
    const csv = copyItems.map((i) => itemCsv(copyActivity.id, rp.system.id, i));
    const client = await pg.pool.connect();
    const copyStarted = performance.now();
    try {
      await new Promise<void>((resolve, reject) => {
        const stream = client.query(copyFrom(copyStatement("ExecutionItem", ITEM_COLUMNS, "STDIN")));
        stream.on("finish", resolve);
        stream.on("error", reject);
        for (let i = 0; i < csv.length; i += 5000) stream.write(csv.slice(i, i + 5000).join(""));
        stream.end();
      });
    } finally {
      client.release();
    }
    const copySeconds = (performance.now() - copyStarted) / 1000;

    const result = {
      items: n,
      apiItemsPerSecond: n / apiSeconds,
      copyItemsPerSecond: n / copySeconds,
      ratio: copySeconds / apiSeconds,
    };
    ctx.report.check(
      "ingest",
      `API, batches of ${MAX_ITEMS_PER_BATCH}, ${IN_FLIGHT} in flight`,
      `${count(result.apiItemsPerSecond)} items/s (${count(n)} items)`,
      "≥ 20,000 items/s",
      result.apiItemsPerSecond >= 20_000,
    );
    ctx.report.check(
      "ingest",
      "API ÷ raw COPY",
      `${times(result.ratio)} (COPY ${count(result.copyItemsPerSecond)} items/s)`,
      "≥ 0.5×",
      result.ratio >= 0.5,
    );
    ctx.log(
      `  API ${Math.round(result.apiItemsPerSecond)} items/s, COPY ${Math.round(result.copyItemsPerSecond)} items/s`,
    );
    return result;
  } finally {
    if (created.length) await pg.sql(`DELETE FROM "Activity" WHERE id = ANY($1::uuid[])`, [created]);
  }
}
