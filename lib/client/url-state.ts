"use client";
/**
 * List and grid state lives in the URL so a link reproduces the view and back/forward work.
 * useUrlParams reads the current search params and writes patches with router.replace/push,
 * keeping every parameter it was not told to change.
 */
import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

export type ParamPatch = Record<string, string | number | boolean | readonly string[] | null | undefined>;

export function applyPatch(current: URLSearchParams, patch: ParamPatch): URLSearchParams {
  const next = new URLSearchParams(current.toString());
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined || v === "" || v === false || (Array.isArray(v) && v.length === 0))
      next.delete(k);
    else if (Array.isArray(v)) next.set(k, v.join(","));
    else next.set(k, String(v));
  }
  return next;
}

export function useUrlParams() {
  const searchParams = useSearchParams();
  const router = useRouter();
  const params = useMemo(() => new URLSearchParams(searchParams?.toString() ?? ""), [searchParams]);

  // Reads the address bar at call time, so `update` keeps one identity across URL changes (cells
  // and handlers built with it are not re-created, which would drop focus) and two quick patches
  // in a row both apply.
  const update = useCallback(
    (patch: ParamPatch, mode: "replace" | "push" = "push") => {
      const next = applyPatch(new URLSearchParams(window.location.search), patch);
      const qs = next.toString();
      const href = qs ? `${window.location.pathname}?${qs}` : window.location.pathname;
      if (mode === "push") router.push(href, { scroll: false });
      else router.replace(href, { scroll: false });
    },
    [router],
  );

  const get = useCallback((k: string) => params.get(k) ?? undefined, [params]);
  const getList = useCallback(
    (k: string) =>
      (params.get(k) ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    [params],
  );
  const getInt = useCallback(
    (k: string, fallback: number) => {
      const n = Number.parseInt(params.get(k) ?? "", 10);
      return Number.isFinite(n) && n > 0 ? n : fallback;
    },
    [params],
  );
  return { params, update, get, getList, getInt };
}
