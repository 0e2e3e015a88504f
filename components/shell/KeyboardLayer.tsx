"use client";
import { useEffect, useState } from "react";
import { Modal } from "@/components/ui/Modal";
import { isTypingTarget, usePageShortcuts, type Shortcut } from "@/components/ui/shortcuts";

const EVERYWHERE: Shortcut[] = [
  { keys: ["?"], description: "Show this list of shortcuts" },
  { keys: ["/"], description: "Go to the search field of the page" },
  { keys: ["Esc"], description: "Close the dialog or the drawer" },
  { keys: ["Tab"], description: "From the top of the page: skip links to the content and to each table" },
];

const isShown = (el: Element) => el.getClientRects().length > 0 && !el.closest("[inert]");

/** The rows J and K move through: every table's rows, in page order. */
function pageRows(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>("main [data-keyboard-rows] [data-row]")).filter(isShown);
}

/** What a row's J/K stop focuses: its `[data-row-primary]`, else its first link or button. */
function rowTarget(row: HTMLElement): HTMLElement | null {
  return (
    row.querySelector<HTMLElement>("[data-row-primary]") ??
    row.querySelector<HTMLElement>("a[href], button:not([disabled])")
  );
}

/** J: the first row after the focus (or the next row); K: the last row before it. */
function moveToRow(delta: 1 | -1): boolean {
  const rows = pageRows();
  if (!rows.length) return false;
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const here = active && active !== document.body ? rows.findIndex((r) => r.contains(active)) : -1;
  let index: number;
  if (here >= 0) index = here + delta;
  else if (!active || active === document.body) index = delta > 0 ? 0 : rows.length - 1;
  else {
    // the first row that follows the focus in the page (J), or the last one before it (K)
    const after = rows.findIndex((r) => !!(active.compareDocumentPosition(r) & Node.DOCUMENT_POSITION_FOLLOWING));
    index = delta > 0 ? (after < 0 ? rows.length - 1 : after) : (after < 0 ? rows.length : after) - 1;
  }
  const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
  const target = row ? rowTarget(row) : null;
  if (!target) return false;
  target.focus();
  target.scrollIntoView({ block: "nearest" });
  return true;
}

function focusSearch(): boolean {
  const field = Array.from(
    document.querySelectorAll<HTMLInputElement>("main [data-shortcut-search], main input[type=search]"),
  ).find(isShown);
  if (!field) return false;
  field.focus();
  field.select?.();
  return true;
}

function Keys({ keys }: { keys: string[] }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      {keys.map((k) => (
        <kbd
          key={k}
          className="rounded border border-slate-300 bg-slate-100 px-1.5 py-0.5 font-mono text-xs dark:border-slate-600 dark:bg-slate-800"
        >
          {k}
        </kbd>
      ))}
    </span>
  );
}

function ShortcutTable({ title, shortcuts }: { title: string; shortcuts: Shortcut[] }) {
  return (
    <table className="mt-3 w-full text-left text-sm">
      <caption className="mb-1 text-left text-xs font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-300">
        {title}
      </caption>
      <tbody>
        {shortcuts.map((s) => (
          <tr key={`${s.keys.join("+")}|${s.description}`} className="border-t border-slate-200 dark:border-slate-700">
            <th scope="row" className="w-24 py-1.5 pr-3 align-top font-normal">
              <Keys keys={s.keys} />
            </th>
            <td className="py-1.5">{s.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The keyboard everywhere: `?` lists the shortcuts (those of every page, and those the mounted
 * components declared), `/` goes to the page's search field, J and K move between the rows of the
 * page's tables (Enter then opens the row's link). Keys typed into a field, with a modifier, or
 * while a dialog is open are left alone.
 */
export function KeyboardLayer() {
  const [open, setOpen] = useState(false);
  const pageShortcuts = usePageShortcuts();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      if (document.querySelector("dialog[open]")) return;
      let handled = false;
      if (e.key === "?") {
        setOpen(true);
        handled = true;
      } else if (e.key === "/") handled = focusSearch();
      else if (e.key === "j" || e.key === "J") handled = moveToRow(1);
      else if (e.key === "k" || e.key === "K") handled = moveToRow(-1);
      if (handled) e.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  return (
    <Modal open={open} onClose={() => setOpen(false)} labelledBy="shortcuts-title" testId="shortcuts-dialog">
      <div className="p-5">
        <div className="flex items-start justify-between gap-3">
          <h2 id="shortcuts-title" className="text-lg font-semibold">
            Keyboard shortcuts
          </h2>
          <button
            type="button"
            onClick={() => setOpen(false)}
            className="rounded px-2 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
            aria-label="Close the list of shortcuts"
          >
            ✕
          </button>
        </div>
        {pageShortcuts.length ? <ShortcutTable title="On this page" shortcuts={pageShortcuts} /> : null}
        <ShortcutTable title="Everywhere" shortcuts={EVERYWHERE} />
      </div>
    </Modal>
  );
}
