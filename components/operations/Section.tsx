import type { ReactNode } from "react";
import { formatInt } from "@/lib/client/format";

export function Section({
  title,
  count,
  children,
  testId,
  action,
}: {
  title: string;
  count?: number;
  children: ReactNode;
  testId?: string;
  action?: ReactNode;
}) {
  const id = `section-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="mb-8" data-testid={testId}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id={id} className="text-lg font-semibold">
          {title}
          {count !== undefined ? (
            <span className="ml-2 text-sm font-normal text-slate-600 dark:text-slate-400">({formatInt(count)})</span>
          ) : null}
        </h2>
        {action}
      </div>
      {children}
    </section>
  );
}
