import type { ErrorType } from "@/lib/domain/enums";
import { errorTypeHelp, errorTypeLabel } from "@/lib/client/error-types";

/** An error type in plain words, optionally with its one-line meaning under it. */
export function ErrorTypeText({ type, withMeaning = false }: { type: ErrorType; withMeaning?: boolean }) {
  return (
    <span className="block" data-error-type={type}>
      <span className="font-medium">{errorTypeLabel(type)}</span>
      {withMeaning ? (
        <span className="block text-xs text-slate-600 dark:text-slate-400">{errorTypeHelp(type).meaning}</span>
      ) : null}
    </span>
  );
}
