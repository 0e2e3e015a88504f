/**
 * Webhooks of saved views: "a run matching this view failed".
 *
 * A run that ends CompleteWithError or FailedWithError is queued by a database trigger in the
 * transaction that ends it (RunFailedEvent). Every instance runs the same loop: it matches the
 * queued runs against each enabled webhook's view with the activity list's own where clause,
 * stores one delivery per run and webhook (unique in the database, so instances sharing it never
 * queue one twice) with the body it will send, then sends the due deliveries it could claim
 * (FOR UPDATE SKIP LOCKED plus a time-limited claim), signed, retrying with exponential backoff
 * until a 2xx answer or SYNCWATCH_WEBHOOK_MAX_ATTEMPTS. Everything is in the store: a restart loses
 * nothing (a delivery cut off mid-send is sent again: receivers deduplicate on the delivery id).
 */
import type { SavedViewScope } from "@/lib/domain/enums";
import type {
  CreateWebhookBody,
  DeliveryListQuery,
  UpdateWebhookBody,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookPayload,
  WebhookWithSecret,
} from "@/lib/api/webhooks";
import { WEBHOOK_EVENT, WEBHOOK_HEADERS } from "@/lib/api/webhooks";
import { getConfig } from "@/lib/config";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/domain/errors";
import { uuidv7 } from "@/lib/domain/ids";
import { isDelivered, nextAttemptAt } from "@/lib/domain/webhooks";
import { findActivitiesByIds } from "@/lib/repo/activities";
import { findView } from "@/lib/repo/saved-views";
import {
  claimDueDeliveries,
  deleteDeliveriesBefore,
  deleteWebhook as deleteWebhookRow,
  findActiveWebhooks,
  findRunFailedEvents,
  findWebhook,
  insertWebhook,
  listDeliveries,
  matchActivities,
  queueDeliveries,
  recordAttempt,
  redeliver,
  sumChildErrorTypes,
  updateWebhook as updateWebhookRow,
  type ClaimedDelivery,
  type DeliveryRow,
  type NewDelivery,
  type WebhookRow,
} from "@/lib/repo/webhooks";
import { offsetEnvelope } from "./activities";
import { countsOf, iso, toSummary } from "./mappers";
import { activityFilterOfView } from "./view-filter";
import { generateWebhookSecret, secretPrefixOf, signatureHeader } from "./webhook-signature";

// ---------- configuration (administrators, on their own saved views) ----------

const toWebhook = (w: WebhookRow): Webhook => ({
  id: w.id,
  savedViewId: w.savedViewId,
  url: w.url,
  enabled: w.enabled,
  secretPrefix: w.secretPrefix,
  created: w.createdAt.toISOString(),
  updated: w.updatedAt.toISOString(),
});

const noWebhook = (viewId: string) =>
  new NotFoundError(`Saved view ${viewId} has no webhook (or is not one of your views).`, { id: viewId });

async function requireWebhook(apiKeyId: string, viewId: string): Promise<WebhookRow> {
  const w = await findWebhook(apiKeyId, viewId);
  if (!w) throw noWebhook(viewId);
  return w;
}

export async function getWebhook(apiKeyId: string, viewId: string): Promise<Webhook> {
  return toWebhook(await requireWebhook(apiKeyId, viewId));
}

/** Views of the activity list only: a webhook reports runs. Their filters must be ones the list understands. */
const HOOKABLE: SavedViewScope = "Activities";

export async function createWebhook(
  apiKeyId: string,
  viewId: string,
  body: CreateWebhookBody,
): Promise<WebhookWithSecret> {
  const view = await findView(apiKeyId, viewId);
  if (!view) throw new NotFoundError(`Saved view ${viewId} does not exist.`, { id: viewId });
  if (view.scope !== HOOKABLE)
    throw new BadRequestError("Only saved views of the activity list can have a webhook (it reports runs).", {
      scope: view.scope,
    });
  const filter = activityFilterOfView(view.query);
  if ("problem" in filter)
    throw new BadRequestError(`The view's filters are not valid, so no run could match it: ${filter.problem}`);
  const secret = generateWebhookSecret();
  const saved = await insertWebhook({
    id: uuidv7(),
    savedViewId: viewId,
    url: body.url,
    enabled: body.enabled,
    secret,
    secretPrefix: secretPrefixOf(secret),
  });
  if (saved === "exists")
    throw new ConflictError("This view has a webhook already: change it instead.", { id: viewId });
  return { ...toWebhook(saved), secret };
}

export async function updateWebhook(apiKeyId: string, viewId: string, patch: UpdateWebhookBody): Promise<Webhook> {
  const w = await requireWebhook(apiKeyId, viewId);
  return toWebhook(await updateWebhookRow(w.id, patch));
}

export async function rotateWebhookSecret(apiKeyId: string, viewId: string): Promise<WebhookWithSecret> {
  const w = await requireWebhook(apiKeyId, viewId);
  const secret = generateWebhookSecret();
  return { ...toWebhook(await updateWebhookRow(w.id, { secret, secretPrefix: secretPrefixOf(secret) })), secret };
}

export async function deleteWebhook(apiKeyId: string, viewId: string): Promise<void> {
  await deleteWebhookRow((await requireWebhook(apiKeyId, viewId)).id);
}

const toDelivery = (d: DeliveryRow): WebhookDelivery => ({
  id: d.id,
  activityId: d.activityId,
  activityName: d.activityName,
  activityStatus: d.activityStatus,
  state: d.state,
  attempts: d.attempts,
  lastAttemptAt: iso(d.lastAttemptAt),
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  nextAttemptAt: d.state === "Pending" ? iso(d.nextAttemptAt) : null,
  deliveredAt: iso(d.deliveredAt),
  created: d.createdAt.toISOString(),
});

export async function listWebhookDeliveries(
  apiKeyId: string,
  viewId: string,
  q: DeliveryListQuery,
): Promise<WebhookDeliveryList> {
  const w = await requireWebhook(apiKeyId, viewId);
  const { rows, total } = await listDeliveries(w.id, q.page, q.pageSize);
  return offsetEnvelope(rows.map(toDelivery), total, q);
}

export async function redeliverWebhookDelivery(
  apiKeyId: string,
  viewId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  const w = await requireWebhook(apiKeyId, viewId);
  const d = await redeliver(w.id, deliveryId, new Date());
  if (!d) throw new NotFoundError(`This webhook has no delivery ${deliveryId}.`, { deliveryId });
  wakeWebhooks();
  return toDelivery(d);
}

// ---------- matching failed runs against the views ----------

const EVENT_BATCH = 200;

/** The link to a run's page: absolute with SYNCWATCH_PUBLIC_URL, else the path. */
export const runLink = (activityId: string, publicUrl = getConfig().publicUrl) =>
  `${publicUrl ?? ""}/activities/${activityId}`;

/**
 * Matches the queued failed runs against every enabled webhook and queues one delivery per match.
 * Returns the deliveries queued. Safe to run on several instances at once.
 */
export async function matchFailedRuns(now = new Date()): Promise<number> {
  const events = await findRunFailedEvents(EVENT_BATCH);
  if (events.length === 0) return 0;
  const webhooks = await findActiveWebhooks();
  const ids = [...new Set(events.map((e) => e.activityId))];
  const deliveries: NewDelivery[] = [];
  if (webhooks.length) {
    const runs = new Map((await findActivitiesByIds(ids)).map((r) => [r.id, r]));
    const schedules = await sumChildErrorTypes(
      [...runs.values()].filter((r) => r.targetType === "Schedule").map((r) => r.id),
    );
    for (const w of webhooks) {
      const view = activityFilterOfView(w.viewQuery, now.getTime());
      if ("problem" in view || w.viewScope !== HOOKABLE) continue;
      // runs that ended before the webhook existed are not reported
      const candidates = events.filter((e) => e.at >= w.createdAt && runs.has(e.activityId)).map((e) => e.activityId);
      for (const activityId of await matchActivities(view.filter, [...new Set(candidates)])) {
        const run = runs.get(activityId)!;
        const id = uuidv7();
        const payload: WebhookPayload = {
          event: WEBHOOK_EVENT,
          deliveryId: id,
          savedView: { id: w.savedViewId, name: w.viewName },
          activity: toSummary(run, undefined),
          errorsByType: schedules.get(run.id) ?? countsOf(run.errorTypeCounts),
          link: runLink(run.id),
        };
        deliveries.push({
          id,
          webhookId: w.id,
          activityId,
          activityName: run.name,
          activityStatus: run.status,
          body: JSON.stringify(payload),
        });
      }
    }
  }
  return queueDeliveries(
    deliveries,
    events.map((e) => e.id),
    now,
  );
}

// ---------- sending ----------

/** How long an instance holds a claimed delivery: longer than a send can take. */
const CLAIM_MS = 60_000;
const SEND_TIMEOUT_MS = 10_000;
const SEND_BATCH = 10;
const ERROR_TEXT = 300;

async function send(d: ClaimedDelivery): Promise<{ statusCode: number | null; error: string | null }> {
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const res = await fetch(d.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Syncwatch-Webhook/1",
        [WEBHOOK_HEADERS.signature]: signatureHeader(d.secret, d.body, timestamp),
        [WEBHOOK_HEADERS.delivery]: d.id,
        [WEBHOOK_HEADERS.event]: WEBHOOK_EVENT,
      },
      body: d.body,
    });
    const text = isDelivered(res.status) ? "" : (await res.text().catch(() => "")).slice(0, ERROR_TEXT);
    return {
      statusCode: res.status,
      error: isDelivered(res.status) ? null : `HTTP ${res.status}${text.trim() ? `: ${text.trim()}` : ""}`,
    };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why =
      err.name === "TimeoutError"
        ? `no answer within ${SEND_TIMEOUT_MS / 1000} s`
        : (err.cause?.code ?? err.cause?.message ?? err.message);
    return { statusCode: null, error: why.slice(0, ERROR_TEXT) };
  }
}

/** Sends the due deliveries this instance could claim; returns how many were attempted. */
export async function sendDueDeliveries(): Promise<number> {
  const { firstRetryMs, maxAttempts } = getConfig().webhooks;
  const claimed = await claimDueDeliveries(new Date(), CLAIM_MS, SEND_BATCH);
  await Promise.all(
    claimed.map(async (d) => {
      const r = await send(d);
      const at = new Date();
      const delivered = isDelivered(r.statusCode);
      await recordAttempt(d, {
        at,
        ...r,
        delivered,
        nextAttemptAt: delivered
          ? null
          : nextAttemptAt(d.attempts + 1, {
              now: at.getTime(),
              firstDelayMs: firstRetryMs,
              maxAttempts,
              random: Math.random(),
            }),
      });
    }),
  );
  return claimed.length;
}

// ---------- the loop every instance runs ----------

const TICK_MS = 1000;
const PRUNE_EVERY_MS = 60 * 60_000;

interface Worker {
  timer: NodeJS.Timeout | null;
  running: boolean;
  again: boolean;
  stopped: boolean;
  lastPrune: number;
}
const g = globalThis as unknown as { __syncwatchWebhooks?: Worker };

async function tick(w: Worker) {
  if (w.running) {
    w.again = true;
    return;
  }
  w.running = true;
  try {
    do {
      w.again = false;
      const queued = await matchFailedRuns();
      const sent = await sendDueDeliveries();
      if (queued === EVENT_BATCH || sent === SEND_BATCH) w.again = true;
    } while (w.again && !w.stopped);
    const days = getConfig().retention.days;
    if (days > 0 && Date.now() - w.lastPrune > PRUNE_EVERY_MS) {
      w.lastPrune = Date.now();
      await deleteDeliveriesBefore(new Date(Date.now() - days * 86_400_000));
    }
  } catch (e) {
    console.warn(`[syncwatch] webhooks: ${(e as Error).message}`);
  } finally {
    w.running = false;
  }
}

/** Starts this instance's webhook loop (once per process). */
export function startWebhookWorker(): void {
  if (g.__syncwatchWebhooks && !g.__syncwatchWebhooks.stopped) return;
  const w: Worker = { timer: null, running: false, again: false, stopped: false, lastPrune: 0 };
  g.__syncwatchWebhooks = w;
  w.timer = setInterval(() => void tick(w), TICK_MS);
  w.timer.unref();
}

/** Runs the loop now (a redelivery should not wait for the next tick). */
export function wakeWebhooks(): void {
  const w = g.__syncwatchWebhooks;
  if (w && !w.stopped) void tick(w);
}

export function stopWebhookWorker(): void {
  const w = g.__syncwatchWebhooks;
  if (!w) return;
  w.stopped = true;
  if (w.timer) clearInterval(w.timer);
}
