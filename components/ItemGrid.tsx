"use client";
import { useMemo, useRef } from "react";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import type { ExecutionItemSummary } from "@/lib/api/schemas";
import { ERROR_TYPE_INFO, ERROR_TYPES, OBJECT_CHANGE_TYPES, type ErrorType } from "@/lib/domain/enums";
import { describeError, toQueryString, type QueryValue } from "@/lib/client/api";
import { useItems } from "@/lib/client/queries";
import { useUrlParams, type ParamPatch } from "@/lib/client/url-state";
import { formatInt } from "@/lib/client/format";
import { Pagination } from "@/components/ui/Pagination";
import { ErrorBanner } from "@/components/ui/ErrorBanner";
import { SkeletonBar } from "@/components/ui/Skeleton";
import { ItemDrawer } from "./ItemDrawer";
import { inputClass } from "./FilterBar";
import { useDebouncedInput } from "@/components/ui/useDebounced";
import { SortHeaderButton } from "@/components/ui/SortHeaderButton";

const SORTS = [
  "sequence",
  "displayName",
  "externalIdValue",
  "objectChangeType",
  "errorType",
  "connectedSystemObjectType",
] as const;
const col = createColumnHelper<ExecutionItemSummary>();

/** Reads the grid's own URL parameters (prefixed "item") into API query values. */
export function readItemState(get: (k: string) => string | undefined) {
  const n = Number.parseInt(get("itemPage") ?? "", 10);
  const ps = Number.parseInt(get("itemPageSize") ?? "", 10);
  const sort = get("itemSort");
  const list = (k: string) => (get(k) ?? "").split(",").filter(Boolean);
  return {
    page: Number.isFinite(n) && n > 0 ? n : 1,
    pageSize: [25, 50, 100].includes(ps) ? ps : 25,
    errorType: list("itemErrorType").filter(
      (t) => t === "any" || t === "none" || (ERROR_TYPES as readonly string[]).includes(t),
    ),
    changeType: list("itemChangeType").filter((t) => (OBJECT_CHANGE_TYPES as readonly string[]).includes(t)),
    objectType: list("itemObjectType"),
    search: get("itemSearch") ?? "",
    sort: (SORTS as readonly string[]).includes(sort ?? "") ? (sort as (typeof SORTS)[number]) : "sequence",
    order: get("itemOrder") === "desc" ? ("desc" as const) : ("asc" as const),
  };
}
export type ItemState = ReturnType<typeof readItemState>;

export function itemFilterParams(s: ItemState): Record<string, QueryValue> {
  return {
    errorType: s.errorType,
    changeType: s.changeType,
    objectType: s.objectType,
    search: s.search.trim() || undefined,
    sort: s.sort === "sequence" ? undefined : s.sort,
    order: s.sort === "sequence" && s.order === "asc" ? undefined : s.order,
  };
}

const COLUMN_SORT: Record<string, string> = {
  displayName: "displayName",
  externalIdValue: "externalIdValue",
  connectedSystemObjectType: "connectedSystemObjectType",
  objectChangeType: "objectChangeType",
  errorType: "errorType",
};

function Chip({
  on,
  onClick,
  children,
  testId,
  title,
}: {
  on: boolean;
  onClick: () => void;
  children: React.ReactNode;
  testId?: string;
  title?: string;
}) {
  return (
    <button
      type="button"
      aria-pressed={on}
      onClick={onClick}
      data-testid={testId}
      title={title}
      className={
        "inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs font-medium " +
        (on
          ? "border-blue-700 bg-blue-700 text-white dark:border-blue-300 dark:bg-blue-300 dark:text-slate-950"
          : "border-slate-400 bg-white text-slate-800 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800")
      }
    >
      {children}
    </button>
  );
}

export function ItemGrid({ activityId, version }: { activityId: string; version: number | undefined }) {
  const { get, update } = useUrlParams();
  const state = readItemState(get);
  const openItemId = get("item");
  const filters = itemFilterParams(state);
  const apiParams = useMemo(
    () => ({ ...filters, page: state.page, pageSize: state.pageSize }),
    [JSON.stringify(filters), state.page, state.pageSize],
  ); // eslint-disable-line react-hooks/exhaustive-deps
  const query = useItems(activityId, apiParams, version, true);
  // the drawer opens through the URL (?item=), so remember which row's button opened it
  const opener = useRef<HTMLElement | null>(null);
  const data = query.data;
  const set = (patch: ParamPatch, mode: "push" | "replace" = "push") => update({ ...patch, itemPage: null }, mode);
  const [search, setSearch] = useDebouncedInput(state.search, (v) => set({ itemSearch: v }, "replace"));

  const facets = data?.facets;
  const anyCount = facets
    ? Object.entries(facets.errorTypes)
        .filter(([k]) => k !== "none")
        .reduce((s, [, v]) => s + v, 0)
    : undefined;
  const toggleError = (t: string) => {
    if (t === "any" || t === "none")
      return set({ itemErrorType: state.errorType.length === 1 && state.errorType[0] === t ? null : t });
    const cur = state.errorType.filter((x) => x !== "any" && x !== "none");
    const next = cur.includes(t) ? cur.filter((x) => x !== t) : [...cur, t];
    set({ itemErrorType: next });
  };
  const errorsOnly = state.errorType.length === 1 && state.errorType[0] === "any";
  const toggleList = (key: "itemChangeType" | "itemObjectType", cur: string[], v: string) =>
    set({ [key]: cur.includes(v) ? cur.filter((x) => x !== v) : [...cur, v] });

  const columns = useMemo(
    () => [
      col.accessor("displayName", {
        id: "displayName",
        header: "Display name",
        cell: (c) => (
          <button
            type="button"
            className="block max-w-full truncate text-left font-medium text-blue-800 hover:underline dark:text-blue-300"
            onClick={(e) => {
              e.stopPropagation();
              opener.current = e.currentTarget;
              update({ item: c.row.original.id });
            }}
            title={c.getValue() ?? undefined}
          >
            {c.getValue() ?? <span className="italic">(no name)</span>}
          </button>
        ),
      }),
      col.accessor("externalIdValue", {
        id: "externalIdValue",
        header: "External id",
        cell: (c) => (
          <span className="block truncate font-mono text-xs" title={c.getValue() ?? undefined}>
            {c.getValue() ?? "—"}
          </span>
        ),
      }),
      col.accessor("connectedSystemObjectType", {
        id: "connectedSystemObjectType",
        header: "Object type",
        cell: (c) => c.getValue() ?? "—",
      }),
      col.accessor("objectChangeType", { id: "objectChangeType", header: "Change", cell: (c) => c.getValue() }),
      col.accessor("errorType", {
        id: "errorType",
        header: "Error type",
        cell: (c) => {
          const v = c.getValue();
          return v ? (
            <span
              className="block truncate font-medium text-red-800 dark:text-red-300"
              title={ERROR_TYPE_INFO[v].meaning}
            >
              {v}
            </span>
          ) : (
            <span className="text-slate-600 dark:text-slate-400">—</span>
          );
        },
      }),
      col.accessor("errorMessage", {
        id: "errorMessage",
        header: "Error message",
        cell: (c) => (
          <span className="line-clamp-2 break-words text-xs" title={c.getValue() ?? undefined}>
            {c.getValue() ?? ""}
          </span>
        ),
      }),
      col.accessor("outcomeSummary", {
        id: "outcomeSummary",
        header: "Outcomes",
        cell: (c) => (
          <span className="line-clamp-2 break-words font-mono text-xs" title={c.getValue() ?? undefined}>
            {(c.getValue() ?? "").replaceAll(",", ", ")}
          </span>
        ),
      }),
    ],
    [update],
  );
  const table = useReactTable({
    data: data?.items ?? [],
    columns,
    getRowId: (r) => r.id,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
  });
  const WIDTH: Record<string, string> = {
    displayName: "w-[16%]",
    externalIdValue: "w-[14%]",
    connectedSystemObjectType: "w-[7rem]",
    objectChangeType: "w-[6.5rem]",
    errorType: "w-[13rem]",
    errorMessage: "w-[22%]",
    outcomeSummary: "w-[18%]",
  };
  const csvHref = `/api/v1/activities/${activityId}/items.csv${toQueryString(filters)}`;

  return (
    <div data-testid="item-grid">
      <div className="mb-3 space-y-3">
        <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Filter by error type">
          <span className="mr-1 text-xs font-medium text-slate-700 dark:text-slate-300">Error type</span>
          <Chip on={state.errorType.length === 0} onClick={() => set({ itemErrorType: null })} testId="chip-all">
            All
          </Chip>
          <Chip on={errorsOnly} onClick={() => toggleError("any")} testId="chip-any">
            Any error <span className="tabular-nums">({formatInt(anyCount)})</span>
          </Chip>
          <Chip
            on={state.errorType.length === 1 && state.errorType[0] === "none"}
            onClick={() => toggleError("none")}
            testId="chip-none"
          >
            No error{" "}
            <span className="tabular-nums">({formatInt(facets?.errorTypes.none ?? (facets ? 0 : undefined))})</span>
          </Chip>
          {ERROR_TYPES.filter((t) => (facets?.errorTypes[t] ?? 0) > 0 || state.errorType.includes(t)).map((t) => (
            <Chip
              key={t}
              on={state.errorType.includes(t)}
              onClick={() => toggleError(t)}
              testId={`chip-${t}`}
              title={ERROR_TYPE_INFO[t as ErrorType].meaning}
            >
              {t} <span className="tabular-nums">({formatInt(facets?.errorTypes[t] ?? 0)})</span>
            </Chip>
          ))}
        </div>
        <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Filter by change type">
          <span className="mr-1 text-xs font-medium text-slate-700 dark:text-slate-300">Change</span>
          {OBJECT_CHANGE_TYPES.filter((t) => (facets?.changeTypes[t] ?? 0) > 0 || state.changeType.includes(t)).map(
            (t) => (
              <Chip
                key={t}
                on={state.changeType.includes(t)}
                onClick={() => toggleList("itemChangeType", state.changeType, t)}
                testId={`chip-change-${t}`}
              >
                {t} <span className="tabular-nums">({formatInt(facets?.changeTypes[t] ?? 0)})</span>
              </Chip>
            ),
          )}
          <span className="ml-3 mr-1 text-xs font-medium text-slate-700 dark:text-slate-300">Object type</span>
          {Object.keys(facets?.objectTypes ?? {})
            .concat(state.objectType.filter((t) => !(t in (facets?.objectTypes ?? {}))))
            .map((t) => (
              <Chip
                key={t}
                on={state.objectType.includes(t)}
                onClick={() => toggleList("itemObjectType", state.objectType, t)}
              >
                {t} <span className="tabular-nums">({formatInt(facets?.objectTypes[t] ?? 0)})</span>
              </Chip>
            ))}
        </div>
        <div className="flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor="item-search" className="mb-1 block text-xs font-medium text-slate-700 dark:text-slate-300">
              Search display name or external id
            </label>
            <input
              id="item-search"
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              className={inputClass + " w-72"}
            />
          </div>
          <label className="inline-flex h-9 items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={errorsOnly}
              onChange={(e) => set({ itemErrorType: e.target.checked ? "any" : null })}
              className="h-4 w-4 accent-blue-700"
            />
            Errors only
          </label>
          <div>
            <label htmlFor="item-sort" className="mb-1 block text-xs font-medium text-slate-700 dark:text-slate-300">
              Sort by
            </label>
            <select
              id="item-sort"
              value={`${state.sort}:${state.order}`}
              onChange={(e) => {
                const [s, o] = e.target.value.split(":");
                set({ itemSort: s === "sequence" ? null : s, itemOrder: o === "asc" ? null : o });
              }}
              className={inputClass}
            >
              <option value="sequence:asc">Processing order</option>
              <option value="displayName:asc">Display name A–Z</option>
              <option value="displayName:desc">Display name Z–A</option>
              <option value="externalIdValue:asc">External id</option>
              <option value="errorType:asc">Error type</option>
              <option value="objectChangeType:asc">Change type</option>
              <option value="connectedSystemObjectType:asc">Object type</option>
            </select>
          </div>
          <a
            href={csvHref}
            download
            data-testid="export-csv"
            className="ml-auto inline-flex h-9 items-center rounded-md border border-slate-300 px-3 text-sm font-medium text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800"
          >
            Export CSV{data ? ` (${formatInt(data.totalCount)} rows)` : ""}
          </a>
        </div>
      </div>
      {query.isError ? (
        <ErrorBanner
          title={
            data
              ? "Cannot refresh the execution items — showing the last data received"
              : "The execution items could not be loaded"
          }
        >
          {describeError(query.error)}
        </ErrorBanner>
      ) : null}
      <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
        <table
          className="w-full min-w-[1000px] table-fixed border-collapse text-sm"
          aria-busy={query.isFetching || undefined}
        >
          <caption className="sr-only">Execution items</caption>
          <thead className="bg-slate-100 text-left text-xs uppercase tracking-wide text-slate-700 dark:bg-slate-900 dark:text-slate-300">
            <tr>
              {table.getFlatHeaders().map((h) => {
                const sortKey = COLUMN_SORT[h.column.id];
                const active = sortKey && state.sort === sortKey;
                return (
                  <th
                    key={h.id}
                    scope="col"
                    className={`${WIDTH[h.column.id] ?? ""} px-3 py-2 font-semibold`}
                    aria-sort={active ? (state.order === "asc" ? "ascending" : "descending") : undefined}
                  >
                    {sortKey ? (
                      <SortHeaderButton
                        dir={active ? state.order : false}
                        onClick={() =>
                          set({ itemSort: sortKey, itemOrder: active && state.order === "asc" ? "desc" : null })
                        }
                      >
                        {flexRender(h.column.columnDef.header, h.getContext())}
                      </SortHeaderButton>
                    ) : (
                      flexRender(h.column.columnDef.header, h.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {!data && query.isPending
              ? Array.from({ length: 8 }, (_, i) => (
                  <tr key={i} className="h-12 border-t border-slate-200 dark:border-slate-800">
                    {columns.map((_, j) => (
                      <td key={j} className="px-3">
                        <SkeletonBar className="h-3.5 w-4/5" />
                      </td>
                    ))}
                  </tr>
                ))
              : table.getRowModel().rows.map((r) => (
                  <tr
                    key={r.id}
                    data-testid="item-row"
                    data-error-type={r.original.errorType ?? "none"}
                    onClick={(e) => {
                      opener.current = e.currentTarget.querySelector("button");
                      update({ item: r.original.id });
                    }}
                    className="h-12 cursor-pointer border-t border-slate-200 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-900/60"
                  >
                    {r.getVisibleCells().map((c) => (
                      <td key={c.id} className="px-3 py-1 align-middle">
                        {flexRender(c.column.columnDef.cell, c.getContext())}
                      </td>
                    ))}
                  </tr>
                ))}
          </tbody>
        </table>
        {data && data.totalCount === 0 ? (
          <p className="p-8 text-center text-sm text-slate-600 dark:text-slate-400" data-testid="items-empty">
            No execution items match these filters.
          </p>
        ) : null}
      </div>
      {data ? (
        <Pagination
          label="Execution item pages"
          idPrefix="items"
          page={state.page}
          pageSize={state.pageSize}
          totalCount={data.totalCount}
          totalCountCapped={data.totalCountCapped}
          hasNextPage={data.hasNextPage}
          onPage={(p) => update({ itemPage: p > 1 ? p : null })}
          onPageSize={(s) => update({ itemPageSize: s === 25 ? null : s, itemPage: null })}
        />
      ) : null}
      <ItemDrawer
        activityId={activityId}
        itemId={openItemId}
        onClose={() => update({ item: null }, "replace")}
        returnFocusTo={opener}
      />
    </div>
  );
}
