import type { Metadata } from "next";
import { Suspense } from "react";
import { SignInForm } from "@/components/shell/SignInForm";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <div className="mx-auto mt-10 max-w-md">
      <h1 className="text-2xl font-semibold">Sign in to Syncwatch</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">Paste an API key.</p>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-600 dark:text-slate-300" data-testid="key-help">
        <li>
          If the server made its own administrator key, it printed that key and a sign-in link on its first start, and
          saved the key in <code className="font-mono text-xs [overflow-wrap:anywhere]">admin-api-key</code> in its data
          folder.
        </li>
        <li>
          If the key was given in{" "}
          <code className="font-mono text-xs [overflow-wrap:anywhere]">SYNCWATCH_ADMIN_API_KEY</code>, nothing is
          printed: use that key.
        </li>
      </ul>
      <Suspense fallback={null}>
        <SignInForm />
      </Suspense>
    </div>
  );
}
