import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  ...tseslint.configs.recommended,
  {
    rules: {
      "max-len": ["error", { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "eslint-comments/no-unlimited-disable": "off",
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  globalIgnores([".next/**", ".tmp/**", "lib/generated/**", "node_modules/**", "bench/results/**", "next-env.d.ts"]),
]);
