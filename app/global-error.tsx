"use client";
import "./globals.css";

/** The layout itself failed: a bare page of its own with Retry (the app's header is not available). */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="p-8">
        <main role="alert" className="mx-auto mt-10 max-w-xl text-center">
          <h1 className="text-2xl font-semibold">Syncwatch could not start this page</h1>
          <p className="mt-3">Something went wrong{error.message ? `: ${error.message}` : "."}</p>
          {error.digest ? <p className="mt-1 text-xs">Reference {error.digest}</p> : null}
          <div className="mt-6 flex justify-center gap-3">
            <button
              type="button"
              onClick={() => reset()}
              className="h-9 rounded-md bg-blue-700 px-3 text-sm font-medium text-white hover:bg-blue-800"
            >
              Retry
            </button>
            {/* a full reload: the client router may be what failed */}
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- the router may be broken here */}
            <a href="/" className="h-9 rounded-md border border-slate-400 px-3 py-2 text-sm font-medium">
              Back to activities
            </a>
          </div>
        </main>
      </body>
    </html>
  );
}
