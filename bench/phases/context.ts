/** What every phase gets: the scale, the report, where to log, and the seeded PostgreSQL store. */
import type pg from "pg";
import type { Scale } from "../scales";
import type { Report } from "../report";
import type { ApiClient } from "../http";
import type { Server } from "../server";
import type { Sql } from "../routes";
import type { SeedMetadata } from "../seed/load";

export interface PhaseContext {
  scale: Scale;
  report: Report;
  log: (line: string) => void;
  adminKey: string;
  /** Folder for server logs and the PGlite store of this run. */
  workDir: string;
}

export interface PostgresTarget {
  url: string;
  meta: SeedMetadata;
  pool: pg.Pool;
  sql: Sql;
  server: Server;
  api: ApiClient;
}
