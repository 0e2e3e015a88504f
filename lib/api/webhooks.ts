/**
 * Webhooks of saved views: "a run matching this view failed", signed, retried, logged.
 * Schemas (validated at the edge, typed for the pages, documented in OpenAPI) and endpoints.
 * Only administrators configure them, on their own saved views of the activity list
 * (docs/webhooks.md says why and how receivers verify the signature).
 */
import { z } from "zod";
import { endpoint } from "./endpoint";
import { ActivityStatus, IdParam, IsoDateTime, PageQuery, Uuid, pageEnvelope } from "./kit";
import { ActivitySummary, TypeCounts } from "./activities";

/** The header names of a delivery, for receivers. */
export const WEBHOOK_HEADERS = {
  signature: "Syncwatch-Signature",
  delivery: "Syncwatch-Delivery",
  event: "Syncwatch-Event",
} as const;
export const WEBHOOK_EVENT = "run.failed";

const WebhookUrl = z
  .url({ protocol: /^https?$/, error: "An http:// or https:// URL" })
  .max(2000)
  .describe("Where the deliveries are POSTed (http or https)");

export const Webhook = z
  .object({
    id: Uuid,
    savedViewId: Uuid.describe("The saved view whose matching failed runs it reports"),
    url: z.string().describe("Where the deliveries are POSTed"),
    enabled: z.boolean().describe("Whether runs that fail are reported"),
    secretPrefix: z
      .string()
      .describe("The first characters of the signing secret, to recognise it (the secret itself is never shown again)"),
    created: IsoDateTime,
    updated: IsoDateTime,
  })
  .meta({ id: "Webhook", description: "The webhook of a saved view (without its secret)" });
export type Webhook = z.infer<typeof Webhook>;

export const WebhookWithSecret = Webhook.extend({
  secret: z
    .string()
    .describe("The signing secret: shown once, in this answer only. Keep it where the receiver can read it"),
}).meta({ id: "WebhookWithSecret", description: "A webhook just created, or whose secret was just rotated" });
export type WebhookWithSecret = z.infer<typeof WebhookWithSecret>;

export const CreateWebhookBody = z
  .strictObject({
    url: WebhookUrl,
    enabled: z.boolean().default(true).describe("Report failed runs from now on (default true)"),
  })
  .meta({ id: "CreateWebhookBody", examples: [{ url: "https://hooks.example.com/syncwatch" }] });
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;
export const UpdateWebhookBody = z
  .strictObject({
    url: WebhookUrl.optional(),
    enabled: z.boolean().optional().describe("Pause (false) or resume (true) the reports"),
  })
  .meta({ id: "UpdateWebhookBody" });
export type UpdateWebhookBody = z.infer<typeof UpdateWebhookBody>;

export const WebhookDeliveryState = z
  .enum(["Pending", "Delivered", "Failed"])
  .describe("Pending: waiting for its first attempt or its next retry; Delivered: answered 2xx; Failed: gave up");
export const WebhookDelivery = z
  .object({
    id: Uuid.describe(`Also sent as the ${WEBHOOK_HEADERS.delivery} header: the same on every attempt`),
    activityId: Uuid.describe("The run reported"),
    activityName: z.string().describe("Its name"),
    activityStatus: ActivityStatus,
    state: WebhookDeliveryState,
    attempts: z.number().int().describe("Attempts made (since the last redelivery)"),
    lastAttemptAt: IsoDateTime.nullable(),
    lastStatusCode: z
      .number()
      .int()
      .nullable()
      .describe("The receiver's last HTTP status; null when it did not answer"),
    lastError: z
      .string()
      .nullable()
      .describe("Why the last attempt failed (status and the start of the answer, or the network error)"),
    nextAttemptAt: IsoDateTime.nullable().describe("When the next attempt is due, while Pending"),
    deliveredAt: IsoDateTime.nullable(),
    created: IsoDateTime,
  })
  .meta({ id: "WebhookDelivery", description: "One run reported to one webhook: its attempts and the last answer" });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;
export const WebhookDeliveryList = pageEnvelope(WebhookDelivery).meta({ id: "WebhookDeliveryList" });
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;
export const DeliveryListQuery = z.strictObject({
  page: PageQuery.page,
  pageSize: PageQuery.pageSize,
});
export type DeliveryListQuery = z.infer<typeof DeliveryListQuery>;
export const DeliveryParams = z.strictObject({ id: Uuid, deliveryId: Uuid });

/** What a receiver gets: the JSON body of every delivery (documented in docs/webhooks.md). */
export const WebhookPayload = z
  .object({
    event: z.literal(WEBHOOK_EVENT).describe("What happened: a run matching the view ended with errors"),
    deliveryId: Uuid.describe(`The delivery (the ${WEBHOOK_HEADERS.delivery} header): retries repeat it`),
    savedView: z.object({ id: Uuid, name: z.string().describe("Its name") }).describe("The saved view the run matches"),
    activity: ActivitySummary.describe("The run, as the API lists it"),
    errorsByType: TypeCounts.describe("Its failed objects per error type (a schedule's: summed over its steps)"),
    link: z.string().describe("The run's page (absolute when SYNCWATCH_PUBLIC_URL is set, else the path)"),
  })
  .meta({ id: "WebhookPayload", description: "The body of a webhook delivery" });
export type WebhookPayload = z.infer<typeof WebhookPayload>;

const WEBHOOK_ACCESS =
  "Administrators only, on their own saved views of the activity list (a read-only key cannot send data out).";

// ---------- endpoints ----------
export const webhookEndpoints = {
  getWebhook: endpoint({
    id: "getWebhook",
    method: "GET",
    path: "/saved-views/{id}/webhook",
    tag: "Webhooks",
    summary: "Get the webhook of a saved view",
    description: `Without its secret. ${WEBHOOK_ACCESS}`,
    access: "admin",
    params: IdParam,
    response: { status: 200, schema: Webhook, description: "The webhook" },
  }),
  createWebhook: endpoint({
    id: "createWebhook",
    method: "POST",
    path: "/saved-views/{id}/webhook",
    tag: "Webhooks",
    summary: "Add a webhook to a saved view",
    description:
      "From now on, every run that ends CompleteWithError or FailedWithError and matches the view's filters (the " +
      "list's own filter, as the view would list it) is POSTed to the URL once, signed with the secret this answer " +
      `shows (once), and retried with exponential backoff until it is answered 2xx. ${WEBHOOK_ACCESS}`,
    access: "admin",
    params: IdParam,
    body: CreateWebhookBody,
    response: { status: 201, schema: WebhookWithSecret, description: "Created: the secret is shown this once" },
    errors: ["CONFLICT"],
  }),
  updateWebhook: endpoint({
    id: "updateWebhook",
    method: "PATCH",
    path: "/saved-views/{id}/webhook",
    tag: "Webhooks",
    summary: "Change a webhook's URL, or pause and resume it",
    description: WEBHOOK_ACCESS,
    access: "admin",
    params: IdParam,
    body: UpdateWebhookBody,
    response: { status: 200, schema: Webhook, description: "Updated" },
  }),
  deleteWebhook: endpoint({
    id: "deleteWebhook",
    method: "DELETE",
    path: "/saved-views/{id}/webhook",
    tag: "Webhooks",
    summary: "Remove a webhook (and its delivery log)",
    description: WEBHOOK_ACCESS,
    access: "admin",
    params: IdParam,
    response: { status: 204, description: "Removed" },
  }),
  rotateWebhookSecret: endpoint({
    id: "rotateWebhookSecret",
    method: "POST",
    path: "/saved-views/{id}/webhook/rotate-secret",
    tag: "Webhooks",
    summary: "Replace a webhook's signing secret",
    description: `The new secret signs every attempt from now on, retries included; it is shown once. ${WEBHOOK_ACCESS}`,
    access: "admin",
    params: IdParam,
    body: z.strictObject({}).meta({ id: "RotateWebhookSecretBody", description: "Empty" }),
    bodyOptional: true,
    response: {
      status: 200,
      schema: WebhookWithSecret,
      description: "The webhook with its new secret, shown this once",
    },
  }),
  listWebhookDeliveries: endpoint({
    id: "listWebhookDeliveries",
    method: "GET",
    path: "/saved-views/{id}/webhook/deliveries",
    tag: "Webhooks",
    summary: "The delivery log of a webhook",
    description: `Newest first: state, attempts, the last answer and the next retry. ${WEBHOOK_ACCESS}`,
    access: "admin",
    params: IdParam,
    query: DeliveryListQuery,
    response: { status: 200, schema: WebhookDeliveryList, description: "A page of deliveries" },
  }),
  redeliverWebhookDelivery: endpoint({
    id: "redeliverWebhookDelivery",
    method: "POST",
    path: "/saved-views/{id}/webhook/deliveries/{deliveryId}/redeliver",
    tag: "Webhooks",
    summary: "Send a delivery again",
    description:
      "The same body and delivery id, at once, with a fresh retry budget (a receiver that keeps the delivery ids " +
      `it has handled sees a duplicate). ${WEBHOOK_ACCESS}`,
    access: "admin",
    params: DeliveryParams,
    body: z.strictObject({}).meta({ id: "RedeliverBody", description: "Empty" }),
    bodyOptional: true,
    response: { status: 200, schema: WebhookDelivery, description: "The delivery, Pending again" },
  }),
} as const;
