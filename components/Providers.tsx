"use client";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { ApiError } from "@/lib/client/api";

/** On any 401 the session is gone: send the viewer to the sign-in page (client-side). */
function redirectToSignIn(error: unknown) {
  if (!(error instanceof ApiError) || error.status !== 401) return;
  if (typeof window === "undefined" || window.location.pathname.startsWith("/sign-in")) return;
  const next = window.location.pathname + window.location.search;
  window.location.replace(`/sign-in?next=${encodeURIComponent(next)}`);
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: redirectToSignIn }),
        mutationCache: new MutationCache({ onError: redirectToSignIn }),
        defaultOptions: {
          queries: {
            refetchOnWindowFocus: false,
            retry: (count, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && count < 2,
            staleTime: 1000,
          },
        },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
