import path from "node:path";

/** Where Syncwatch keeps its data: the embedded PGlite folder by default, a PostgreSQL server when DATABASE_URL says so. */
export type StoreConfig = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };

export function readStoreConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const url = env.DATABASE_URL?.trim();
  if (url && /^postgres(ql)?:\/\//.test(url)) return { kind: "postgres", url };
  const dataDir = path.resolve(/*turbopackIgnore: true*/ env.SYNCWATCH_DATA_DIR?.trim() || ".syncwatch-data");
  return { kind: "pglite", dataDir };
}
