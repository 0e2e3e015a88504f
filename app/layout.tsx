import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "@/components/shell/Providers";
import { AppHeader } from "@/components/shell/AppHeader";
import { AuthGate } from "@/components/shell/AuthGate";
import { FocusKeeper } from "@/components/shell/FocusKeeper";
import { KeyboardLayer } from "@/components/shell/KeyboardLayer";
import { SkipLinks } from "@/components/shell/SkipLinks";
import { THEME_SCRIPT } from "@/components/shell/theme";

export const metadata: Metadata = {
  title: { default: "Syncwatch", template: "%s · Syncwatch" },
  description: "Watch identity-synchronisation runs live and triage failed objects.",
  applicationName: "Syncwatch",
  manifest: "/manifest.webmanifest",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f8fafc" },
    { media: "(prefers-color-scheme: dark)", color: "#0f172a" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The proxy's per-request CSP nonce: the only inline script allowed is the theme script.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <Providers>
          <SkipLinks />
          <AppHeader />
          <main id="main" tabIndex={-1} className="mx-auto w-full max-w-screen-2xl px-4 py-6 outline-none lg:px-6">
            <AuthGate>{children}</AuthGate>
          </main>
          <KeyboardLayer />
          <FocusKeeper />
        </Providers>
      </body>
    </html>
  );
}
