"use client";
import { buttonClass } from "@/components/ui/Button";
import { endpoints } from "@/lib/client/endpoints";
import { endpointUrl, type QueryInput } from "@/lib/client/http";
import { resolveRange } from "./failure-params";

/** The CSV export of exactly the current filters and sort; a relative range is resolved when clicked. */
export function ExportCsvLink({ query, disabled }: { query: QueryInput; disabled: boolean }) {
  const href = () => endpointUrl(endpoints.exportFailures, { query: resolveRange(query) });
  if (disabled)
    return (
      <span className={buttonClass("secondary", "md", "cursor-not-allowed opacity-50")} aria-disabled="true">
        Export CSV
      </span>
    );
  return (
    <a
      href={href()}
      download
      data-testid="failures-csv"
      className={buttonClass("secondary", "md")}
      onClick={(e) => {
        e.currentTarget.href = href();
      }}
    >
      <svg aria-hidden="true" viewBox="0 0 16 16" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth={2}>
        <path d="M8 2v8M4.5 6.5L8 10l3.5-3.5M3 13h10" />
      </svg>
      Export CSV
    </a>
  );
}
