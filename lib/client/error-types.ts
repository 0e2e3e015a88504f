/**
 * Plain words for what a run recorded: error types (what each means and what usually fixes it),
 * outcomes ("Exported" rather than "Exported:1"), change types, and counted nouns ("1 error").
 */
import { ERROR_TYPE_INFO, ERROR_TYPES, type ErrorType, type ObjectChangeType } from "@/lib/domain/enums";
import { formatInt, humanise } from "./format";

export const isErrorType = (v: string): v is ErrorType => (ERROR_TYPES as readonly string[]).includes(v);

/** "Missing external id"; unknown values are spaced out rather than shown raw. */
export function errorTypeLabel(t: string): string {
  return isErrorType(t) ? ERROR_TYPE_INFO[t].label : humanise(t);
}

/** What the error type means and what usually fixes it, one line each. */
export function errorTypeHelp(t: string): { meaning: string; usualFix: string } {
  return isErrorType(t)
    ? ERROR_TYPE_INFO[t]
    : { meaning: "An error the dashboard has no description for.", usualFix: "Read the error detail of an item." };
}

/** "1 error", "12 errors", "1,204 objects"; irregular plurals passed explicitly. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatInt(n)} ${n === 1 ? one : many}`;
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
}

const OUTCOME_WORDS: Record<string, string> = {
  AttributeFlow: "Attribute flow",
  DisconnectedOutOfScope: "Disconnected (out of scope)",
  OutOfScopeRetainJoin: "Out of scope, join kept",
  DriftCorrection: "Drift corrected",
  PendingExportCreated: "Pending export created",
  PendingExportConfirmed: "Pending export confirmed",
  ExportRetrying: "Export retrying",
  ExportFailed: "Export failed",
};

/** One outcome: "Exported", or "Attribute flow ×12" when it happened more than once. */
export function outcomeLabel(type: string, count = 1): string {
  const word = OUTCOME_WORDS[type] ?? humanise(type);
  return count > 1 ? `${word} ×${formatInt(count)}` : word;
}

/** An item's outcomeSummary ("Projected:1,AttributeFlow:12") in words: ["Projected", "Attribute flow ×12"]. */
export function outcomeLabels(summary: string | null | undefined): string[] {
  if (!summary) return [];
  return summary
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [type, raw] = part.split(":");
      const n = Number.parseInt(raw ?? "1", 10);
      return outcomeLabel(type, Number.isFinite(n) ? n : 1);
    });
}

export const CHANGE_TYPE_LABELS: Record<ObjectChangeType, string> = {
  Add: "Added",
  Update: "Updated",
  Delete: "Deleted",
  Disconnect: "Disconnected",
};

export function changeTypeLabel(c: string): string {
  return (CHANGE_TYPE_LABELS as Record<string, string>)[c] ?? humanise(c);
}
