"use client";
import Link from "next/link";
import { useEffect } from "react";
import { Button, buttonClass } from "@/components/ui/Button";

/** A page that threw while rendering: what happened, Retry, and the way back. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto mt-10 max-w-xl text-center">
      <h1 className="text-2xl font-semibold">This page could not be shown</h1>
      <p className="mt-3 text-slate-700 dark:text-slate-300">
        Something went wrong while showing it{error.message ? `: ${error.message}` : "."}
      </p>
      {error.digest ? (
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">Reference {error.digest}</p>
      ) : null}
      <div className="mt-6 flex justify-center gap-3">
        <Button variant="primary" onClick={() => reset()}>
          Retry
        </Button>
        <Link href="/" className={buttonClass("secondary")}>
          Back to activities
        </Link>
      </div>
    </div>
  );
}
