// Applies pending migrations to the configured store (PGlite folder or DATABASE_URL) and exits.
import { getDatabase } from "@/lib/db/client";

getDatabase()
  .then(async (db) => {
    console.log(
      `Store ready (${db.store.kind === "postgres" ? "PostgreSQL server" : `PGlite at ${db.store.dataDir}`}).`,
    );
    await db.close();
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
