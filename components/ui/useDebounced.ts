"use client";
import { useEffect, useRef, useState } from "react";

/**
 * A text input's local value that follows an external (URL) value and reports changes after a pause.
 */
export function useDebouncedInput(external: string, onCommit: (v: string) => void, delay = 350) {
  const [value, setValue] = useState(external);
  const last = useRef(external);
  const commit = useRef(onCommit);
  useEffect(() => {
    commit.current = onCommit;
  });
  useEffect(() => {
    // the URL changed from elsewhere (back/forward, clear filters)
    if (external !== last.current) {
      last.current = external;
      setValue(external);
    }
  }, [external]);
  useEffect(() => {
    if (value === last.current) return;
    const t = setTimeout(() => {
      last.current = value;
      commit.current(value);
    }, delay);
    return () => clearTimeout(t);
  }, [value, delay]);
  return [value, setValue] as const;
}
