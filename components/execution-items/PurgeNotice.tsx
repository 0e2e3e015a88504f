import Link from "next/link";
import { ApiError } from "@/lib/client/http";
import { formatDateTime, formatInt } from "@/lib/client/format";
import type { ExecutionItemList } from "@/lib/api/items";

export interface PurgeInfo {
  message: string;
  purgedAt: string | null;
  keepItemRuns: number | null;
}

/** The items route's 410 GONE answer, read as what was purged and why. */
export function purgeInfo(e: unknown): PurgeInfo | null {
  if (!ApiError.is(e, "GONE")) return null;
  const d = (e.details ?? {}) as { purgedAt?: unknown; keepItemRuns?: unknown };
  return {
    message: e.message,
    purgedAt: typeof d.purgedAt === "string" ? d.purgedAt : null,
    keepItemRuns: typeof d.keepItemRuns === "number" ? d.keepItemRuns : null,
  };
}

/** The link from a purge notice to the run's failed objects on Failures, where their history is kept. */
function FailuresOfRunLink({ href }: { href: string }) {
  return (
    <Link
      href={href}
      className="font-medium text-blue-800 underline dark:text-blue-300"
      data-testid="purge-notice-failures"
    >
      Their failure history is on Failures
    </Link>
  );
}

/**
 * "Items of this run were purged on … (kept for the last N runs of each run profile)": never "no
 * errors". `failuresHref`: the run had failed objects, and their failure history outlives its items.
 */
export function PurgeNotice({
  info,
  purgedAt,
  failuresHref,
}: {
  info: PurgeInfo | null;
  purgedAt: string | null;
  failuresHref: string | null;
}) {
  const when = info?.purgedAt ?? purgedAt;
  const sentence =
    info?.keepItemRuns != null
      ? `Items of this run were purged on ${formatDateTime(when)} (kept for the last ${info.keepItemRuns} runs of each run profile).`
      : (info?.message ?? `Items of this run were purged on ${formatDateTime(when)}.`);
  return (
    <div
      role="note"
      data-testid="purge-notice"
      className="rounded-md border border-slate-300 bg-slate-50 px-4 py-3 text-sm text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
    >
      <p className="font-semibold">{sentence}</p>
      <p className="mt-1 text-slate-700 dark:text-slate-300">
        The per-object results are gone; the counters and the errors by type above were recorded when the run ended and
        are still true. {failuresHref ? <FailuresOfRunLink href={failuresHref} /> : null}
      </p>
    </div>
  );
}

/** A run whose failed items outlived the others: says what the grid below covers, and until when. */
export function FailedKeptNotice({
  retention: r,
  failuresHref,
}: {
  retention: ExecutionItemList["retention"];
  failuresHref: string | null;
}) {
  return (
    <div
      role="note"
      data-testid="purge-notice"
      data-kept="Failed"
      className="mb-3 rounded-md border border-slate-300 bg-slate-50 px-4 py-2 text-sm text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
    >
      <p>
        <span className="font-semibold">
          Items without an error were purged on {formatDateTime(r.purgedAt)} (kept for the last {r.keepItemRuns} runs of
          each run profile).
        </span>{" "}
        The {formatInt(r.keptItems)} failed {r.keptItems === 1 ? "item is" : "items are"} kept with the run
        {r.failedItemsKeptUntil ? ` until ${formatDateTime(r.failedItemsKeptUntil)}` : ""}.{" "}
        {failuresHref ? <FailuresOfRunLink href={failuresHref} /> : null}
      </p>
    </div>
  );
}
