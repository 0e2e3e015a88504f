import comments from "@eslint-community/eslint-plugin-eslint-comments/configs";
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  ...tseslint.configs.recommended,
  comments.recommended,
  {
    rules: {
      // Messages and data (names, stack frames, SQL fragments) may run long; code and comments may not.
      "max-len": [
        "error",
        { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true, ignoreStrings: true, ignoreTemplateLiterals: true },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // A rule switched off says why, after "--": the next reader decides whether the reason still holds.
      "@eslint-community/eslint-comments/require-description": "error",
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    // Tests and benchmarks read JSON answers whose shape the contract checks at run time.
    files: ["tests/**", "e2e/**", "bench/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  globalIgnores([".next/**", ".tmp/**", "lib/generated/**", "node_modules/**", "bench/results/**", "next-env.d.ts"]),
]);
