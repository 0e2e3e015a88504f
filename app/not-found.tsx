import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/Button";

export const metadata: Metadata = { title: "Page not found" };

/** Unknown pages: say so plainly and offer the way back. */
export default function NotFound() {
  return (
    <div className="mx-auto mt-10 max-w-xl text-center" data-testid="not-found">
      <p className="text-sm font-semibold tracking-wide text-blue-800 uppercase dark:text-blue-300">404</p>
      <h1 className="mt-2 text-2xl font-semibold">This page does not exist</h1>
      <p className="mt-3 text-slate-700 dark:text-slate-300">
        The address may be mistyped, or the page was moved. Activities, operations and failures are one click away.
      </p>
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        <Link href="/" className={buttonClass("primary")}>
          Back to activities
        </Link>
        <Link href="/operations" className={buttonClass("secondary")}>
          Operations
        </Link>
        <Link href="/failures" className={buttonClass("secondary")}>
          Failures
        </Link>
      </div>
    </div>
  );
}
