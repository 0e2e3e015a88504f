"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { Button } from "@/components/ui/Button";
import { RoleBadge } from "./RoleBadge";
import { ThemeMenu } from "./ThemeMenu";
import { useSession, useSignOut } from "./session";

const NAV = [
  { href: "/", label: "Activities", match: (p: string) => p === "/" || p.startsWith("/activities") },
  { href: "/operations", label: "Operations", match: (p: string) => p.startsWith("/operations") },
  { href: "/failures", label: "Failures", match: (p: string) => p.startsWith("/failures") },
] as const;

export function AppLogo({ className = "h-6 w-6" }: { className?: string }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      className={`${className} text-blue-600 dark:text-blue-400`}
      fill="none"
      stroke="currentColor"
      strokeWidth="2.5"
      strokeLinecap="round"
    >
      <path d="M3 12a9 9 0 0 1 15.5-6.2M21 12a9 9 0 0 1-15.5 6.2" />
      <path d="M18.5 2v4h-4M5.5 22v-4h4" />
    </svg>
  );
}

/**
 * The app's header: the product, the pages, who is signed in (key and role), sign out, and the theme.
 * At any width it fits the viewport: the logo keeps only its icon below 640 px, and the key and the
 * theme wrap onto a second row; the key name is shown whole (it wraps, never cut).
 */
export function AppHeader() {
  const session = useSession();
  const signOut = useSignOut();
  const router = useRouter();
  const pathname = usePathname() ?? "/";
  const onSignIn = pathname.startsWith("/sign-in");
  const signedIn = !!session.data && !onSignIn;
  return (
    <header className="border-b border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex min-h-14 max-w-screen-2xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-2 lg:px-6">
        <div className="flex min-w-0 items-center gap-4 sm:gap-5">
          <Link
            href="/"
            className="flex shrink-0 items-center gap-2 text-base font-semibold text-slate-900 dark:text-white"
          >
            <AppLogo />
            <span className={signedIn ? "max-sm:sr-only" : ""}>Syncwatch</span>
          </Link>
          {signedIn ? (
            <nav aria-label="Main">
              <ul className="flex items-center gap-1">
                {NAV.map((n) => {
                  const active = n.match(pathname);
                  return (
                    <li key={n.href}>
                      <Link
                        href={n.href}
                        aria-current={active ? "page" : undefined}
                        className={
                          "rounded-md px-2 py-1.5 text-sm font-medium sm:px-2.5 " +
                          (active
                            ? "bg-white text-slate-950 shadow-sm ring-1 ring-slate-300 dark:bg-slate-800 dark:text-white dark:ring-slate-600"
                            : "text-slate-700 hover:bg-slate-200 hover:text-slate-950 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white")
                        }
                      >
                        {n.label}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </nav>
          ) : null}
        </div>
        <div className="flex min-w-0 flex-auto flex-wrap items-center justify-end gap-x-3 gap-y-2">
          {signedIn && session.data ? (
            <>
              <span className="min-w-0 max-w-full text-sm [overflow-wrap:anywhere] text-slate-700 lg:max-w-80 dark:text-slate-300">
                <span className="sr-only">Signed in with the key </span>
                <span data-testid="session-key-name">{session.data.keyName}</span>
              </span>
              <RoleBadge role={session.data.role} />
              <Button
                size="sm"
                onClick={() => signOut.mutate(undefined, { onSettled: () => router.replace("/sign-in") })}
                disabled={signOut.isPending}
              >
                Sign out
              </Button>
            </>
          ) : null}
          <ThemeMenu />
        </div>
      </div>
    </header>
  );
}
