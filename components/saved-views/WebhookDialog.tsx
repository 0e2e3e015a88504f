"use client";
import { ActivityLink } from "@/components/ui/ActivityLink";
import { useId, useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endpoints } from "@/lib/client/endpoints";
import type { SavedView } from "@/lib/api/saved-views";
import type { WebhookDelivery, WebhookWithSecret } from "@/lib/api/webhooks";
import { ApiError, describeError, request } from "@/lib/client/http";
import { keys, queries } from "@/lib/client/resources";
import { formatDateTime, formatRelative } from "@/lib/client/format";
import { STATUS_LABELS } from "@/lib/client/labels";
import { Button } from "@/components/ui/Button";
import { Modal } from "@/components/ui/Modal";
import { useNow } from "@/components/ui/useNow";
import { ACTIONS_LABEL, TableHead } from "@/components/ui/TableHead";

const inputClass =
  "h-9 min-w-0 flex-1 rounded-md border border-slate-400 bg-white px-2 text-sm dark:border-slate-500 dark:bg-slate-900";

const STATE_LOOK: Record<WebhookDelivery["state"], { label: string; className: string; icon: string }> = {
  Delivered: {
    label: "Delivered",
    icon: "✓",
    className:
      "bg-emerald-100 text-emerald-900 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-100 dark:ring-emerald-700",
  },
  Pending: {
    label: "Retrying",
    icon: "↻",
    className: "bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-700",
  },
  Failed: {
    label: "Gave up",
    icon: "✕",
    className: "bg-red-100 text-red-900 ring-red-300 dark:bg-red-950 dark:text-red-100 dark:ring-red-700",
  },
};

/** The secret, once: right after creation or rotation. */
function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div
      role="status"
      className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
      data-testid="webhook-secret"
    >
      <p className="font-semibold">Copy the signing secret now: it is not shown again.</p>
      <code className="mt-1 block break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 dark:bg-slate-900 dark:text-slate-100">
        {secret}
      </code>
      <div className="mt-2 flex flex-wrap gap-2">
        <Button
          size="sm"
          onClick={async () => {
            await navigator.clipboard?.writeText(secret).catch(() => undefined);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy secret"}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          I have stored it
        </Button>
      </div>
    </div>
  );
}

function DeliveryLog({ viewId }: { viewId: string }) {
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const log = useQuery({ ...queries.webhookDeliveries(viewId, page), refetchInterval: 5000 });
  const now = useNow(15_000);
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) =>
      request(endpoints.redeliverWebhookDelivery, { params: { id: viewId, deliveryId }, body: {} }),
    onSettled: () => qc.invalidateQueries({ queryKey: keys.webhook(viewId) }),
  });
  const items = log.data?.items ?? [];
  return (
    <section aria-labelledby={`${viewId}-log`} className="mt-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={`${viewId}-log`} className="text-sm font-semibold">
          Delivery log
        </h3>
        {log.data ? (
          <span className="text-xs text-slate-700 dark:text-slate-300">
            {log.data.totalCount} {log.data.totalCount === 1 ? "delivery" : "deliveries"} · refreshed every 5 s
          </span>
        ) : null}
      </div>
      {log.isError ? (
        <p role="alert" className="mt-1 text-sm text-red-800 dark:text-red-300">
          The log could not be loaded: {describeError(log.error)}
        </p>
      ) : null}
      {redeliver.isError ? (
        <p role="alert" className="mt-1 text-sm text-red-800 dark:text-red-300">
          Not redelivered: {describeError(redeliver.error)}
        </p>
      ) : null}
      {log.data && items.length === 0 ? (
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          Nothing sent yet: a run matching this view has not failed since the webhook was added.
        </p>
      ) : null}
      {items.length ? (
        <div className="mt-1 overflow-x-auto">
          <table className="w-full min-w-[36rem] text-left text-xs" data-testid="webhook-deliveries">
            <TableHead
              className="text-slate-700 dark:text-slate-300"
              cell="py-1 pr-2 font-semibold last:pr-0"
              columns={["Run", "State", ["Attempts", "text-right"], "Last answer", "Next retry", ACTIONS_LABEL]}
            />
            <tbody>
              {items.map((d) => {
                const look = STATE_LOOK[d.state];
                return (
                  <tr
                    key={d.id}
                    className="border-t border-slate-200 align-top dark:border-slate-700"
                    data-testid="webhook-delivery"
                    data-state={d.state}
                  >
                    <td className="py-1.5 pr-2">
                      <ActivityLink id={d.activityId} className="font-medium break-words">
                        {d.activityName}
                      </ActivityLink>
                      <span className="block text-slate-600 dark:text-slate-400">
                        {STATUS_LABELS[d.activityStatus]} ·{" "}
                        <time dateTime={d.created} suppressHydrationWarning>
                          {formatDateTime(d.created)}
                        </time>
                      </span>
                    </td>
                    <td className="py-1.5 pr-2">
                      <span
                        className={`inline-flex items-center gap-1 rounded-xl px-2 py-0.5 font-semibold ring-1 ring-inset whitespace-nowrap ${look.className}`}
                      >
                        <span aria-hidden="true">{look.icon}</span>
                        {look.label}
                      </span>
                    </td>
                    <td className="py-1.5 pr-2 text-right tabular-nums">{d.attempts}</td>
                    <td className="max-w-[14rem] py-1.5 pr-2 break-words">
                      {d.lastStatusCode !== null ? <span className="font-mono">HTTP {d.lastStatusCode}</span> : null}
                      {d.lastError && d.lastStatusCode === null ? d.lastError : null}
                      {d.lastError && d.lastStatusCode !== null ? (
                        <span className="block text-slate-600 dark:text-slate-400">
                          {d.lastError.replace(/^HTTP \d+:? ?/, "")}
                        </span>
                      ) : null}
                      {d.lastAttemptAt === null ? "—" : null}
                    </td>
                    <td className="py-1.5 pr-2 whitespace-nowrap" suppressHydrationWarning>
                      {d.nextAttemptAt ? formatRelative(d.nextAttemptAt, now) : "—"}
                    </td>
                    <td className="py-1.5 text-right">
                      <Button
                        size="sm"
                        onClick={() => redeliver.mutate(d.id)}
                        disabled={redeliver.isPending}
                        data-testid="webhook-redeliver"
                      >
                        Redeliver<span className="sr-only"> {d.activityName}</span>
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {log.data && (log.data.hasNextPage || page > 1) ? (
        <div className="mt-2 flex items-center gap-2 text-xs">
          <Button size="sm" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
            Newer
          </Button>
          <span>
            Page {page}
            {log.data.totalPages ? ` of ${log.data.totalPages}` : ""}
          </span>
          <Button size="sm" disabled={!log.data.hasNextPage} onClick={() => setPage((p) => p + 1)}>
            Older
          </Button>
        </div>
      ) : null}
    </section>
  );
}

/**
 * A saved view's webhook: add it, change its URL, pause it, rotate its secret, remove it, and its
 * delivery log with redelivery. Administrators only (the menu shows it to them alone).
 */
export function WebhookDialog({ view, open, onClose }: { view: SavedView; open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const id = useId();
  const hook = useQuery({ ...queries.webhook(view.id), enabled: open, retry: false });
  const missing = ApiError.is(hook.error, "NOT_FOUND");
  const [url, setUrl] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: keys.webhook(view.id) });
    void qc.invalidateQueries({ queryKey: ["saved-views"] });
  };
  const onError = (e: unknown) => setMessage({ text: describeError(e), error: true });
  const shown = (w: WebhookWithSecret, text: string) => {
    setSecret(w.secret);
    setMessage({ text, error: false });
    refresh();
  };
  const create = useMutation({
    mutationFn: (u: string) => request(endpoints.createWebhook, { params: { id: view.id }, body: { url: u } }),
    onSuccess: (w) => shown(w, "Webhook added: runs matching this view that fail are reported from now on."),
    onError,
  });
  const update = useMutation({
    mutationFn: (body: { url?: string; enabled?: boolean }) =>
      request(endpoints.updateWebhook, { params: { id: view.id }, body }),
    onSuccess: (w) => {
      setMessage({ text: w.enabled ? "Saved." : "Paused: nothing is sent until you resume it.", error: false });
      refresh();
    },
    onError,
  });
  const rotate = useMutation({
    mutationFn: () => request(endpoints.rotateWebhookSecret, { params: { id: view.id }, body: {} }),
    onSuccess: (w) => shown(w, "New secret: deliveries are signed with it from now on, retries included."),
    onError,
  });
  const remove = useMutation({
    mutationFn: () => request(endpoints.deleteWebhook, { params: { id: view.id } }),
    onSuccess: () => {
      setMessage({ text: "Webhook removed, with its delivery log.", error: false });
      setSecret(null);
      setUrl(null);
      setConfirmRemove(false);
      qc.removeQueries({ queryKey: keys.webhook(view.id) });
      refresh();
    },
    onError,
  });
  const w = hook.data;
  const value = url ?? w?.url ?? "";
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const u = value.trim();
    if (!/^https?:\/\/\S+$/.test(u)) return setMessage({ text: "Give an http:// or https:// URL.", error: true });
    if (w) update.mutate({ url: u });
    else create.mutate(u);
  };
  const close = () => {
    setSecret(null);
    setMessage(null);
    setUrl(null);
    onClose();
  };

  return (
    <Modal open={open} onClose={close} labelledBy={`${id}-title`} testId="webhook-dialog">
      <div className="max-h-[85vh] w-[min(46rem,calc(100vw-2rem))] overflow-y-auto p-5 text-sm">
        <h2 id={`${id}-title`} className="text-lg font-semibold break-words">
          Webhook of “{view.name}”
        </h2>
        <p className="mt-1 text-slate-700 dark:text-slate-300">
          When a run this view lists ends <strong>with errors</strong> (Complete with error or Failed with error),
          Syncwatch POSTs it as JSON to this URL, signed with a secret (header <code>Syncwatch-Signature</code>), and
          retries with growing delays until the receiver answers 2xx. How to verify the signature: docs/webhooks.md.
        </p>
        {hook.isPending && open ? <p className="mt-3">Loading…</p> : null}
        {hook.isError && !missing ? (
          <p role="alert" className="mt-3 text-red-800 dark:text-red-300">
            {describeError(hook.error)}
          </p>
        ) : null}
        {w || missing ? (
          <form onSubmit={onSubmit} className="mt-3 space-y-2">
            <label htmlFor={`${id}-url`} className="block text-xs font-medium text-slate-700 dark:text-slate-300">
              Receiver URL
            </label>
            <div className="flex flex-wrap gap-2">
              <input
                id={`${id}-url`}
                type="url"
                value={value}
                onChange={(e) => setUrl(e.target.value)}
                placeholder="https://hooks.example.com/syncwatch"
                className={inputClass}
                data-testid="webhook-url"
                required
              />
              <Button type="submit" variant="primary" disabled={create.isPending || update.isPending}>
                {w ? "Save URL" : "Add webhook"}
              </Button>
            </div>
          </form>
        ) : null}
        {message ? (
          <p
            role={message.error ? "alert" : "status"}
            className={`mt-2 ${message.error ? "text-red-800 dark:text-red-300" : "text-emerald-800 dark:text-emerald-300"}`}
          >
            {message.text}
          </p>
        ) : null}
        {secret ? <SecretOnce secret={secret} onDone={() => setSecret(null)} /> : null}
        {w ? (
          <>
            <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-2">
              <label className="inline-flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={w.enabled}
                  onChange={(e) => update.mutate({ enabled: e.target.checked })}
                  className="h-4 w-4 accent-blue-700"
                  data-testid="webhook-enabled"
                />
                Report failed runs {w.enabled ? "(on)" : "(paused)"}
              </label>
              <span className="text-xs text-slate-700 dark:text-slate-300">
                Secret <code className="font-mono">{w.secretPrefix}…</code>
              </span>
              <Button size="sm" onClick={() => rotate.mutate()} disabled={rotate.isPending}>
                Rotate secret
              </Button>
              {confirmRemove ? (
                <span className="inline-flex items-center gap-2" role="group" aria-label="Remove the webhook?">
                  <span>Remove it and its log?</span>
                  <Button size="sm" variant="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
                    Remove
                  </Button>
                  <Button size="sm" onClick={() => setConfirmRemove(false)}>
                    Keep
                  </Button>
                </span>
              ) : (
                <Button size="sm" variant="danger" onClick={() => setConfirmRemove(true)}>
                  Remove webhook…
                </Button>
              )}
            </div>
            <DeliveryLog viewId={view.id} />
          </>
        ) : null}
        <div className="mt-5 flex justify-end">
          <Button onClick={close}>Close</Button>
        </div>
      </div>
    </Modal>
  );
}
