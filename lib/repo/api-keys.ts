/** API keys and sessions. Revocations notify every instance (their auth caches drop at once). */
import { getDatabase, getPrisma, withPrisma } from "@/lib/db/client";
import type { ApiKeyRole, ApiKeySource } from "@/lib/domain/enums";

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  role: ApiKeyRole;
  source: ApiKeySource;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const select = {
  id: true,
  name: true,
  prefix: true,
  role: true,
  source: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export async function findKeyByHash(secretHash: string): Promise<ApiKeyRow | null> {
  return withPrisma((prisma) => prisma.apiKey.findUnique({ where: { secretHash }, select }));
}

export async function findKeyById(id: string): Promise<ApiKeyRow | null> {
  return withPrisma((prisma) => prisma.apiKey.findUnique({ where: { id }, select }));
}

export async function listKeys(): Promise<ApiKeyRow[]> {
  return withPrisma((prisma) =>
    prisma.apiKey.findMany({ select, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1000 }),
  );
}

/** A key to store: only the hash of its secret is kept. */
type NewKey = Pick<ApiKeyRow, "id" | "name" | "prefix"> & { secretHash: string };

export async function insertKey(row: NewKey & Pick<ApiKeyRow, "role" | "source">): Promise<ApiKeyRow> {
  const prisma = await getPrisma();
  return prisma.apiKey.create({ data: row, select });
}

export async function countActiveAdministratorKeys(): Promise<number> {
  return withPrisma((prisma) => prisma.apiKey.count({ where: { role: "Administrator", revokedAt: null } }));
}

/** Revokes the key and ends its sessions in one transaction, and tells every instance. */
export async function revokeKey(id: string, at: Date): Promise<void> {
  const db = await getDatabase();
  await db.transaction(async (tx) => {
    await tx.execute(`UPDATE "ApiKey" SET "revokedAt" = $2::timestamptz WHERE id = $1::uuid AND "revokedAt" IS NULL`, [
      id,
      at.toISOString(),
    ]);
    await tx.execute(`DELETE FROM "Session" WHERE "apiKeyId" = $1::uuid`, [id]);
    await tx.execute(`SELECT pg_notify('syncwatch_auth', $1)`, [id]);
  });
}

/** The environment's key: created, or made an active Administrator key again. */
export async function upsertEnvironmentKey(row: NewKey): Promise<"created" | "existing"> {
  const db = await getDatabase();
  const rows = await db.sql.query<{ inserted: boolean }>(
    `INSERT INTO "ApiKey" (id, name, prefix, "secretHash", role, source)
     VALUES ($1::uuid, $2, $3, $4, 'Administrator', 'Environment')
     ON CONFLICT ("secretHash") DO UPDATE SET role = 'Administrator', source = 'Environment', "revokedAt" = NULL
     RETURNING (xmax = 0) AS inserted`,
    [row.id, row.name, row.prefix, row.secretHash],
  );
  return rows[0]?.inserted ? "created" : "existing";
}

export async function touchKey(id: string, at: Date): Promise<void> {
  const prisma = await getPrisma();
  await prisma.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } });
}

export async function insertSession(row: {
  id: string;
  tokenHash: string;
  apiKeyId: string;
  expiresAt: Date;
}): Promise<void> {
  const prisma = await getPrisma();
  await prisma.session.create({ data: row });
}

export async function findSessionByHash(
  tokenHash: string,
): Promise<{ id: string; expiresAt: Date; apiKey: ApiKeyRow } | null> {
  return withPrisma((prisma) =>
    prisma.session.findUnique({ where: { tokenHash }, select: { id: true, expiresAt: true, apiKey: { select } } }),
  );
}

export async function deleteSessionByHash(tokenHash: string): Promise<void> {
  const db = await getDatabase();
  await db.transaction(async (tx) => {
    await tx.execute(`DELETE FROM "Session" WHERE "tokenHash" = $1`, [tokenHash]);
    await tx.execute(`SELECT pg_notify('syncwatch_auth', 'session')`);
  });
}
