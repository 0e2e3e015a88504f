import type { Metadata } from "next";
import { Suspense } from "react";
import { SignInForm } from "@/components/shell/SignInForm";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <div className="mx-auto mt-10 max-w-md">
      <h1 className="text-2xl font-semibold">Sign in to Syncwatch</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        Paste an API key. The server prints a sign-in link with the administrator key when it starts.
      </p>
      <Suspense fallback={null}>
        <SignInForm />
      </Suspense>
    </div>
  );
}
