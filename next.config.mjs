import { readFileSync } from "node:fs";

const SECURITY_HEADERS = JSON.parse(readFileSync(new URL("./lib/http/security-headers.json", import.meta.url), "utf8"));

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WebAssembly and data files from its own package folder at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  experimental: {
    // proxy.ts sees every request, and Next hands a route only the first this-many bytes of a body
    // that went through it (10 MB by default). It must exceed MAX_BODY_BYTES (lib/api/limits.ts, 20 MiB;
    // tests/unit/http-guards.test.ts checks it) so that the route counts an oversized body and answers 413.
    proxyClientMaxBodySize: 21 * 1024 * 1024,
  },
  reactStrictMode: true,
  // The build checks the application; `npm run typecheck` checks tests, benchmarks and scripts too.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  // Sent with every answer (lib/http/memory-answers.ts sends the same file's headers with the answers
  // it sends before Next); the Content-Security-Policy of pages comes from proxy.ts (it needs a nonce).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: Object.entries(SECURITY_HEADERS).map(([key, value]) => ({ key, value })),
      },
    ];
  },
};
export default nextConfig;
