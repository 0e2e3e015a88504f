import { defineConfig } from "prisma/config";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import { parseConfig } from "./lib/config";
import { openPglite, openPgPoolForMigrations } from "./lib/db/drivers";

const { store } = parseConfig();
// The schema's datasource needs a URL for the CLI to stay on the bundled WebAssembly engine;
// the adapter below decides where migrations really go.
process.env.DATABASE_URL ??= "postgresql://embedded.invalid/pglite";

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    if (store.kind === "postgres") return new PrismaPg(openPgPoolForMigrations(store.url));
    return new PrismaPGlite(await openPglite(store.dataDir));
  },
});
