"use client";
import Link from "next/link";
import { useEffect, type RefObject } from "react";
import { useQuery } from "@tanstack/react-query";
import type { ExecutionItemDetail } from "@/lib/api/items";
import { queries } from "@/lib/client/resources";
import { STATUS_LABELS } from "@/lib/client/labels";
import { formatDateTime } from "@/lib/client/format";
import { changeTypeLabel, errorTypeHelp, errorTypeLabel, outcomeLabel, plural } from "@/lib/client/error-types";
import { Modal } from "@/components/ui/Modal";
import { Button } from "@/components/ui/Button";
import { QueryErrorBanner } from "@/components/ui/ErrorBanner";
import { SkeletonBar } from "@/components/ui/Skeleton";
import { RecurrenceBadge } from "./ItemTable";
import { TableHead } from "@/components/ui/TableHead";

const isTyping = (el: Element | null) =>
  !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT");

function Heading({ children }: { children: React.ReactNode }) {
  return (
    <h3 className="mb-2 mt-5 text-sm font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-300">
      {children}
    </h3>
  );
}

/** Previous or next item of the page: disabled at its end, labelled with the key that does the same. */
function StepButton({
  go,
  shortcut,
  testId,
  children,
}: {
  go: (() => void) | null;
  shortcut: "J" | "K";
  testId: string;
  children: React.ReactNode;
}) {
  return (
    <Button size="sm" onClick={() => go?.()} disabled={!go} aria-keyshortcuts={shortcut} data-testid={testId}>
      {children} <kbd className="text-[10px] opacity-80">{shortcut}</kbd>
    </Button>
  );
}

/** One item: its error and meaning, attribute changes, the same object in other runs; J/K step through the page. */
export function ItemDrawer({
  activityId,
  itemId,
  onClose,
  onPrevious,
  onNext,
  position,
  returnFocusTo,
}: {
  activityId: string;
  itemId: string | null;
  onClose: () => void;
  onPrevious: (() => void) | null;
  onNext: (() => void) | null;
  position: string | null;
  returnFocusTo?: RefObject<HTMLElement | null>;
}) {
  const q = useQuery({ ...queries.item(activityId, itemId ?? ""), enabled: !!itemId });
  useEffect(() => {
    if (!itemId) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isTyping(document.activeElement)) return;
      if (e.key === "j" || e.key === "J") onNext?.();
      else if (e.key === "k" || e.key === "K") onPrevious?.();
      else return;
      e.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [itemId, onNext, onPrevious]);

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
      <div className="sticky top-0 z-10 flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 bg-white px-5 py-3 dark:border-slate-700 dark:bg-slate-900">
        <h2 id="item-drawer-title" className="min-w-0 truncate text-lg font-semibold">
          {it ? (it.displayName ?? it.externalIdValue ?? "Item") : "Execution item"}
        </h2>
        <div className="flex items-center gap-2">
          {position ? (
            <span className="text-xs tabular-nums text-slate-600 dark:text-slate-400">{position}</span>
          ) : null}
          <StepButton go={onPrevious} shortcut="K" testId="drawer-previous">
            ↑ Previous
          </StepButton>
          <StepButton go={onNext} shortcut="J" testId="drawer-next">
            ↓ Next
          </StepButton>
          <Button size="sm" onClick={onClose} aria-label="Close item details">
            ✕
          </Button>
        </div>
      </div>
      <div className="px-5 pb-8 pt-3 text-sm">
        {q.isError ? (
          <QueryErrorBanner title="The item could not be loaded" query={q} />
        ) : !it ? (
          <div aria-busy="true" className="space-y-2">
            <SkeletonBar className="h-5 w-1/2" />
            <SkeletonBar className="h-24" />
          </div>
        ) : (
          <ItemBody item={it} />
        )}
      </div>
    </Modal>
  );
}

function ItemBody({ item: it }: { item: ExecutionItemDetail }) {
  const help = it.errorType ? errorTypeHelp(it.errorType) : null;
  return (
    <div data-testid="item-detail" data-item-id={it.id}>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2">
        <div>
          <dt className="text-xs text-slate-600 dark:text-slate-400">External id</dt>
          <dd className="break-all font-mono text-xs" data-testid="drawer-external-id">
            {it.externalIdValue ?? "—"}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600 dark:text-slate-400">Object type</dt>
          <dd>{it.connectedSystemObjectType ?? "—"}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600 dark:text-slate-400">Change</dt>
          <dd>{changeTypeLabel(it.objectChangeType)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600 dark:text-slate-400">Processed</dt>
          <dd>
            <time dateTime={it.processedAt}>{formatDateTime(it.processedAt)}</time> (#{it.sequence})
          </dd>
        </div>
      </dl>

      {it.errorType && help ? (
        <section
          aria-labelledby="item-error-title"
          className="mt-4 rounded-md border border-red-300 bg-red-50 p-3 dark:border-red-800 dark:bg-red-950"
        >
          <div className="flex flex-wrap items-center gap-2">
            <h3 id="item-error-title" className="font-semibold text-red-900 dark:text-red-100">
              {errorTypeLabel(it.errorType)}
            </h3>
            <RecurrenceBadge recurrence={it.recurrence} />
          </div>
          {it.errorMessage ? <p className="mt-1 break-words text-red-950 dark:text-red-50">{it.errorMessage}</p> : null}
          <p className="mt-2 text-slate-800 dark:text-slate-200">
            <span className="font-medium">What it means:</span> {help.meaning}
          </p>
          <p className="text-slate-800 dark:text-slate-200">
            <span className="font-medium">Usual fix:</span> {help.usualFix}
          </p>
          {it.errorDetail ? (
            <details className="mt-2">
              <summary className="cursor-pointer font-medium">Error detail</summary>
              <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-words text-xs">
                {it.errorDetail}
              </pre>
            </details>
          ) : null}
        </section>
      ) : null}

      {it.failure ? (
        <p className="mt-3">
          {it.failure.state === "Open" ? "Failing" : "Recovered after failing"} in{" "}
          {plural(it.failure.consecutiveRuns, "run")} in a row ({plural(it.failure.totalFailures, "failed run")} since{" "}
          {formatDateTime(it.failure.firstSeen)}).{" "}
          <Link
            href={`/failures/objects/${it.failure.id}`}
            className="font-medium text-blue-800 underline dark:text-blue-300"
            data-testid="failure-history-link"
          >
            Failure history of this object
          </Link>
        </p>
      ) : null}

      <Heading>Outcomes</Heading>
      {it.outcomes.length ? (
        <ul className="flex flex-wrap gap-1.5">
          {it.outcomes.map((o) => (
            <li key={o.type} className="rounded bg-slate-100 px-2 py-0.5 text-xs dark:bg-slate-800">
              {outcomeLabel(o.type, o.count)}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-700 dark:text-slate-300">Nothing happened to this object.</p>
      )}

      <Heading>Attribute changes</Heading>
      {it.attributeChanges.length ? (
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-xs">
            <caption className="sr-only">{it.errorType ? "Attribute changes attempted" : "Attribute changes"}</caption>
            <TableHead
              className="text-slate-700 dark:text-slate-300"
              cell="py-1 pr-3 last:pr-0"
              columns={["Attribute", "Operation", "Before", "After"]}
            />
            <tbody>
              {it.attributeChanges.map((c, i) => (
                <tr key={i} className="border-t border-slate-200 align-top dark:border-slate-700">
                  <td className="py-1 pr-3 font-mono">{c.attribute}</td>
                  <td className="py-1 pr-3">{c.operation}</td>
                  <td className="break-all py-1 pr-3 font-mono">{c.oldValue ?? "—"}</td>
                  <td className="break-all py-1 font-mono">{c.newValue ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {it.errorType ? (
            <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
              Attempted; the object failed, so they were not applied.
            </p>
          ) : null}
        </div>
      ) : (
        <p className="text-slate-700 dark:text-slate-300">No attribute changed.</p>
      )}

      <Heading>This object in other runs</Heading>
      {it.otherRuns.length ? (
        <ul className="divide-y divide-slate-200 dark:divide-slate-700" data-testid="other-runs">
          {it.otherRuns.map((r) => (
            <li key={r.itemId} className="flex flex-wrap items-center justify-between gap-2 py-1.5">
              <Link
                href={`/activities/${r.activityId}?i.item=${r.itemId}`}
                className="font-medium text-blue-800 hover:underline dark:text-blue-300"
              >
                {r.activityName}
              </Link>
              <span className="text-xs text-slate-700 dark:text-slate-300">
                {formatDateTime(r.processedAt)} · {STATUS_LABELS[r.activityStatus]} ·{" "}
                {r.errorType ? (
                  <span className="font-medium text-red-800 dark:text-red-300">{errorTypeLabel(r.errorType)}</span>
                ) : (
                  changeTypeLabel(r.objectChangeType)
                )}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-700 dark:text-slate-300">Not found in other runs whose items are kept.</p>
      )}
      {it.connectedSystemName ? (
        <p className="mt-4 text-xs text-slate-600 dark:text-slate-400">
          {it.connectedSystemName}
          {it.connectedSystemObjectId ? ` · connector-space object ${it.connectedSystemObjectId}` : ""}
          {it.metaverseObjectId ? ` · metaverse object ${it.metaverseObjectId}` : ""}
        </p>
      ) : null}
    </div>
  );
}
