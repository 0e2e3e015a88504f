"use client";
/**
 * The keyboard shortcuts a page offers, as the `?` dialog lists them (components/shell/KeyboardLayer).
 * Components declare what they add while they are mounted; the handlers live with the components
 * (or, for the generic ones — `?`, `/`, J, K — in the keyboard layer).
 */
import { useEffect, useId, useSyncExternalStore } from "react";

export interface Shortcut {
  /** Keys as written on the keyboard: ["J"], ["Shift", "?"]; alternatives are separate entries. */
  keys: string[];
  description: string;
}

const registered = new Map<string, Shortcut[]>();
const listeners = new Set<() => void>();
let snapshot: Shortcut[] = [];

function publish() {
  const seen = new Set<string>();
  snapshot = [...registered.values()].flat().filter((s) => {
    const k = `${s.keys.join("+")}|${s.description}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  for (const l of listeners) l();
}

/** Declares shortcuts for as long as the calling component is mounted. */
export function useShortcuts(shortcuts: Shortcut[]): void {
  const id = useId();
  const text = JSON.stringify(shortcuts);
  useEffect(() => {
    registered.set(id, JSON.parse(text) as Shortcut[]);
    publish();
    return () => {
      registered.delete(id);
      publish();
    };
  }, [id, text]);
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const EMPTY: Shortcut[] = [];

/** The shortcuts the mounted components declared, in mounting order. */
export function usePageShortcuts(): Shortcut[] {
  return useSyncExternalStore(
    subscribe,
    () => snapshot,
    () => EMPTY,
  );
}

/** True when a key press goes to a text field (shortcuts must not steal typing). */
export function isTypingTarget(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
  if (el.tagName !== "INPUT") return false;
  const type = (el as HTMLInputElement).type;
  return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(type);
}
