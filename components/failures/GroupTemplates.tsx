"use client";
import Link from "next/link";
import { formatDateTime, formatInt } from "@/lib/client/format";
import { NO_TEMPLATE } from "@/lib/domain/messages";
import type { FailureGroupList } from "@/lib/api/failures";
import { groupHref } from "./failure-params";
import { TemplateText } from "./TemplateText";
import type { FailureUrl } from "./useFailureUrl";

type Group = FailureGroupList["items"][number];
const plural = (n: number, one: string, many: string) => `${formatInt(n)} ${n === 1 ? one : many}`;

function Seen({ label, iso }: { label: string; iso: string }) {
  return (
    <span>
      {label}{" "}
      <time dateTime={iso} suppressHydrationWarning>
        {formatDateTime(iso)}
      </time>
    </span>
  );
}

/**
 * A group's message templates: what its objects' latest failures say, values set aside, with how
 * many objects fail so, their failures in the range and when the message was first and last seen.
 * Each one lists its objects below (the `template` filter).
 */
export function GroupTemplates({ group: g, state, name }: { group: Group; state: FailureUrl; name: string }) {
  if (g.templates.length === 0) return null;
  const chosen = state.url.template;
  return (
    <div
      className="mt-2 border-l-2 border-slate-300 pl-3 lg:mt-0 dark:border-slate-700"
      data-testid="group-templates"
      aria-label={`Messages of ${name}`}
      role="group"
    >
      <ul className="space-y-1.5">
        {g.templates.map((t) => {
          const current = chosen !== "" && chosen === (t.template ?? NO_TEMPLATE);
          return (
            <li
              key={t.template ?? NO_TEMPLATE}
              className="flex min-w-0 flex-wrap items-baseline gap-x-4 gap-y-0.5 text-sm"
              data-testid="template-row"
            >
              <Link
                href={groupHref(state.url, g, t.template)}
                scroll={false}
                aria-current={current || undefined}
                className={`min-w-0 flex-[1_1_24rem] text-blue-800 hover:underline dark:text-blue-300 ${
                  current ? "font-semibold" : ""
                }`}
                data-testid="template-link"
              >
                <span className="sr-only">Show the objects of {name} whose latest message reads: </span>
                <TemplateText template={t.template} />
              </Link>
              <span className="flex flex-wrap gap-x-3 text-xs text-slate-600 tabular-nums dark:text-slate-400">
                <strong className="font-semibold text-slate-800 dark:text-slate-200" data-testid="template-objects">
                  {plural(t.objects, "object", "objects")}
                </strong>
                <span>{plural(t.failedInRange, "failure", "failures")}</span>
                <Seen label="first seen" iso={t.firstSeen} />
                <Seen label="last seen" iso={t.lastSeen} />
              </span>
            </li>
          );
        })}
      </ul>
      {g.templateCount > g.templates.length ? (
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          and {plural(g.templateCount - g.templates.length, "other message", "other messages")} (fewer objects each)
        </p>
      ) : null}
    </div>
  );
}
