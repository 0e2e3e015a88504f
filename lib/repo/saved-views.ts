/** Saved list views, per API key and scope; at most one default per key and scope. */
import { getDatabase, getPrisma, withPrisma } from "@/lib/db/client";
import type { SavedViewScope } from "@/lib/domain/enums";

export interface SavedViewRow {
  id: string;
  apiKeyId: string;
  scope: SavedViewScope;
  name: string;
  query: string;
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
  webhook: { url: string; enabled: boolean } | null;
}
const WITH_WEBHOOK = { webhook: { select: { url: true, enabled: true } } } as const;

export async function listViews(apiKeyId: string, scope?: SavedViewScope): Promise<SavedViewRow[]> {
  return withPrisma((prisma) =>
    prisma.savedView.findMany({
      where: { apiKeyId, ...(scope ? { scope } : {}) },
      orderBy: [{ scope: "asc" }, { name: "asc" }],
      take: 500,
      include: WITH_WEBHOOK,
    }),
  );
}

export async function findView(apiKeyId: string, id: string): Promise<SavedViewRow | null> {
  return withPrisma((prisma) => prisma.savedView.findFirst({ where: { id, apiKeyId }, include: WITH_WEBHOOK }));
}

/** Inserts or updates a view; "name-taken" when another view of the key and scope has the name. */
export async function saveView(
  row: Omit<SavedViewRow, "createdAt" | "updatedAt" | "webhook">,
  isNew: boolean,
): Promise<SavedViewRow | "name-taken"> {
  const db = await getDatabase();
  return db.transaction(async (tx) => {
    const [clash] = await tx.query<{ id: string }>(
      `SELECT id::text AS id FROM "SavedView" WHERE "apiKeyId" = $1::uuid AND scope = $2::"SavedViewScope"
        AND name = $3 AND id <> $4::uuid`,
      [row.apiKeyId, row.scope, row.name, row.id],
    );
    if (clash) return "name-taken" as const;
    if (row.isDefault)
      await tx.execute(
        `UPDATE "SavedView" SET "isDefault" = false WHERE "apiKeyId" = $1::uuid AND scope = $2::"SavedViewScope"
          AND id <> $3::uuid`,
        [row.apiKeyId, row.scope, row.id],
      );
    const [saved] = await tx.query<SavedViewRow>(
      isNew
        ? `INSERT INTO "SavedView" (id, "apiKeyId", scope, name, query, "isDefault") VALUES ($1::uuid, $2::uuid,
          $3::"SavedViewScope", $4, $5, $6)
           RETURNING id::text AS id, "apiKeyId"::text AS "apiKeyId", scope::text AS scope, name, query, "isDefault",
             "createdAt", "updatedAt", NULL::jsonb AS webhook`
        : `UPDATE "SavedView" SET scope = $3::"SavedViewScope", name = $4, query = $5, "isDefault" = $6,
          "updatedAt" = now()
           WHERE id = $1::uuid AND "apiKeyId" = $2::uuid
           RETURNING id::text AS id, "apiKeyId"::text AS "apiKeyId", scope::text AS scope, name, query, "isDefault",
             "createdAt", "updatedAt", (SELECT jsonb_build_object('url', w.url, 'enabled', w.enabled)
               FROM "ViewWebhook" w WHERE w."savedViewId" = "SavedView".id) AS webhook`,
      [row.id, row.apiKeyId, row.scope, row.name, row.query, row.isDefault],
    );
    return { ...saved, createdAt: new Date(saved.createdAt), updatedAt: new Date(saved.updatedAt) };
  });
}

export async function deleteView(apiKeyId: string, id: string): Promise<boolean> {
  const prisma = await getPrisma();
  return (await prisma.savedView.deleteMany({ where: { id, apiKeyId } })).count === 1;
}
