"use client";
/** The signed-in key: who am I, sign in, sign out (the session cookie). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endpoints } from "@/lib/api/endpoints";
import { request } from "@/lib/client/http";
import { keys, queries } from "@/lib/client/resources";

/** The HTTP status of an error a request threw (lib/client/http's ApiError), if it has one. */
export function errorStatus(e: unknown): number | undefined {
  if (e && typeof e === "object" && "status" in e && typeof (e as { status: unknown }).status === "number")
    return (e as { status: number }).status;
  return undefined;
}

/** On any 401 the session is gone: send the viewer to the sign-in page, back here afterwards. */
export function redirectToSignIn(error: unknown) {
  if (errorStatus(error) !== 401) return;
  if (typeof window === "undefined" || window.location.pathname.startsWith("/sign-in")) return;
  const next = window.location.pathname + window.location.search;
  window.location.replace(`/sign-in?next=${encodeURIComponent(next)}`);
}

export function useSession() {
  return useQuery({
    ...queries.session(),
    retry: (count, e) => {
      const s = errorStatus(e);
      return !(s === 401 || s === 403) && count < 2;
    },
  });
}

export function useIsAdmin(): boolean | undefined {
  const s = useSession();
  return s.data ? s.data.role === "Administrator" : undefined;
}

export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (apiKey: string) => request(endpoints.signIn, { body: { apiKey } }),
    onSuccess: async (info) => {
      qc.clear();
      qc.setQueryData(keys.session, info);
    },
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => request(endpoints.signOut),
    onSettled: () => qc.clear(),
  });
}
