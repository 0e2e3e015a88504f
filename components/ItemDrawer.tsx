"use client";
import { useState, type RefObject } from "react";
import { ERROR_TYPE_INFO } from "@/lib/domain/enums";
import { describeError } from "@/lib/client/api";
import { useItem } from "@/lib/client/queries";
import { formatDateTime, formatInt } from "@/lib/client/format";
import { Modal } from "@/components/ui/Modal";

function CopyButton({ value }: { value: string }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  return (
    <button
      type="button"
      data-testid="copy-external-id"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setCopied("yes");
        } catch {
          setCopied("no");
        }
        setTimeout(() => setCopied(null), 2000);
      }}
      className="h-8 shrink-0 rounded-md border border-slate-300 px-2 text-xs font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
    >
      <span aria-live="polite">
        {copied === "yes" ? "Copied" : copied === "no" ? "Copy failed" : "Copy external id"}
      </span>
    </button>
  );
}

export function ItemDrawer({
  activityId,
  itemId,
  onClose,
  returnFocusTo,
}: {
  activityId: string;
  itemId: string | undefined;
  onClose: () => void;
  returnFocusTo?: RefObject<HTMLElement | null>;
}) {
  const q = useItem(activityId, itemId);
  const it = q.data;
  return (
    <Modal
      open={!!itemId}
      onClose={onClose}
      labelledBy="item-drawer-title"
      variant="drawer"
      testId="item-drawer"
      returnFocusTo={returnFocusTo}
    >
      <div className="sticky top-0 z-10 flex items-start justify-between gap-3 border-b border-slate-200 bg-white px-5 py-4 dark:border-slate-700 dark:bg-slate-900">
        <div className="min-w-0">
          <p className="text-xs text-slate-600 dark:text-slate-400">Execution item</p>
          <h2 id="item-drawer-title" className="break-words text-lg font-semibold">
            {it?.displayName ?? (q.isPending ? "Loading…" : "(no name)")}
          </h2>
        </div>
        <button
          type="button"
          onClick={onClose}
          className="h-8 shrink-0 rounded-md border border-slate-300 px-3 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          Close
        </button>
      </div>
      <div className="space-y-6 px-5 py-4 text-sm">
        {q.isError ? (
          <p role="alert" className="text-red-800 dark:text-red-300">
            Could not load this item: {describeError(q.error)}
          </p>
        ) : null}
        {it ? (
          <>
            <dl className="grid grid-cols-[9rem_minmax(0,1fr)] gap-x-3 gap-y-2">
              <dt className="text-slate-600 dark:text-slate-400">External id</dt>
              <dd className="flex items-center gap-2">
                <code className="break-all font-mono text-xs" data-testid="drawer-external-id">
                  {it.externalIdValue ?? "—"}
                </code>
                {it.externalIdValue ? <CopyButton value={it.externalIdValue} /> : null}
              </dd>
              <dt className="text-slate-600 dark:text-slate-400">Object type</dt>
              <dd>{it.connectedSystemObjectType ?? "—"}</dd>
              <dt className="text-slate-600 dark:text-slate-400">Change type</dt>
              <dd>{it.objectChangeType}</dd>
              <dt className="text-slate-600 dark:text-slate-400">Connected system</dt>
              <dd>{it.connectedSystemName ?? "—"}</dd>
              <dt className="text-slate-600 dark:text-slate-400">CS object id</dt>
              <dd className="break-all font-mono text-xs">{it.connectedSystemObjectId ?? "—"}</dd>
              <dt className="text-slate-600 dark:text-slate-400">Metaverse object id</dt>
              <dd className="break-all font-mono text-xs">{it.metaverseObjectId ?? "—"}</dd>
              <dt className="text-slate-600 dark:text-slate-400">Processed</dt>
              <dd>
                {formatDateTime(it.processedAt)} (#{formatInt(it.sequence)})
              </dd>
            </dl>
            {it.errorType || it.errorMessage ? (
              <section
                aria-labelledby="drawer-error"
                className="rounded-md border border-red-300 bg-red-50 p-3 text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
              >
                <h3 id="drawer-error" className="font-semibold">
                  Error{it.errorType ? `: ${it.errorType}` : ""}
                </h3>
                {it.errorType ? <p className="mt-0.5 text-xs">{ERROR_TYPE_INFO[it.errorType].meaning}</p> : null}
                {it.errorMessage ? <p className="mt-2 whitespace-pre-wrap break-words">{it.errorMessage}</p> : null}
                {it.errorDetail ? (
                  <pre className="mt-2 max-h-64 overflow-auto whitespace-pre-wrap break-words text-xs">
                    {it.errorDetail}
                  </pre>
                ) : null}
              </section>
            ) : null}
            <section aria-labelledby="drawer-outcomes">
              <h3 id="drawer-outcomes" className="mb-2 font-semibold">
                Outcomes
              </h3>
              {it.outcomes.length ? (
                <ul className="flex flex-wrap gap-2">
                  {it.outcomes.map((o) => (
                    <li key={o.type} className="rounded-md bg-slate-100 px-2 py-1 text-xs dark:bg-slate-800">
                      {o.type} <span className="font-semibold tabular-nums">× {formatInt(o.count)}</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-slate-600 dark:text-slate-400">No outcomes recorded.</p>
              )}
            </section>
            <section aria-labelledby="drawer-attrs">
              <h3 id="drawer-attrs" className="mb-2 font-semibold">
                Attribute changes
              </h3>
              {it.attributeChanges.length ? (
                <div className="overflow-x-auto">
                  <table className="w-full border-collapse text-xs">
                    <thead className="text-left text-slate-700 dark:text-slate-300">
                      <tr>
                        <th scope="col" className="border-b border-slate-200 py-1 pr-2 dark:border-slate-700">
                          Attribute
                        </th>
                        <th scope="col" className="border-b border-slate-200 py-1 pr-2 dark:border-slate-700">
                          Operation
                        </th>
                        <th scope="col" className="border-b border-slate-200 py-1 dark:border-slate-700">
                          Old → new
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {it.attributeChanges.map((c, i) => (
                        <tr key={i} className="align-top">
                          <td className="border-b border-slate-100 py-1 pr-2 font-medium dark:border-slate-800">
                            {c.attribute}
                          </td>
                          <td className="border-b border-slate-100 py-1 pr-2 dark:border-slate-800">{c.operation}</td>
                          <td className="break-all border-b border-slate-100 py-1 font-mono dark:border-slate-800">
                            <span className="text-slate-600 line-through decoration-slate-400 dark:text-slate-400">
                              {c.oldValue ?? "∅"}
                            </span>
                            <span aria-hidden="true"> → </span>
                            <span className="sr-only"> changed to </span>
                            <span>{c.newValue ?? "∅"}</span>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : (
                <p className="text-slate-600 dark:text-slate-400">No attribute-level changes.</p>
              )}
            </section>
          </>
        ) : null}
      </div>
    </Modal>
  );
}
