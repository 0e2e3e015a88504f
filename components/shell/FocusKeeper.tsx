"use client";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

/** What identifies a control across a re-render that replaced its element. */
function fingerprint(el: HTMLElement): string | null {
  if (el.id) return `#${el.id}`;
  const key = el.getAttribute("data-focus-key");
  if (key) return `[data-focus-key="${CSS.escape(key)}"]`;
  const testId = el.getAttribute("data-testid");
  const name = el.getAttribute("name");
  if (testId) return `${el.tagName.toLowerCase()}[data-testid="${CSS.escape(testId)}"]`;
  if (name) return `${el.tagName.toLowerCase()}[name="${CSS.escape(name)}"]`;
  return null;
}

const label = (el: Element) => (el.getAttribute("aria-label") ?? el.textContent ?? "").trim();
const isShown = (el: Element) => el.getClientRects().length > 0 && !el.closest("[inert]");

/** The same control in the new page: same id / key / test id (and the same text when the test id is shared). */
function findAgain(selector: string | null, text: string, tag: string): HTMLElement | null {
  if (selector) {
    const found = Array.from(document.querySelectorAll<HTMLElement>(selector)).filter(isShown);
    if (found.length === 1 && selector.startsWith("#")) return found[0];
    const sameText = found.find((el) => label(el) === text);
    if (sameText) return sameText;
    if (found.length === 1 && !selector.includes("data-testid")) return found[0];
  }
  if (!text) return null;
  return (
    Array.from(document.querySelectorAll<HTMLElement>(`main ${tag}`)).find((el) => isShown(el) && label(el) === text) ??
    null
  );
}

/**
 * Focus lands where the person acted. When a filter change (or any re-render) removes the focused
 * control — a quick filter redrawn as a chip, "Show them" that goes once the steps are shown — focus
 * moves to the same control drawn again, else to the region that follows where it was (a table's
 * region, `[data-focus-fallback]`), else to the main content; never to the top of the document.
 * After a page change focus goes to the main content, so the next Tab or J starts there.
 */
export function FocusKeeper() {
  const pathname = usePathname();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const main = document.getElementById("main");
    if (main && !main.contains(document.activeElement)) main.focus({ preventScroll: true });
  }, [pathname]);

  useEffect(() => {
    let last: {
      el: HTMLElement;
      selector: string | null;
      text: string;
      tag: string;
      path: string;
      fallback: HTMLElement | null;
    } | null = null;
    const onFocusIn = (e: FocusEvent) => {
      const el = e.target;
      if (!(el instanceof HTMLElement) || el === document.body || !el.closest("main")) return;
      const regions = Array.from(document.querySelectorAll<HTMLElement>("main [data-focus-fallback]"));
      const fallback =
        regions.find((r) => r !== el && !!(el.compareDocumentPosition(r) & Node.DOCUMENT_POSITION_FOLLOWING)) ??
        regions.filter((r) => r !== el && !r.contains(el)).at(-1) ??
        null;
      last = {
        el,
        selector: fingerprint(el),
        text: label(el),
        tag: el.tagName.toLowerCase(),
        path: location.pathname,
        fallback,
      };
    };
    // A blur (focus went elsewhere, or the person clicked away) forgets the control: only a control
    // removed while focused is looked for again. Else a later re-render (the list redrawn as cards
    // at a narrower width, a live update) moved focus back to a control the person had left.
    const onFocusOut = (e: FocusEvent) => {
      const el = e.target;
      queueMicrotask(() => {
        if (last?.el === el && last.el.isConnected && document.activeElement !== last.el) last = null;
      });
    };
    let scheduled = false;
    const check = () => {
      scheduled = false;
      const lost = last;
      if (!lost || lost.el.isConnected) return;
      const active = document.activeElement;
      if (active && active !== document.body && active.isConnected) return;
      if (lost.path !== location.pathname) return; // a page change: the effect above handles it
      const again = findAgain(lost.selector, lost.text, lost.tag);
      if (again) {
        again.focus({ preventScroll: true });
        return;
      }
      const region =
        (lost.fallback?.isConnected && isShown(lost.fallback) ? lost.fallback : null) ??
        Array.from(document.querySelectorAll<HTMLElement>("main [data-focus-fallback]")).find(isShown) ??
        document.getElementById("main");
      region?.focus();
    };
    const observer = new MutationObserver(() => {
      if (scheduled || !last || last.el.isConnected) return;
      scheduled = true;
      // after React has committed the rest of the update (the control may come back)
      requestAnimationFrame(check);
    });
    observer.observe(document.body, { childList: true, subtree: true });
    document.addEventListener("focusin", onFocusIn);
    document.addEventListener("focusout", onFocusOut);
    return () => {
      observer.disconnect();
      document.removeEventListener("focusin", onFocusIn);
      document.removeEventListener("focusout", onFocusOut);
    };
  }, []);
  return null;
}
