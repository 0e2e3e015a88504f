"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import type { SavedView } from "@/lib/api/saved-views";
import { ApiError, describeError } from "@/lib/client/http";
import { Button } from "@/components/ui/Button";
import { useSavedViews, viewQueryOf, type SavedViewScope } from "./useSavedViews";

const hrefOf = (pathname: string, query: string) => (query ? `${pathname}?${query}` : pathname);

/**
 * Saved views of any list page: drop in `<SavedViewsMenu scope="Activities" />`. A view is the
 * list's query string (read here from the address bar), so opening one makes the URL the source of
 * truth again. The default view opens when the page is opened without any query.
 */
export function SavedViewsMenu({ scope }: { scope: SavedViewScope }) {
  const pathname = usePathname() ?? "/";
  const searchParams = useSearchParams();
  const router = useRouter();
  const current = viewQueryOf(searchParams?.toString() ?? "");
  const { list, create, update, remove } = useSavedViews(scope);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [asDefault, setAsDefault] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  // The default view, once, when the page was opened without any query.
  const defaultTried = useRef(false);
  const openedBare = useRef<boolean | null>(null);
  useEffect(() => {
    if (openedBare.current === null) openedBare.current = window.location.search === "";
    if (defaultTried.current || !list.data) return;
    defaultTried.current = true;
    const def = list.data.items.find((v) => v.isDefault);
    if (def && openedBare.current && window.location.search === "" && def.query)
      router.replace(hrefOf(pathname, def.query), { scroll: false });
  }, [list.data, pathname, router]);

  // Escape or a click outside closes the panel.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setOpen(false);
        toggle.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  const views = list.data?.items ?? [];
  const say = (text: string, error = false) => setMessage({ text, error });

  const onSave = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return say("Give the view a name.", true);
    if (trimmed.length > 100) return say("Names are limited to 100 characters.", true);
    create.mutate(
      { name: trimmed, query: current, isDefault: asDefault },
      {
        onSuccess: () => {
          setName("");
          setAsDefault(false);
          say(`Saved “${trimmed}”.`);
        },
        onError: (err) =>
          say(
            ApiError.is(err, "CONFLICT")
              ? `A view named “${trimmed}” exists already: choose another name.`
              : `Not saved: ${describeError(err)}`,
            true,
          ),
      },
    );
  };

  const copyLink = async (v: SavedView) => {
    const url = `${window.location.origin}${hrefOf(pathname, v.query)}`;
    try {
      await navigator.clipboard.writeText(url);
      say(`Link to “${v.name}” copied.`);
    } catch {
      say(`Copy this link: ${url}`);
    }
  };

  return (
    <div className="relative" ref={root}>
      <Button
        ref={toggle}
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen((o) => !o)}
        data-testid="saved-views-toggle"
      >
        Saved views{views.length ? ` (${views.length})` : ""}
        <span aria-hidden="true">▾</span>
      </Button>
      {open ? (
        <div
          id={`${id}-panel`}
          role="region"
          aria-label="Saved views"
          className="absolute right-0 z-40 mt-1 w-[min(26rem,calc(100vw-2rem))] rounded-lg border border-slate-300 bg-white p-3 text-sm shadow-xl dark:border-slate-600 dark:bg-slate-900"
        >
          <form onSubmit={onSave} className="space-y-2 border-b border-slate-200 pb-3 dark:border-slate-700">
            <label htmlFor={`${id}-name`} className="block text-xs font-medium text-slate-700 dark:text-slate-300">
              Save the current filters as
            </label>
            <div className="flex gap-2">
              <input
                id={`${id}-name`}
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={100}
                placeholder="e.g. Failed exports"
                className="h-9 min-w-0 flex-1 rounded-md border border-slate-400 bg-white px-2 dark:border-slate-500 dark:bg-slate-900"
              />
              <Button type="submit" variant="primary" disabled={create.isPending}>
                Save
              </Button>
            </div>
            <label className="inline-flex items-center gap-2 text-xs">
              <input
                type="checkbox"
                checked={asDefault}
                onChange={(e) => setAsDefault(e.target.checked)}
                className="h-4 w-4 accent-blue-700"
              />
              Open it when the page is opened without filters (default)
            </label>
          </form>
          {message ? (
            <p
              role={message.error ? "alert" : "status"}
              className={
                "mt-2 break-all text-xs " +
                (message.error ? "text-red-800 dark:text-red-300" : "text-emerald-800 dark:text-emerald-300")
              }
            >
              {message.text}
            </p>
          ) : null}
          {list.isError ? (
            <p role="alert" className="mt-2 text-xs text-red-800 dark:text-red-300">
              Saved views could not be loaded: {describeError(list.error)}
            </p>
          ) : null}
          <ul className="mt-2 max-h-80 space-y-1 overflow-y-auto" aria-label="Your saved views">
            {list.isPending ? <li className="text-slate-600 dark:text-slate-400">Loading…</li> : null}
            {list.data && views.length === 0 ? (
              <li className="text-slate-600 dark:text-slate-400">No saved views yet.</li>
            ) : null}
            {views.map((v) => {
              const isCurrent = viewQueryOf(v.query) === current;
              return (
                <li
                  key={v.id}
                  className="rounded-md px-1 py-1.5 hover:bg-slate-50 dark:hover:bg-slate-800"
                  data-testid="saved-view"
                >
                  <div className="flex items-center gap-2">
                    <button
                      type="button"
                      className="min-w-0 flex-1 truncate text-left font-medium text-blue-800 hover:underline dark:text-blue-300"
                      aria-current={isCurrent ? "true" : undefined}
                      title={v.query || "No filters"}
                      onClick={() => {
                        router.push(hrefOf(pathname, v.query), { scroll: false });
                        setOpen(false);
                      }}
                    >
                      {v.name}
                    </button>
                    {v.isDefault ? (
                      <span className="rounded-full bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-800 dark:bg-slate-700 dark:text-slate-100">
                        Default
                      </span>
                    ) : null}
                    {isCurrent ? <span className="text-xs text-slate-600 dark:text-slate-400">shown</span> : null}
                  </div>
                  <div className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs">
                    <Button variant="ghost" className="text-xs" onClick={() => copyLink(v)}>
                      Copy link<span className="sr-only"> to {v.name}</span>
                    </Button>
                    <Button
                      variant="ghost"
                      className="text-xs"
                      onClick={() =>
                        update.mutate(
                          { id: v.id, isDefault: !v.isDefault },
                          {
                            onSuccess: () =>
                              say(
                                v.isDefault ? `“${v.name}” is no longer the default.` : `“${v.name}” opens by default.`,
                              ),
                            onError: (err) => say(describeError(err), true),
                          },
                        )
                      }
                    >
                      {v.isDefault ? "Unset default" : "Make default"}
                      <span className="sr-only"> ({v.name})</span>
                    </Button>
                    <Button
                      variant="ghost"
                      className="text-xs text-red-800 dark:text-red-300"
                      onClick={() =>
                        remove.mutate(v.id, {
                          onSuccess: () => say(`Deleted “${v.name}”.`),
                          onError: (err) => say(describeError(err), true),
                        })
                      }
                    >
                      Delete<span className="sr-only"> {v.name}</span>
                    </Button>
                  </div>
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
