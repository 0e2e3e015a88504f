"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useSession, useSignOut } from "@/lib/client/queries";
import { ThemeToggle } from "./ThemeToggle";
import { RoleBadge } from "./RoleBadge";

export function AppHeader() {
  const session = useSession();
  const signOut = useSignOut();
  const router = useRouter();
  const pathname = usePathname();
  const onSignIn = pathname?.startsWith("/sign-in");
  return (
    <header className="border-b border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex h-14 max-w-screen-2xl items-center justify-between gap-4 px-4 lg:px-6">
        <nav aria-label="Main" className="flex items-center gap-6">
          <Link href="/" className="flex items-center gap-2 text-base font-semibold text-slate-900 dark:text-white">
            <svg
              aria-hidden="true"
              viewBox="0 0 24 24"
              className="h-6 w-6 text-blue-600 dark:text-blue-400"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
            >
              <path d="M3 12a9 9 0 0 1 15.5-6.2M21 12a9 9 0 0 1-15.5 6.2" />
              <path d="M18.5 2v4h-4M5.5 22v-4h4" />
            </svg>
            Syncwatch
          </Link>
          {!onSignIn && session.data ? (
            <Link
              href="/"
              className="text-sm text-slate-700 hover:text-slate-900 hover:underline dark:text-slate-300 dark:hover:text-white"
            >
              Activities
            </Link>
          ) : null}
        </nav>
        <div className="flex items-center gap-3">
          {session.data && !onSignIn ? (
            <>
              <span
                className="hidden text-sm text-slate-700 sm:inline dark:text-slate-300"
                data-testid="session-key-name"
              >
                {session.data.keyName}
              </span>
              <RoleBadge role={session.data.role} />
              <button
                type="button"
                onClick={() => signOut.mutate(undefined, { onSettled: () => router.replace("/sign-in") })}
                disabled={signOut.isPending}
                className="h-9 rounded-md border border-slate-300 px-3 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:opacity-60 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800"
              >
                Sign out
              </button>
            </>
          ) : null}
          <ThemeToggle />
        </div>
      </div>
    </header>
  );
}
