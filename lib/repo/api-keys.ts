import { getPrisma } from "@/lib/db/client";
import type { ApiKeyRole } from "@/lib/domain/enums";

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  role: ApiKeyRole;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const select = {
  id: true,
  name: true,
  prefix: true,
  role: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export async function findKeyByHash(secretHash: string): Promise<ApiKeyRow | null> {
  const prisma = await getPrisma();
  return prisma.apiKey.findUnique({ where: { secretHash }, select });
}

export async function findKeyById(id: string): Promise<ApiKeyRow | null> {
  const prisma = await getPrisma();
  return prisma.apiKey.findUnique({ where: { id }, select });
}

export async function listKeys(): Promise<ApiKeyRow[]> {
  const prisma = await getPrisma();
  return prisma.apiKey.findMany({ select, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1000 });
}

export async function insertKey(row: {
  id: string;
  name: string;
  prefix: string;
  secretHash: string;
  role: ApiKeyRole;
}): Promise<ApiKeyRow> {
  const prisma = await getPrisma();
  return prisma.apiKey.create({ data: row, select });
}

export async function countActiveAdministratorKeys(): Promise<number> {
  const prisma = await getPrisma();
  return prisma.apiKey.count({ where: { role: "Administrator", revokedAt: null } });
}

/** Revokes the key and ends its sessions, in one transaction. */
export async function revokeKey(id: string, at: Date): Promise<ApiKeyRow | null> {
  const prisma = await getPrisma();
  const [, , row] = await prisma.$transaction([
    prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } }),
    prisma.session.deleteMany({ where: { apiKeyId: id } }),
    prisma.apiKey.findUnique({ where: { id }, select }),
  ]);
  return row;
}

export async function unrevokeKey(id: string): Promise<void> {
  const prisma = await getPrisma();
  await prisma.apiKey.update({ where: { id }, data: { revokedAt: null } });
}

export async function touchKey(id: string, at: Date): Promise<void> {
  const prisma = await getPrisma();
  await prisma.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } });
}

// ---------- sessions ----------
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
  const prisma = await getPrisma();
  return prisma.session.findUnique({ where: { tokenHash }, select: { id: true, expiresAt: true, apiKey: { select } } });
}

export async function deleteSessionByHash(tokenHash: string): Promise<void> {
  const prisma = await getPrisma();
  await prisma.session.deleteMany({ where: { tokenHash } });
}

export async function deleteExpiredSessions(now: Date): Promise<number> {
  const prisma = await getPrisma();
  return (await prisma.session.deleteMany({ where: { expiresAt: { lt: now } } })).count;
}
