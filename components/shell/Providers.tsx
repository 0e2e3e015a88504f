"use client";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import { useState, type ReactNode } from "react";
import { QUERY_RETRIES, nextRetry } from "@/lib/client/retry";
import { redirectToSignIn } from "./session";

/** The app's client context: TanStack Query, and nuqs on Next's app router (URL state). */
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: redirectToSignIn }),
        mutationCache: new MutationCache({ onError: redirectToSignIn }),
        defaultOptions: {
          queries: {
            refetchOnWindowFocus: false,
            retry: (failures, e) => nextRetry(e, failures, QUERY_RETRIES) !== null,
            retryDelay: (failures, e) => nextRetry(e, failures) ?? 0,
            staleTime: 1000,
          },
        },
      }),
  );
  return (
    <NuqsAdapter>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </NuqsAdapter>
  );
}
