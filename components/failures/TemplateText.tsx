import { templateParts } from "@/lib/domain/messages";

const PLACEHOLDER_CLASS = [
  "rounded bg-slate-200/70 px-1 font-mono text-[0.85em] text-slate-600",
  "dark:bg-slate-700/70 dark:text-slate-300",
].join(" ");

/**
 * A message template as text, its placeholders ({table}, {id}) muted tokens so the words that are
 * the same on every message stand out; null (no template recorded) says so.
 */
export function TemplateText({ template }: { template: string | null }) {
  if (template === null)
    return <span className="italic text-slate-600 dark:text-slate-400">No message, or recorded before templates</span>;
  return (
    <span className="break-words" data-testid="template-text">
      {templateParts(template).map((p, i) =>
        "placeholder" in p ? (
          <span key={i} className={PLACEHOLDER_CLASS} data-placeholder="">
            {`{${p.placeholder}}`}
          </span>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </span>
  );
}
