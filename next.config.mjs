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
  // Sent with every answer; the Content-Security-Policy of pages comes from proxy.ts (it needs a nonce).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          {
            key: "Permissions-Policy",
            value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
          },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};
export default nextConfig;
