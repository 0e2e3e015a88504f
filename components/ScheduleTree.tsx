"use client";
import Link from "next/link";
import { useState } from "react";
import type { ActivityTree, ActivityTreeNode } from "@/lib/api/schemas";
import { COUNTER_GROUPS, COUNTER_LABELS } from "@/lib/domain/counters";
import { RUN_TYPE_LABELS, STATUS_LABELS, TARGET_TYPE_LABELS } from "@/lib/client/labels";
import { formatInt } from "@/lib/client/format";
import { StatusIcon } from "@/components/ui/StatusBadge";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { ElapsedDuration } from "@/components/ui/ElapsedDuration";

const STATUS_COLOR: Record<string, string> = {
  InProgress: "text-blue-700 dark:text-blue-300",
  Complete: "text-emerald-700 dark:text-emerald-300",
  CompleteWithWarning: "text-amber-700 dark:text-amber-300",
  CompleteWithError: "text-orange-700 dark:text-orange-300",
  FailedWithError: "text-red-700 dark:text-red-300",
  Cancelled: "text-slate-600 dark:text-slate-400",
};

function Totals({ tree }: { tree: ActivityTree }) {
  const r = tree.rollup;
  const items: [string, number, boolean?][] = [
    ["Steps", tree.nodeCount - 1],
    ["Processed", r.totalObjectsProcessed],
    ["Changed", r.totalObjectChangeCount],
    ["Errors", r.totalObjectErrors, true],
    ["Exported", r.totalExported],
    ["Pending exports", r.totalPendingExports],
  ];
  return (
    <dl
      className="mb-3 grid grid-cols-3 gap-3 rounded-md bg-slate-100 p-3 md:grid-cols-6 dark:bg-slate-900"
      data-testid="tree-rollup"
    >
      {items.map(([label, v, isErr]) => (
        <div key={label}>
          <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
          <dd
            className={"text-lg font-semibold tabular-nums " + (isErr && v > 0 ? "text-red-800 dark:text-red-300" : "")}
          >
            {formatInt(v)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function NodeDetails({ node }: { node: ActivityTreeNode }) {
  const groups = COUNTER_GROUPS.filter((g) => g.key !== "all")
    .map((g) => ({ ...g, fields: g.fields.filter((f) => node.counters[f] > 0) }))
    .filter((g) => g.fields.length);
  if (!groups.length)
    return (
      <p className="py-1 pl-9 text-xs text-slate-600 dark:text-slate-400">
        No operation counters{node.status === "InProgress" ? " yet" : ""}.
      </p>
    );
  return (
    <div className="flex flex-wrap gap-x-6 gap-y-1 py-1 pl-9 text-xs" data-testid="tree-node-details">
      {groups.map((g) => (
        <p key={g.key}>
          <span className="font-semibold">{g.title}:</span>{" "}
          {g.fields.map((f, i) => (
            <span key={f}>
              {i ? ", " : ""}
              {COUNTER_LABELS[f]} <span className="tabular-nums">{formatInt(node.counters[f])}</span>
            </span>
          ))}
        </p>
      ))}
      {node.errorMessage ? <p className="w-full text-red-800 dark:text-red-300">{node.errorMessage}</p> : null}
    </div>
  );
}

/** A schedule node's own counters stay zero: show the sum over its steps. */
function nodeTotals(n: ActivityTreeNode): { processed: number; changes: number; errors: number } {
  if (n.targetType !== "Schedule" || n.children.length === 0)
    return { processed: n.totalObjectsProcessed, changes: n.totalObjectChangeCount, errors: n.totalObjectErrors };
  return n.children
    .map(nodeTotals)
    .reduce(
      (s, t) => ({ processed: s.processed + t.processed, changes: s.changes + t.changes, errors: s.errors + t.errors }),
      {
        processed: 0,
        changes: 0,
        errors: 0,
      },
    );
}

function TreeNode({
  node,
  depth,
  expanded,
  toggle,
}: {
  node: ActivityTreeNode;
  depth: number;
  expanded: Set<string>;
  toggle: (id: string) => void;
}) {
  const open = expanded.has(node.id);
  const running = node.status === "InProgress";
  const panelId = `tree-panel-${node.id}`;
  const totals = nodeTotals(node);
  return (
    <li data-testid="tree-node" data-activity-id={node.id} data-status={node.status}>
      <div
        className="grid min-h-11 grid-cols-[minmax(0,1fr)_8rem_6rem_14rem] items-center gap-3 border-b border-slate-200 py-1 pr-2 text-sm dark:border-slate-800"
        style={{ paddingLeft: depth * 20 }}
      >
        <div className="flex min-w-0 items-center gap-1.5">
          <button
            type="button"
            onClick={() => toggle(node.id)}
            aria-expanded={open}
            aria-controls={panelId}
            className="inline-flex h-7 w-7 shrink-0 items-center justify-center rounded hover:bg-slate-200 dark:hover:bg-slate-800"
            data-testid="tree-toggle"
          >
            <svg
              aria-hidden="true"
              viewBox="0 0 16 16"
              className={"h-4 w-4 transition-transform " + (open ? "rotate-90" : "")}
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
            >
              <path d="M6 3l5 5-5 5" />
            </svg>
            <span className="sr-only">
              {open ? "Collapse" : "Expand"} {node.name}
            </span>
          </button>
          <span className={STATUS_COLOR[node.status]} title={STATUS_LABELS[node.status]}>
            <StatusIcon status={node.status} />
            <span className="sr-only">{STATUS_LABELS[node.status]}</span>
          </span>
          <Link
            href={`/activities/${node.id}`}
            className="truncate font-medium text-blue-800 hover:underline dark:text-blue-300"
            title={node.name}
          >
            {node.name}
          </Link>
        </div>
        <span className="truncate text-slate-700 dark:text-slate-300">
          {node.runType ? RUN_TYPE_LABELS[node.runType] : TARGET_TYPE_LABELS[node.targetType]}
        </span>
        <span className="text-right text-slate-700 dark:text-slate-300">
          <ElapsedDuration
            started={node.started}
            ended={node.ended}
            durationMs={node.executionTimeMs}
            running={running}
          />
        </span>
        {running && node.progress.objectsToProcess ? (
          <ProgressBar
            size="sm"
            processed={node.progress.objectsProcessed}
            total={node.progress.objectsToProcess}
            label={`Progress of ${node.name}`}
          />
        ) : (
          <span className="text-right text-xs tabular-nums text-slate-700 dark:text-slate-300">
            <abbr title="processed" className="no-underline">
              {formatInt(totals.processed)} proc
            </abbr>{" "}
            ·{" "}
            <abbr title="changed" className="no-underline">
              {formatInt(totals.changes)} chg
            </abbr>{" "}
            ·{" "}
            <abbr
              title="errors"
              className={"no-underline " + (totals.errors ? "font-semibold text-red-800 dark:text-red-300" : "")}
            >
              {formatInt(totals.errors)} err
            </abbr>
          </span>
        )}
      </div>
      <div id={panelId} hidden={!open}>
        {open ? (
          <>
            {node.targetType === "ConnectedSystemRunProfile" ? <NodeDetails node={node} /> : null}
            {node.children.length ? (
              <ul>
                {node.children.map((c) => (
                  <TreeNode key={c.id} node={c} depth={depth + 1} expanded={expanded} toggle={toggle} />
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
      </div>
    </li>
  );
}

export function ScheduleTree({ tree }: { tree: ActivityTree }) {
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set([tree.root.id]));
  const toggle = (id: string) =>
    setExpanded((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  return (
    <div data-testid="schedule-tree">
      <Totals tree={tree} />
      <div className="mb-1 flex gap-2 text-xs">
        <button
          type="button"
          className="text-blue-800 underline dark:text-blue-300"
          onClick={() => {
            const all = new Set<string>();
            const walk = (n: ActivityTreeNode) => {
              all.add(n.id);
              n.children.forEach(walk);
            };
            walk(tree.root);
            setExpanded(all);
          }}
        >
          Expand all
        </button>
        <button
          type="button"
          className="text-blue-800 underline dark:text-blue-300"
          onClick={() => setExpanded(new Set())}
        >
          Collapse all
        </button>
      </div>
      <ul aria-label="Schedule steps" className="rounded-md border border-slate-200 dark:border-slate-800">
        <TreeNode node={tree.root} depth={0} expanded={expanded} toggle={toggle} />
      </ul>
    </div>
  );
}
