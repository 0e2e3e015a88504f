"use client";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, describeError } from "@/lib/client/http";
import { safeNextPath } from "@/lib/client/safe-redirect";
import { Button } from "@/components/ui/Button";
import { RoleBadge } from "./RoleBadge";
import { useSession, useSignIn } from "./session";

export function SignInForm() {
  const router = useRouter();
  const searchParams = useSearchParams();
  const next = safeNextPath(searchParams.get("next"));
  const signIn = useSignIn();
  const session = useSession();
  const [apiKey, setApiKey] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const autoTried = useRef(false);
  const submitRef = useRef<(key: string) => void>(() => {});

  const submit = (key: string) => {
    setMessage(null);
    signIn.mutate(key.trim(), {
      onSuccess: () => router.replace(next),
      onError: (e) =>
        setMessage(
          ApiError.is(e, "BAD_REQUEST", "UNAUTHORISED", "FORBIDDEN")
            ? "That API key was not accepted. Check that you pasted the whole key and that it has not been revoked."
            : `Sign-in failed: ${describeError(e)}`,
        ),
    });
  };

  useEffect(() => {
    submitRef.current = submit;
  });

  // The sign-in link the server prints carries the key in the fragment (#key=...), which never
  // reaches the server's logs: read it, remove it from the address bar, and sign in.
  useEffect(() => {
    const fromFragment = () => {
      const key = new URLSearchParams(window.location.hash.replace(/^#/, "")).get("key");
      if (!key) return;
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
      setApiKey(key);
      submitRef.current(key);
    };
    if (!autoTried.current) {
      autoTried.current = true;
      fromFragment();
    }
    window.addEventListener("hashchange", fromFragment);
    return () => window.removeEventListener("hashchange", fromFragment);
  }, []);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (apiKey.trim().length < 8) {
      setMessage("Enter an API key (at least 8 characters).");
      return;
    }
    submit(apiKey);
  };

  return (
    <div className="mt-6">
      {session.data && !signIn.isPending ? (
        <div className="mb-6 rounded-md border border-slate-200 bg-slate-50 p-4 text-sm dark:border-slate-700 dark:bg-slate-900">
          <p>
            You are signed in as <strong>{session.data.keyName}</strong> <RoleBadge role={session.data.role} />
          </p>
          <Button variant="primary" className="mt-3" onClick={() => router.replace(next)}>
            Continue to activities
          </Button>
        </div>
      ) : null}
      <form
        onSubmit={onSubmit}
        noValidate
        className="space-y-4 rounded-lg border border-slate-200 p-5 dark:border-slate-700"
      >
        <div>
          <label htmlFor="api-key" className="block text-sm font-medium">
            API key
          </label>
          <input
            id="api-key"
            name="apiKey"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            aria-invalid={message ? true : undefined}
            aria-describedby={message ? "sign-in-error" : "api-key-hint"}
            className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 font-mono text-sm text-slate-900 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100"
            placeholder="sw_…"
          />
          <p id="api-key-hint" className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            The key is exchanged for a session cookie; it is not stored in the browser.
          </p>
        </div>
        {message ? (
          <p
            id="sign-in-error"
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-100"
          >
            {message}
          </p>
        ) : null}
        <Button type="submit" variant="primary" disabled={signIn.isPending} className="h-10 w-full">
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </div>
  );
}
