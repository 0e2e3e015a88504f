"use client";
/** The signed-in key: who am I, sign in, sign out (the session cookie). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endpoints } from "@/lib/client/endpoints";
import { ApiError, request } from "@/lib/client/http";
import { keys, queries } from "@/lib/client/resources";

/** On any 401 the session is gone: send the viewer to the sign-in page, back here afterwards. */
export function redirectToSignIn(error: unknown) {
  if (!ApiError.is(error, "UNAUTHORISED")) return;
  if (typeof window === "undefined" || window.location.pathname.startsWith("/sign-in")) return;
  const next = window.location.pathname + window.location.search;
  window.location.replace(`/sign-in?next=${encodeURIComponent(next)}`);
}

export function useSession() {
  return useQuery(queries.session());
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
