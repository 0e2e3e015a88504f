/**
 * Webhooks of saved views and their deliveries: configuration, the queue of failed runs waiting
 * to be matched (filled by the trigger "Activity_run_failed"), matching with the activity list's
 * own where clause, and the delivery claims that let several instances share one database without
 * sending a delivery twice at once.
 */
import { getDatabase, withPrisma } from "@/lib/db/client";
import type { ActivityStatus } from "@/lib/domain/enums";
import type { SavedViewScope } from "@/lib/domain/enums";
import { activityWhere, type ActivityFilter } from "./activities";
import { queryByKeys } from "./batch";

export interface WebhookRow {
  id: string;
  savedViewId: string;
  url: string;
  secret: string;
  secretPrefix: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryState = "Pending" | "Delivered" | "Failed";

export interface DeliveryRow {
  id: string;
  webhookId: string;
  activityId: string;
  activityName: string;
  activityStatus: ActivityStatus;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}
const DELIVERY_OMIT = { body: true, lockedUntil: true } as const;

/** The webhook of a saved view of this key. */
export async function findWebhook(apiKeyId: string, savedViewId: string): Promise<WebhookRow | null> {
  return withPrisma((prisma) => prisma.viewWebhook.findFirst({ where: { savedViewId, savedView: { apiKeyId } } }));
}

/** Inserts the webhook of a view; "exists" when the view has one already. */
export async function insertWebhook(row: Omit<WebhookRow, "createdAt" | "updatedAt">): Promise<WebhookRow | "exists"> {
  const db = await getDatabase();
  const [saved] = await db.sql.query<WebhookRow>(
    `INSERT INTO "ViewWebhook" (id, "savedViewId", url, secret, "secretPrefix", enabled)
     VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6) ON CONFLICT ("savedViewId") DO NOTHING
     RETURNING id::text AS id, "savedViewId"::text AS "savedViewId", url, secret, "secretPrefix", enabled,
       "createdAt", "updatedAt"`,
    [row.id, row.savedViewId, row.url, row.secret, row.secretPrefix, row.enabled],
  );
  return saved ? { ...saved, createdAt: new Date(saved.createdAt), updatedAt: new Date(saved.updatedAt) } : "exists";
}

export async function updateWebhook(
  id: string,
  patch: Partial<Pick<WebhookRow, "url" | "enabled" | "secret" | "secretPrefix">>,
): Promise<WebhookRow> {
  return withPrisma((prisma) => prisma.viewWebhook.update({ where: { id }, data: patch }));
}

export async function deleteWebhook(id: string): Promise<void> {
  await withPrisma((prisma) => prisma.viewWebhook.deleteMany({ where: { id } }));
}

/** A page of a webhook's deliveries, newest first. */
export async function listDeliveries(
  webhookId: string,
  page: number,
  pageSize: number,
): Promise<{ rows: DeliveryRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    withPrisma((prisma) =>
      prisma.webhookDelivery.findMany({
        where: { webhookId },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        skip: (page - 1) * pageSize,
        take: pageSize,
        omit: DELIVERY_OMIT,
      }),
    ),
    withPrisma((prisma) => prisma.webhookDelivery.count({ where: { webhookId } })),
  ]);
  return { rows, total };
}

/** Makes a delivery Pending again, due now, with a fresh retry budget; null when the webhook has no such delivery. */
export async function redeliver(webhookId: string, deliveryId: string, now: Date): Promise<DeliveryRow | null> {
  const n = await withPrisma((prisma) =>
    prisma.webhookDelivery.updateMany({
      where: { id: deliveryId, webhookId },
      data: { state: "Pending", attempts: 0, nextAttemptAt: now, lockedUntil: null },
    }),
  );
  if (n.count === 0) return null;
  return withPrisma((prisma) => prisma.webhookDelivery.findUnique({ where: { id: deliveryId }, omit: DELIVERY_OMIT }));
}

// ---------- matching ----------

/** A failed run waiting to be matched. */
export interface RunFailedEvent {
  id: bigint;
  activityId: string;
  at: Date;
}

/** The oldest failed runs waiting to be matched. */
export async function findRunFailedEvents(limit: number): Promise<RunFailedEvent[]> {
  return withPrisma((prisma) =>
    prisma.runFailedEvent.findMany({
      orderBy: { id: "asc" },
      take: limit,
      select: { id: true, activityId: true, at: true },
    }),
  );
}

/** An enabled webhook as matching needs it: its view's filters, whose key must still be valid. */
export interface ActiveWebhook {
  id: string;
  createdAt: Date;
  savedViewId: string;
  viewName: string;
  viewScope: SavedViewScope;
  viewQuery: string;
}

/** Enabled webhooks on views of keys that are neither revoked nor read-only. */
export async function findActiveWebhooks(): Promise<ActiveWebhook[]> {
  const db = await getDatabase();
  return db.sql.query<ActiveWebhook>(
    `SELECT w.id::text AS id, w."createdAt", v.id::text AS "savedViewId", v.name AS "viewName",
            v.scope::text AS "viewScope", v.query AS "viewQuery"
     FROM "ViewWebhook" w JOIN "SavedView" v ON v.id = w."savedViewId" JOIN "ApiKey" k ON k.id = v."apiKeyId"
     WHERE w.enabled AND k."revokedAt" IS NULL AND k.role = 'Administrator'`,
  );
}

/** Which of `ids` the filter lists: the activity list's own where clause, narrowed to these runs. */
export async function matchActivities(filter: ActivityFilter, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await withPrisma((prisma) =>
    prisma.activity.findMany({ where: { AND: [activityWhere(filter), { id: { in: ids } }] }, select: { id: true } }),
  );
  return rows.map((r) => r.id);
}

/** Failed items per error type summed over the children of each schedule execution. */
export async function sumChildErrorTypes(parentIds: string[]): Promise<Map<string, Record<string, number>>> {
  return queryByKeys<{ parentId: string; errorType: string; n: number }, string, Record<string, number>>(
    parentIds,
    `SELECT c."parentActivityId"::text AS "parentId", e.key AS "errorType", sum(e.value::int)::int AS n
     FROM "Activity" c CROSS JOIN LATERAL jsonb_each_text(c."errorTypeCounts") e
     WHERE c."parentActivityId" = ANY($1::uuid[])
     GROUP BY 1, 2`,
    [parentIds],
    (out, r) => out.set(r.parentId, { ...(out.get(r.parentId) ?? {}), [r.errorType]: Number(r.n) }),
  );
}

export interface NewDelivery {
  id: string;
  webhookId: string;
  activityId: string;
  activityName: string;
  activityStatus: ActivityStatus;
  body: string;
}

/**
 * Queues the deliveries and forgets the events, in one transaction. A delivery that exists already
 * (another instance matched the same event) is left as it is: one delivery per run per webhook.
 */
export async function queueDeliveries(deliveries: NewDelivery[], doneEventIds: bigint[], now: Date): Promise<number> {
  const db = await getDatabase();
  return db.transaction(async (tx) => {
    let inserted = 0;
    for (const d of deliveries)
      inserted += await tx.execute(
        `INSERT INTO "WebhookDelivery" (id, "webhookId", "activityId", "activityName", "activityStatus", body,
           "nextAttemptAt")
         VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::text::"ActivityStatus", $6, $7::timestamptz)
         ON CONFLICT ("webhookId", "activityId") DO NOTHING`,
        [d.id, d.webhookId, d.activityId, d.activityName, d.activityStatus, d.body, now.toISOString()],
      );
    if (doneEventIds.length)
      await tx.execute(`DELETE FROM "RunFailedEvent" WHERE id = ANY($1::bigint[])`, [
        doneEventIds.map((id) => id.toString()),
      ]);
    return inserted;
  });
}

// ---------- delivering ----------

export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  url: string;
  secret: string;
  body: string;
  attempts: number;
  lockedUntil: Date;
}

/**
 * Claims due deliveries for `holdMs` (FOR UPDATE SKIP LOCKED: instances sharing the database each
 * take other rows). A claim that was not released (its instance died) can be taken once it passed.
 */
export async function claimDueDeliveries(now: Date, holdMs: number, limit: number): Promise<ClaimedDelivery[]> {
  const db = await getDatabase();
  const until = new Date(now.getTime() + holdMs);
  const rows = await db.sql.query<ClaimedDelivery>(
    `WITH due AS (
       SELECT d.id FROM "WebhookDelivery" d JOIN "ViewWebhook" w ON w.id = d."webhookId"
       WHERE d.state = 'Pending' AND d."nextAttemptAt" <= $1::timestamptz AND w.enabled
         AND (d."lockedUntil" IS NULL OR d."lockedUntil" < $1::timestamptz)
       ORDER BY d."nextAttemptAt" LIMIT $3::int
       FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE "WebhookDelivery" d SET "lockedUntil" = $2::timestamptz FROM due, "ViewWebhook" w
     WHERE d.id = due.id AND w.id = d."webhookId"
     RETURNING d.id::text AS id, d."webhookId"::text AS "webhookId", w.url, w.secret, d.body, d.attempts,
       d."lockedUntil"`,
    [now.toISOString(), until.toISOString(), limit],
  );
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts), lockedUntil: new Date(r.lockedUntil) }));
}

export interface AttemptResult {
  at: Date;
  statusCode: number | null;
  error: string | null;
  delivered: boolean;
  /** When not delivered: the next attempt, or null to give up (Failed). */
  nextAttemptAt: Date | null;
}

/** Records an attempt, if this instance still holds the claim (a redelivery or another instance may have moved on). */
export async function recordAttempt(claim: ClaimedDelivery, r: AttemptResult): Promise<boolean> {
  const db = await getDatabase();
  const state: DeliveryState = r.delivered ? "Delivered" : r.nextAttemptAt ? "Pending" : "Failed";
  const n = await db.sql.execute(
    `UPDATE "WebhookDelivery" SET state = $3::text::"WebhookDeliveryState", attempts = attempts + 1,
       "lastAttemptAt" = $4::timestamptz, "lastStatusCode" = $5::int, "lastError" = $6,
       "nextAttemptAt" = $7::timestamptz, "deliveredAt" = $8::timestamptz, "lockedUntil" = NULL
     WHERE id = $1::uuid AND "lockedUntil" = $2::timestamptz`,
    [
      claim.id,
      claim.lockedUntil.toISOString(),
      state,
      r.at.toISOString(),
      r.statusCode,
      r.error,
      r.nextAttemptAt?.toISOString() ?? null,
      r.delivered ? r.at.toISOString() : null,
    ],
  );
  return n === 1;
}

/** The delivery log older than `cutoff` (retention), in short batches. */
export async function deleteDeliveriesBefore(cutoff: Date, batch = 5000): Promise<number> {
  const db = await getDatabase();
  let deleted = 0;
  for (;;) {
    const n = await db.sql.execute(
      `DELETE FROM "WebhookDelivery" WHERE id IN (SELECT id FROM "WebhookDelivery" WHERE "createdAt" < $1::timestamptz
         AND state <> 'Pending' LIMIT $2::int)`,
      [cutoff.toISOString(), batch],
    );
    deleted += n;
    if (n < batch) return deleted;
  }
}
