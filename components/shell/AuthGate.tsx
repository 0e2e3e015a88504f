"use client";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { ApiError } from "@/lib/client/http";
import { QueryErrorBanner } from "@/components/ui/ErrorBanner";
import { useSession } from "./session";

/**
 * Pages other than /sign-in render only once a session exists; a 401 sends the viewer to
 * /sign-in (the query cache's error handler does the redirect).
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const session = useSession();
  if (pathname?.startsWith("/sign-in")) return <>{children}</>;
  if (session.data) return <>{children}</>;
  if (session.isError && !ApiError.is(session.error, "UNAUTHORISED"))
    return <QueryErrorBanner title="Cannot check your session" query={session} />;
  return (
    <div role="status" aria-live="polite" className="py-16 text-center text-slate-600 dark:text-slate-300">
      {session.isError ? "Redirecting to sign in…" : "Checking your session…"}
    </div>
  );
}
